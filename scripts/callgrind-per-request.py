#!/usr/bin/env python3
"""Instructions per request, counted by valgrind's callgrind: a figure the noise of a shared
machine cannot move, to compare every change of the request path with.

The gateway (release build) runs under callgrind against a fixed local upstream that answers
like the shared bench's mock (the same chat.json body, the same 20-chunk stream). After a warm-up
the counters are zeroed, N requests are sent one after another on one keep-alive connection, and
the instructions executed meanwhile (all threads) are divided by N.

    scripts/callgrind-per-request.py [--requests 200] [binary]

Prints one line per case: plain config (bench/switchyard-bench.yaml) and the five-stage pipeline
config (bench/switchyard-bench-pipeline.yaml), non-streamed and streamed.
"""
import argparse
import glob
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_MOCK = os.path.join(ROOT, "..", "shared", "bench", "mock")
KEY = "sk-bench-0123456789abcdef"


def bodies():
    chat_path = os.path.join(BENCH_MOCK, "chat.json")
    stream_path = os.path.join(BENCH_MOCK, "stream.sse")
    if os.path.exists(chat_path) and os.path.exists(stream_path):
        return open(chat_path, "rb").read(), open(stream_path, "rb").read()
    chunk = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o-mini",
             "choices": [{"index": 0, "delta": {"content": "word "}, "finish_reason": None}]}
    chat = {"id": "c", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello! " * 20}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 20, "completion_tokens": 40, "total_tokens": 60}}
    stream = b"".join(b"data: " + json.dumps(chunk).encode() + b"\n\n" for _ in range(20)) + b"data: [DONE]\n\n"
    return json.dumps(chat).encode(), stream


CHAT, STREAM = bodies()


class Mock(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    stream = False

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        body, kind = (STREAM, "text/event-stream") if self.server.stream else (CHAT, "application/json")
        self.send_response(200)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(port, stream):
    server = ThreadingHTTPServer(("127.0.0.1", port), Mock)
    server.stream = stream
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def total_instructions(path):
    """Sums the `summary:` / `totals:` Ir of every callgrind dump part in `path*`."""
    total = 0
    for part in glob.glob(path + "*"):
        with open(part) as f:
            for line in f:
                if line.startswith("totals:") or line.startswith("summary:"):
                    total += int(line.split()[1])
                    break
    return total


def measure(binary, config_text, model, stream, requests, tmp):
    port = free_port()
    config = os.path.join(tmp, "gateway.yaml")
    with open(config, "w") as f:
        f.write(config_text.replace("port: 4000", f"port: {port}"))
    out = os.path.join(tmp, f"callgrind.{model}.{int(stream)}.out")
    for old in glob.glob(out + "*"):
        os.remove(old)
    env = dict(os.environ, SWITCHYARD_ACCESS_LOG="true")
    gateway = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}", "--separate-threads=no",
         binary, "serve", "--config", config], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        body = json.dumps({"model": model, "stream": stream, "messages": [
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": "Say hello in one short sentence, please."}]})
        headers = {"content-type": "application/json", "authorization": f"Bearer {KEY}"}
        connection = None
        for _ in range(600):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request("GET", "/health")
                if connection.getresponse().read() is not None:
                    break
            except OSError:
                connection = None
                time.sleep(0.2)

        def send():
            connection.request("POST", "/v1/chat/completions", body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            if response.status != 200:
                raise SystemExit(f"{model}: {response.status} {data[:200]!r}")

        for _ in range(20):
            send()
        subprocess.run(["callgrind_control", "--instr=on", str(gateway.pid)], check=True, stdout=subprocess.DEVNULL)
        for _ in range(requests):
            send()
        subprocess.run(["callgrind_control", "--instr=off", str(gateway.pid)], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["callgrind_control", "--dump", str(gateway.pid)], check=True, stdout=subprocess.DEVNULL)
        time.sleep(1)
        return total_instructions(out) / requests
    finally:
        gateway.terminate()
        gateway.wait(timeout=60)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("binary", nargs="?", default=os.path.join(ROOT, ".build/release/switchyard"))
    args = parser.parse_args()
    json_mock, stream_mock = serve(18080, False), serve(18081, True)
    cases = [("plain", "bench/switchyard-bench.yaml"), ("pipeline", "bench/switchyard-bench-pipeline.yaml")]
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in cases:
            text = open(os.path.join(ROOT, path)).read()
            for model, stream in (("gpt-4o-mini", False), ("gpt-4o-mini-stream", True)):
                per = measure(args.binary, text, model, stream, args.requests, tmp)
                print(f"{name:8} {'stream' if stream else 'json':6} {per:12,.0f} instructions/request "
                      f"(callgrind, {args.requests} requests, {path})")
    json_mock.shutdown()
    stream_mock.shutdown()


if __name__ == "__main__":
    main()
