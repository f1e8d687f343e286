#!/usr/bin/env bash
# What the access line costs: serves the mock provider with the given log format and access_log,
# drives it with wrk (32 connections, 3 s warm-up, 10 s measured) and prints req/s and the
# gateway CPU ms per request (from /proc). Usage: scripts/log-cost-bench.sh BIN text|json true|false
set -euo pipefail
LUA=$(mktemp --suffix .lua); CFG=$(mktemp --suffix .yaml); trap 'rm -f "$LUA" "$CFG"' EXIT
cat > "$LUA" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"echo","messages":[{"role":"user","content":"hello"}]}'
LUA
BIN=$1; FMT=$2; AL=$3
cat > "$CFG" <<YAML
server: {host: 127.0.0.1, port: 4518, access_log: $AL}
database: {url: none}
providers: {local: {kind: mock}}
models: {echo: {provider: local}}
YAML
$BIN serve --config "$CFG" --log-format $FMT > /dev/null 2>&1 &
P=$!; for i in $(seq 100); do curl -fs localhost:4518/health/liveliness >/dev/null && break; sleep 0.05; done
wrk -t1 -c32 -d3s -s "$LUA" http://127.0.0.1:4518/v1/chat/completions > /dev/null
T0=$(awk '{print $14+$15}' /proc/$P/stat)
OUT=$(wrk -t1 -c32 -d10s -s "$LUA" http://127.0.0.1:4518/v1/chat/completions)
T1=$(awk '{print $14+$15}' /proc/$P/stat)
REQS=$(echo "$OUT" | awk '/requests in/ {print $1}')
RPS=$(echo "$OUT" | awk '/Requests\/sec/ {print $2}')
RSS=$(awk '/VmRSS/ {print $2}' /proc/$P/status)
kill $P; wait $P 2>/dev/null || true
echo "format=$FMT access_log=$AL req/s=$RPS cpu_ms_per_req=$(python3 -c "print(round(($T1-$T0)*10/$REQS,4))") rss_kB_after=$RSS"
