#!/usr/bin/env python3
"""Soak: mixed traffic against the built binary for a while, with reloads, watching memory.

Sixteen clients loop over a mix — plain answers, streams, upstream 500s, clients that give up
mid-request, unknown models — against a local fault upstream (scripts/fault_matrix.py's), while
the configuration is reloaded (SIGHUP) every `--reload-every` seconds. Passes when no request
ended unexpectedly and the gateway's RSS at the end is within 5 % of its RSS after warm-up (the
first fifth of the run).

    scripts/soak.py [--minutes 30] [--reload-every 60] [path/to/switchyard]
"""
import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fault_matrix import FaultUpstream, free_port  # noqa: E402

MIX = [("plain", 50), ("stream", 25), ("upstream_500", 10), ("gone", 10), ("unknown", 5)]


def config(upstream_port, port, generation):
    return f"""server:
  port: {port}
  access_log: false
  request_timeout: 5s
  idle_timeout: 5s
database: {{url: none}}
providers:
  fault: {{kind: openai, api_base: "http://127.0.0.1:{upstream_port}/v1", api_key: sk-x}}
models:
  healthy: {{provider: fault, model: healthy}}
  broken: {{provider: fault, model: s500}}
  stalled: {{provider: fault, model: stall_before_headers}}
  generation-{generation}: {{provider: fault, model: healthy}}
"""


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def one(port, kind, rng):
    """Returns None when the request ended as expected, else what happened."""
    body = {"messages": [{"role": "user", "content": "soak " * rng.randint(1, 200)}]}
    if kind == "gone":
        sock = socket.create_connection(("127.0.0.1", port))
        data = json.dumps({**body, "model": "stalled"}).encode()
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(data) + data)
        time.sleep(rng.uniform(0.01, 0.1))
        sock.close()
        return None
    model, stream, expected = {
        "plain": ("healthy", False, 200), "stream": ("healthy", True, 200),
        "upstream_500": ("broken", False, 500), "unknown": ("no-such-model", False, 404),
    }[kind]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", "/v1/chat/completions", body=json.dumps({**body, "model": model, "stream": stream}),
                       headers={"content-type": "application/json"})
    response = connection.getresponse()
    text = response.read().decode(errors="replace")
    connection.close()
    if response.status != expected:
        return f"{kind}: {response.status}"
    if stream and not text.rstrip().endswith("data: [DONE]"):
        return f"{kind}: incomplete stream"
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--reload-every", type=float, help="seconds (default 60; 20 for runs under 10 minutes)")
    parser.add_argument("binary", nargs="?", default=".build/debug/switchyard")
    args = parser.parse_args()
    if args.reload_every is None:
        args.reload_every = 60 if args.minutes >= 10 else 20
    upstream = FaultUpstream()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "soak.yaml")
        with open(path, "w") as f:
            f.write(config(upstream.port, port, 0))
        gateway = subprocess.Popen([args.binary, "serve", "--config", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(400):
            try:
                if one(port, "plain", random.Random(0)) is None:
                    break
            except OSError:
                time.sleep(0.05)
        duration = args.minutes * 60
        started = time.time()
        stop = threading.Event()
        counts = {"requests": 0}
        unexpected = []
        lock = threading.Lock()

        def worker(seed):
            rng = random.Random(seed)
            kinds = [k for k, weight in MIX for _ in range(weight)]
            while not stop.is_set():
                kind = rng.choice(kinds)
                try:
                    problem = one(port, kind, rng)
                except Exception as error:  # noqa: BLE001 — counted
                    problem = f"{kind}: {type(error).__name__}"
                with lock:
                    counts["requests"] += 1
                    if problem:
                        unexpected.append(problem)

        workers = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(16)]
        for w in workers:
            w.start()
        samples = []
        generation = 0
        next_reload = started + args.reload_every
        while time.time() - started < duration:
            time.sleep(1)
            now = time.time()
            samples.append((now - started, rss_kib(gateway.pid)))
            if now >= next_reload:
                generation += 1
                with open(path, "w") as f:
                    f.write(config(upstream.port, port, generation))
                gateway.send_signal(signal.SIGHUP)
                next_reload += args.reload_every
        stop.set()
        for w in workers:
            w.join(timeout=40)
        alive = gateway.poll() is None
        gateway.send_signal(signal.SIGTERM)
        gateway.wait(timeout=60)
    warm = [rss for t, rss in samples if t >= duration / 5]
    after_warmup, final = warm[0], samples[-1][1]
    growth = (final - after_warmup) / after_warmup * 100
    print(f"soak: {args.minutes:g} min, {counts['requests']} requests, {generation} reloads, "
          f"{len(unexpected)} unexpected; RSS {after_warmup / 1024:.1f} MiB after warm-up, "
          f"{final / 1024:.1f} MiB at the end ({growth:+.1f} %), peak {max(r for _, r in samples) / 1024:.1f} MiB")
    if unexpected:
        print("unexpected:", sorted(set(unexpected))[:10])
    if unexpected or growth >= 5 or not alive:
        sys.exit(1)


if __name__ == "__main__":
    main()
