#!/usr/bin/env bash
# Runs ../shared/bench/run-baseline.sh against a release build of Switchyard serving
# bench/switchyard-bench.yaml (the bench's mock upstreams and master key). Extra arguments go
# to run-baseline.sh, e.g. `scripts/bench.sh --targets none --variants pinned`.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH="${BENCH_DIR:-../shared/bench}"
[ -x "$BENCH/run-baseline.sh" ] || { echo "error: $BENCH/run-baseline.sh not found (set BENCH_DIR)" >&2; exit 1; }
[ -x .build/release/switchyard ] || swift build -c release --product switchyard
bash "$BENCH/setup.sh"
exec bash "$BENCH/run-baseline.sh" \
  --target http://127.0.0.1:4000 --name switchyard \
  --start-cmd "$PWD/.build/release/switchyard serve --config $PWD/bench/switchyard-bench.yaml --port 4000" \
  --health-path /health "$@"
