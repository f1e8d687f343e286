#!/usr/bin/env bash
# Runs a dist binary in a minimal root: only the binary, a config, the CA bundle and the shared
# libraries `ldd` lists (glibc, libpcre2, the loader), plus a fresh /proc as any container has
# (the Swift runtime reads its arguments there). Serves one chat request through the mock
# provider and checks /health/readiness, /metrics and the JSON access line.
# Usage: scripts/dist-smoke.sh [dist/switchyard]. Needs root or unprivileged user namespaces.
set -euo pipefail
BIN=${1:-dist/switchyard}
ROOT=$(mktemp -d /tmp/switchyard-root.XXXXXX)
PID=""
cleanup() {
    if [ -n "$PID" ]; then pkill -P "$PID" 2>/dev/null || true; kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
    rm -rf "$ROOT"
}
trap cleanup EXIT

mkdir -p "$ROOT/bin" "$ROOT/etc/ssl/certs" "$ROOT/tmp" "$ROOT/proc"
cp "$BIN" "$ROOT/bin/switchyard"
for lib in $(ldd "$BIN" | grep -o '/[^ ]*'); do
    mkdir -p "$ROOT$(dirname "$lib")"
    cp -L "$lib" "$ROOT$lib"
done
cp -L /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$ROOT/etc/switchyard.yaml" <<YAML
server: {host: 127.0.0.1, port: $PORT, log_format: json}
database: {url: none}
providers: {local: {kind: mock}}
models: {echo: {provider: local}}
YAML
echo "root: $(du -sh "$ROOT" | cut -f1) in $(find "$ROOT" -type f | wc -l) files"

# New mount and PID namespaces: /proc is mounted inside the root only, and gone with the gateway.
RUN=(unshare --mount --pid --fork --mount-proc="$ROOT/proc" chroot "$ROOT")
[ "$(id -u)" = 0 ] || RUN=(unshare -r "${RUN[@]:1}")
START=$(date +%s%N)
"${RUN[@]}" /bin/switchyard serve --config /etc/switchyard.yaml > "$ROOT/tmp/log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$PORT/health/liveliness" > /dev/null 2>&1 && break
    sleep 0.05
done
READY=$(( ($(date +%s%N) - START) / 1000000 ))
echo "launch → healthy: ${READY} ms"
curl -fs "http://127.0.0.1:$PORT/health/readiness" > /dev/null || { echo "not ready"; cat "$ROOT/tmp/log"; exit 1; }
ANSWER=$(curl -fs "http://127.0.0.1:$PORT/v1/chat/completions" -H 'content-type: application/json' \
    -d '{"model":"echo","messages":[{"role":"user","content":"hello from the minimal root"}]}')
echo "$ANSWER" | grep -q '"choices"' || { echo "unexpected answer: $ANSWER"; cat "$ROOT/tmp/log"; exit 1; }
curl -fs "http://127.0.0.1:$PORT/metrics" | grep -q 'litellm_proxy_total_requests_metric{requested_model="echo",status_code="200"} 1' \
    || { echo "metrics missing"; exit 1; }
# unshare forks the gateway (chroot execs it): its child is the gateway. Resident memory after one request.
GATEWAY=$(pgrep -P "$PID" | head -1)
RSS=$(awk '/VmRSS/ {print $2}' "/proc/$GATEWAY/status")
echo "idle RSS after one request: ${RSS} kB"
kill -TERM "$GATEWAY"; wait "$PID" || true; PID=""
grep -q '"message":"request"' "$ROOT/tmp/log" || { echo "no JSON access line"; cat "$ROOT/tmp/log"; exit 1; }
echo "dist smoke test passed"
