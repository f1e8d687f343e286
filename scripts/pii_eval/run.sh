#!/bin/sh
# Builds the PII evaluation set with Faker (fixed seed), runs Switchyard's default scrubber and
# Presidio's pattern recognizers over it, and prints the side-by-side table of docs/pii.md.
# Needs: pip install Faker presidio-analyzer (a virtualenv: PYTHON=/path/to/venv/bin/python).
set -eu
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}
OUT=${OUT:-.build/pii_eval}
mkdir -p "$OUT"
"$PYTHON" scripts/pii_eval/generate.py --seed 15 --out "$OUT/evalset.jsonl"
swift build -c release --product scrub-eval >/dev/null
.build/release/scrub-eval < "$OUT/evalset.jsonl" > "$OUT/switchyard.jsonl"
"$PYTHON" scripts/pii_eval/score.py "$OUT/evalset.jsonl" "$OUT/switchyard.jsonl"
