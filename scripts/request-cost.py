#!/usr/bin/env python3
"""Instructions per request: a figure the noise of a shared machine cannot move.

Runs the gateway under `valgrind --tool=callgrind` with instrumentation off, serves it a fake
upstream (a real HTTP server on port 0, outside valgrind), sends warm-up requests, switches
instrumentation on, sends N requests one after another on one keep-alive connection, switches it
off and reads the instructions executed (`Ir`, all threads) from the dump. Prints instructions per
request and one `COST_JSON {...}` line.

    scripts/request-cost.py .build/release/switchyard                      # bench/switchyard-bench.yaml
    scripts/request-cost.py BIN --config bench/switchyard-bench-pipeline.yaml --stream -n 200

The config's upstream addresses 127.0.0.1:18080 (JSON) and :18081 (SSE, 20 chunks) are pointed
at the fake upstream. valgrind 3.19 faults on libdispatch's `sigsuspend` with a mask in read-only
memory (its wrapper writes to the mask); a two-line LD_PRELOAD shim built here passes a copy.
Needs valgrind and a C compiler.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY = "sk-bench-0123456789abcdef"

ANSWER = json.dumps({
    "id": "chatcmpl-cost", "object": "chat.completion", "created": 1741570283, "model": "gpt-4o-mini-2024-07-18",
    "choices": [{"index": 0, "message": {"role": "assistant", "content":
        "Connection pooling lets a reverse proxy reuse established TCP and TLS connections to upstream servers, "
        "so each request skips the handshake. That lowers latency and CPU cost and shields upstreams from "
        "connection storms."}, "logprobs": None, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 36, "completion_tokens": 41, "total_tokens": 77},
}).encode()


def sse_body(chunks=20):
    events = []
    for i in range(chunks):
        delta = {"role": "assistant", "content": ""} if i == 0 else {"content": f"word{i} "}
        finish = "stop" if i == chunks - 1 else None
        events.append("data: " + json.dumps({
            "id": "chatcmpl-cost", "object": "chat.completion.chunk", "created": 1741570283, "model": "gpt-4o-mini",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}) + "\n\n")
    events.append("data: " + json.dumps({
        "id": "chatcmpl-cost", "object": "chat.completion.chunk", "created": 1741570283, "model": "gpt-4o-mini",
        "choices": [], "usage": {"prompt_tokens": 36, "completion_tokens": 19, "total_tokens": 55}}) + "\n\n")
    events.append("data: [DONE]\n\n")
    return "".join(events).encode()


STREAM = sse_body()

REQUEST = json.dumps({
    "model": "gpt-4o-mini", "messages": [
        {"role": "system", "content": "You are a concise assistant for a platform engineering team."},
        {"role": "user", "content": "In two sentences, explain why an HTTP reverse proxy keeps a pool of upstream keep-alive connections."}],
    "max_tokens": 64, "temperature": 0.2, "stream": False})


def upstream(stream):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            body = STREAM if stream else ANSWER
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream" if stream else "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_shim(workdir):
    source = os.path.join(workdir, "sigsuspend-shim.c")
    with open(source, "w") as f:
        f.write("#define _GNU_SOURCE\n#include <signal.h>\n#include <unistd.h>\n#include <sys/syscall.h>\n"
                "int sigsuspend(const sigset_t *mask) { sigset_t copy = *mask;\n"
                "  return (int)syscall(SYS_rt_sigsuspend, &copy, (long)(_NSIG / 8)); }\n")
    shim = os.path.join(workdir, "sigsuspend-shim.so")
    subprocess.run([os.environ.get("CC", "cc"), "-O2", "-shared", "-fPIC", "-o", shim, source], check=True)
    return shim


def send(conn, model, stream):
    body = json.loads(REQUEST)
    body["model"] = model
    body["stream"] = stream
    conn.request("POST", "/v1/chat/completions", json.dumps(body),
                 {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    if response.status != 200 or (stream and b"[DONE]" not in data):
        raise SystemExit(f"request failed: {response.status} {data[:300]!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("--config", default=os.path.join(ROOT, "bench/switchyard-bench.yaml"))
    parser.add_argument("-n", type=int, default=500, help="measured requests (default 500)")
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--stream", action="store_true", help="streamed requests (20 chunks + usage + [DONE])")
    parser.add_argument("--keep", action="store_true", help="keep the callgrind output for callgrind_annotate")
    args = parser.parse_args()
    for tool in ("valgrind", "callgrind_control"):
        if not shutil.which(tool):
            raise SystemExit(f"error: {tool} not found (apt-get install valgrind)")

    workdir = tempfile.mkdtemp(prefix="switchyard-cost-")
    json_up, stream_up = upstream(False), upstream(True)
    config = open(args.config).read()
    config = config.replace("127.0.0.1:18080", f"127.0.0.1:{json_up.server_address[1]}")
    config = config.replace("127.0.0.1:18081", f"127.0.0.1:{stream_up.server_address[1]}")
    config_path = os.path.join(workdir, "config.yaml")
    with open(config_path, "w") as f:
        f.write(config)
    # valgrind cannot read the DWARF of a Swift release binary; the symbols are enough.
    binary = os.path.join(workdir, "switchyard")
    shutil.copy(args.binary, binary)
    subprocess.run(["strip", "-g", binary], check=True)
    shim = build_shim(workdir)
    port = free_port()
    out = os.path.join(workdir, "callgrind.out")
    env = dict(os.environ, LD_PRELOAD=shim)
    log = open(os.path.join(workdir, "gateway.log"), "w")
    gateway = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
         binary, "serve", "--config", config_path, "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    model = "gpt-4o-mini-stream" if args.stream else "gpt-4o-mini"
    try:
        deadline = time.time() + 300
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                conn.request("GET", "/health")
                conn.getresponse().read()
                break
            except OSError:
                if gateway.poll() is not None or time.time() > deadline:
                    raise SystemExit(f"gateway did not start; see {log.name}")
                time.sleep(0.5)
        for _ in range(args.warmup):
            send(conn, model, args.stream)
        subprocess.run(["callgrind_control", "-i", "on", str(gateway.pid)], check=True, capture_output=True)
        started = time.time()
        for _ in range(args.n):
            send(conn, model, args.stream)
        elapsed = time.time() - started
        subprocess.run(["callgrind_control", "-i", "off", str(gateway.pid)], check=True, capture_output=True)
        conn.close()
    finally:
        os.killpg(gateway.pid, signal.SIGTERM)
        try:
            gateway.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(gateway.pid, signal.SIGKILL)
            gateway.wait()
        json_up.shutdown()
        stream_up.shutdown()
    total = 0
    for name in os.listdir(workdir):
        if name.startswith("callgrind.out"):
            with open(os.path.join(workdir, name)) as f:
                for line in f:
                    match = re.match(r"totals: (\d+)", line)
                    if match:
                        total += int(match.group(1))
    if total == 0:
        raise SystemExit(f"no callgrind totals in {workdir}")
    per_request = total / args.n
    kind = "streamed (20 chunks)" if args.stream else "non-streamed"
    print(f"{os.path.basename(args.config)}, {kind}: {per_request:,.0f} instructions per request "
          f"({total:,} over {args.n} requests; {elapsed / args.n * 1000:.1f} ms each under callgrind)")
    print("COST_JSON " + json.dumps({
        "config": os.path.basename(args.config), "stream": args.stream, "requests": args.n,
        "instructions": total, "per_request": round(per_request)}))
    if args.keep:
        print(f"callgrind output: {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
