#!/usr/bin/env bash
# Runs ../shared/bench/run-baseline.sh against a release build of Switchyard twice, in one
# sitting: serving bench/switchyard-bench.yaml (the bench's mock upstreams and master key) next
# to the built-in reference targets, then bench/switchyard-bench-pipeline.yaml (five stages in
# the path) alone. Prints one merged report and writes it to $OUT/report.md.
#
#   scripts/bench.sh                                   # nginx as the reference, pinned variant
#   BENCH_TARGETS=direct,nginx,litellm scripts/bench.sh
#   scripts/bench.sh --duration 8 --stream-n 50        # extra arguments go to both runs
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH="${BENCH_DIR:-../shared/bench}"
[ -x "$BENCH/run-baseline.sh" ] || { echo "error: $BENCH/run-baseline.sh not found (set BENCH_DIR)" >&2; exit 1; }
[ -x .build/release/switchyard ] || swift build -c release --product switchyard
bash "$BENCH/setup.sh"
OUT="${OUT:-/tmp/switchyard-bench/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
run() { # NAME CONFIG TARGETS [extra…]
  local name=$1 config=$2 targets=$3; shift 3
  bash "$BENCH/run-baseline.sh" --target http://127.0.0.1:4000 --name "$name" \
    --start-cmd "$PWD/.build/release/switchyard serve --config $PWD/$config --port 4000" \
    --health-path /health --variants "${BENCH_VARIANTS:-pinned}" --targets "$targets" --out "$OUT/$name" "$@"
}
run switchyard bench/switchyard-bench.yaml "${BENCH_TARGETS:-nginx}" "$@"
run switchyard-pipeline bench/switchyard-bench-pipeline.yaml none "$@"
python3 "$BENCH/lib/report.py" "$OUT/switchyard/results.jsonl" "$OUT/switchyard-pipeline/results.jsonl" | tee "$OUT/report.md"
echo "report: $OUT/report.md"
