#!/usr/bin/env python3
"""The fault matrix: every way an upstream misbehaves × {stream, non-stream} × {no policy,
retry, fallback}, against the built binary.

A raw-socket fault upstream (asyncio, port 0) misbehaves as the model name it is sent says. Each
case must end with its declared status (or, once a stream has started, with an error event and
no `[DONE]`) within its deadline; afterwards the gateway still serves, its file descriptors are
back to where they were, and every connection it opened to the fault upstream was closed by it.

    scripts/fault_matrix.py [path/to/switchyard]

Deadlines in the config: 2 s to the headers, 2 s idle mid-body, 20 s in all.
"""
import asyncio
import concurrent.futures
import http.client
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

DEADLINE = 2.0
SLACK = 8.0  # scheduling slack on a loaded, shared 2-core machine

# fault → (non-stream expectation, stream expectation) per policy (none, retry, fallback).
# An int is the HTTP status of a JSON error answer (or 200 with a complete answer); "event" is a
# 200 stream that ends with an error event and no [DONE]; "done" a 200 stream that completes.
# The last field is how long the case may take at most (seconds).
FALLBACK_OK = 200
MATRIX = {
    "s429": ((429, 429, FALLBACK_OK), (429, 429, FALLBACK_OK), 3),
    "s500": ((500, 500, FALLBACK_OK), (500, 500, FALLBACK_OK), 3),
    "s503": ((503, 503, FALLBACK_OK), (503, 503, FALLBACK_OK), 3),
    "s529": ((529, 529, FALLBACK_OK), (529, 529, FALLBACK_OK), 3),
    "refused": ((502, 502, FALLBACK_OK), (502, 502, FALLBACK_OK), 3),
    "reset_before_headers": ((502, 502, FALLBACK_OK), (502, 502, FALLBACK_OK), 3),
    # non-stream: part of the body then RST; stream: one chunk then RST (after the first byte).
    "reset_mid_body": ((502, 502, FALLBACK_OK), ("event", "event", "event"), 3),
    "stall_before_headers": ((504, 504, FALLBACK_OK), (504, 504, FALLBACK_OK), 2 * DEADLINE + SLACK),
    # headers, then nothing: no byte reached the client yet, so it is a timeout retry/fallback see.
    "stall_mid_body": ((504, 504, FALLBACK_OK), (504, 504, FALLBACK_OK), 2 * DEADLINE + SLACK),
    # two chunks, then silence: the idle deadline ends the stream with an error event.
    "stall_mid_stream": ((504, 504, FALLBACK_OK), ("event", "event", "event"), 2 * DEADLINE + SLACK),
    # two chunks, then a clean close without [DONE] (non-stream: a short body).
    "cut_stream": ((502, 502, FALLBACK_OK), ("event", "event", "event"), 3),
    "invalid_json": ((502, 502, FALLBACK_OK), ("event", "event", "event"), 3),
    "big_body": ((200, 200, 200), ("done", "done", "done"), 20),
}
POLICIES = ["none", "retry", "fallback"]


class FaultUpstream:
    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.port = None
        self.open = 0
        self.accepted = 0
        # (model, monotonic time) when a stalled request's connection was closed by the gateway.
        self.stall_closed = []
        self.lock = threading.Lock()
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait()

    def _run(self, ready):
        asyncio.set_event_loop(self.loop)

        async def start():
            server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
            self.port = server.sockets[0].getsockname()[1]
            ready.set()
            await server.serve_forever()

        self.loop.run_until_complete(start())

    async def handle(self, reader, writer):
        with self.lock:
            self.open += 1
            self.accepted += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                raw_body = await reader.readexactly(length)
                try:
                    body = json.loads(raw_body)
                except ValueError:
                    # The HTTP-level fuzz can pass bytes that are not UTF-8 inside a JSON string
                    # (the gateway forwards bodies as they came): answer as OpenAI would.
                    writer.write(b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}")
                    await writer.drain()
                    continue
                keep = await self.respond(body.get("model", ""), bool(body.get("stream")), reader, writer)
                if not keep:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            with self.lock:
                self.open -= 1
            try:
                writer.close()
            except Exception:
                pass

    @staticmethod
    def completion(text="ok"):
        return json.dumps({
            "id": "c1", "object": "chat.completion", "created": 1, "model": "m",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}}).encode()

    @staticmethod
    def chunk(text):
        event = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
                 "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}
        return b"data: " + json.dumps(event).encode() + b"\n\n"

    @staticmethod
    def reset(writer):
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()

    async def stall(self, reader, model="stall"):
        # Until the gateway gives up and closes the connection.
        await reader.read()
        with self.lock:
            self.stall_closed.append((model, time.monotonic()))

    async def respond(self, model, stream, reader, writer):
        """Returns whether the connection stays usable."""
        if model.startswith("s") and model[1:].isdigit():
            body = json.dumps({"error": {"message": f"status {model[1:]}", "type": "upstream", "code": None}}).encode()
            writer.write(b"HTTP/1.1 %s X\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % (model[1:].encode(), len(body)) + body)
            await writer.drain()
            return True
        sse_head = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n"
        if model == "healthy":
            if stream:
                writer.write(sse_head + self.chunk("fine") + b"data: [DONE]\n\n")
                await writer.drain()
                return False
            body = self.completion("fine")
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(body) + body)
            await writer.drain()
            return True
        if model == "reset_before_headers":
            self.reset(writer)
            return False
        if model == "reset_mid_body":
            if stream:
                writer.write(sse_head + self.chunk("one"))
            else:
                body = self.completion()
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(body) + body[:20])
            await writer.drain()
            await asyncio.sleep(0.1)
            self.reset(writer)
            return False
        if model == "stall_before_headers":
            await self.stall(reader, model)
            return False
        if model == "stall_mid_body":
            if stream:
                writer.write(sse_head)
            else:
                body = self.completion()
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(body) + body[:20])
            await writer.drain()
            await self.stall(reader, model)
            return False
        if model == "stall_mid_stream":
            if stream:
                writer.write(sse_head + self.chunk("one") + self.chunk("two"))
            else:
                body = self.completion()
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(body) + body[:20])
            await writer.drain()
            await self.stall(reader)
            return False
        if model == "cut_stream":
            if stream:
                writer.write(sse_head + self.chunk("one") + self.chunk("two"))
            else:
                body = self.completion()
                # No content-length: the body ends at the close, short.
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n" + body[:20])
            await writer.drain()
            return False
        if model == "invalid_json":
            if stream:
                writer.write(sse_head + b"this is not an event stream\n\n<html>oops</html>\n\n")
            else:
                body = b"<html>502 Bad Gateway</html>"
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(body) + body)
            await writer.drain()
            return stream is False
        if model == "big_body":
            if stream:
                writer.write(sse_head)
                piece = self.chunk("x" * 1000)
                for _ in range(10 * 1024 * 1024 // len(piece)):
                    writer.write(piece)
                    await writer.drain()
                writer.write(b"data: [DONE]\n\n")
                await writer.drain()
                return False
            body = self.completion("x" * (10 * 1024 * 1024))
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(body) + body)
            await writer.drain()
            return True
        writer.write(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")
        await writer.drain()
        return True


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def config(upstream_port, refused_port, port):
    faults = [f for f in MATRIX if f != "refused"]
    # big_body's own idle deadline is long: the gateway stops reading an upstream while its client
    # is slower (backpressure), and on a loaded machine that pause can pass 2 s.
    models = "\n".join(f"  {f}: {{provider: fault, model: {f}" + (", idle_timeout: 20s" if f == "big_body" else "") + "}"
                       for f in faults)
    return f"""
server:
  port: {port}
  access_log: false
  request_timeout: {DEADLINE}s
  idle_timeout: {DEADLINE}s
  total_timeout: 20s
  header_timeout: 1s
  body_timeout: 1s
  keep_alive_timeout: 2s
  max_client_connections: 60
  max_header_size: 16KiB
  max_header_count: 100
  max_body_size: 64KiB
database: {{url: none}}
providers:
  fault: {{kind: openai, api_base: "http://127.0.0.1:{upstream_port}/v1", api_key: sk-x}}
  refused: {{kind: openai, api_base: "http://127.0.0.1:{refused_port}/v1", api_key: sk-x}}
models:
{models}
  refused: {{provider: refused, model: refused}}
  healthy: {{provider: fault, model: healthy}}
pipelines:
  main:
    - match:
        - when: {{header.x-policy: retry}}
          goto: retrying
        - when: {{header.x-policy: fallback}}
          goto: falling
        - else: route-requested
  retrying:
    - retry: {{attempts: 2, on: [429, 5xx, timeout, connect], backoff: {{base: 10ms, max: 20ms}}}}
    - route-requested
  falling:
    - fallback: {{to: [healthy], on: [error, rate_limit]}}
    - route-requested
"""


def call(port, model, stream, policy, timeout=60):
    """Returns (status, kind, seconds): kind is 'json', 'done' or 'event' (stream ended early)."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    body = json.dumps({"model": model, "stream": stream, "messages": [{"role": "user", "content": "hi"}]})
    headers = {"content-type": "application/json"}
    if policy != "none":
        headers["x-policy"] = policy
    connection.request("POST", "/v1/chat/completions", body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    elapsed = time.monotonic() - started
    if response.getheader("content-type", "").startswith("text/event-stream"):
        text = data.decode(errors="replace")
        if text.rstrip().endswith("data: [DONE]"):
            return response.status, "done", elapsed
        last = [line for line in text.splitlines() if line.startswith("data: ")][-1]
        kind = "event" if '"error"' in last else "truncated"
        return response.status, kind, elapsed
    return response.status, "json", elapsed


def client_gives_up(port, upstream, model, stream):
    """Sends a request, closes the connection after 0.3 s, and returns how long after that the
    gateway closed its stalled upstream connection (None if it did not within 1.5 s)."""
    sock = socket.create_connection(("127.0.0.1", port))
    body = json.dumps({"model": model, "stream": stream, "messages": [{"role": "user", "content": "hi"}]}).encode()
    sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(body) + body)
    time.sleep(0.3)
    with upstream.lock:
        before = len(upstream.stall_closed)
    closed_at = time.monotonic()
    sock.close()
    deadline = closed_at + 1.5
    while time.monotonic() < deadline:
        with upstream.lock:
            if len(upstream.stall_closed) > before:
                return upstream.stall_closed[-1][1] - closed_at
        time.sleep(0.02)
    return None


def raw(port, data, trickle=None, wait=6.0):
    """Sends `data` (then `trickle` one byte every 0.3 s); returns (status or None, seconds, closed)."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.settimeout(0.3)
    started = time.monotonic()
    sock.sendall(data)
    received = b""
    closed = False
    pending = list(trickle or b"")
    while time.monotonic() - started < wait:
        try:
            chunk = sock.recv(65536)
            if not chunk:
                closed = True
                break
            received += chunk
        except socket.timeout:
            pass
        except ConnectionResetError:
            closed = True
            break
        if pending:
            try:
                sock.send(bytes([pending.pop(0)]))
            except OSError:
                closed = True
                break
    elapsed = time.monotonic() - started
    sock.close()
    status = int(received[9:12]) if received.startswith(b"HTTP/1.1 ") else None
    return status, elapsed, closed


def client_limits(port):
    """The client-side limits: each answers its status, closes the connection, and is counted."""
    failures = []

    def expect(what, ok, detail):
        print(f"{'ok  ' if ok else 'FAIL'} {what}: {detail}")
        if not ok:
            failures.append(what)

    head = b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n"
    status, elapsed, closed = raw(port, head, trickle=b"x-slow: " + b"a" * 40)
    expect("slow headers get 408 at header_timeout", status == 408 and closed and elapsed < 1 + SLACK, f"{status} after {elapsed:.2f}s, closed={closed}")
    status, elapsed, closed = raw(port, head + b"content-type: application/json\r\ncontent-length: 100\r\n\r\n{\"model\"")
    expect("a body that stops gets 408 at body_timeout", status == 408 and closed and elapsed < 1 + SLACK, f"{status} after {elapsed:.2f}s, closed={closed}")
    status, elapsed, closed = raw(port, head + b"x-big: " + b"a" * 20000 + b"\r\ncontent-length: 0\r\n\r\n")
    expect("headers over max_header_size get 431", status == 431 and closed, f"{status}, closed={closed}")
    status, elapsed, closed = raw(port, head + b"content-type: application/json\r\ncontent-length: 10000000\r\n\r\n{\"model\":", wait=3)
    expect("a body over max_body_size gets 413 and the connection closes at once", status == 413 and closed and elapsed < 1, f"{status}, closed={closed} after {elapsed:.2f}s")
    many = b"".join(b"x-h%d: v\r\n" % i for i in range(150))
    status, elapsed, closed = raw(port, head + many + b"content-length: 0\r\n\r\n")
    expect("more than max_header_count fields get 431", status == 431 and closed, f"{status}, closed={closed}")
    # Idle keep-alive: a finished request's connection is closed after keep_alive_timeout.
    body = json.dumps({"model": "healthy", "messages": [{"role": "user", "content": "hi"}]}).encode()
    status, elapsed, closed = raw(port, head + b"content-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(body) + body)
    expect("an idle kept-alive connection is closed at keep_alive_timeout", status == 200 and closed and elapsed < 2 + SLACK, f"{status}, closed after {elapsed:.2f}s")
    # The connection cap: 60 open connections, the 61st gets 503.
    held = [socket.create_connection(("127.0.0.1", port)) for _ in range(60)]
    time.sleep(0.2)
    status, elapsed, closed = raw(port, b"", wait=1.0)
    for sock in held:
        sock.close()
    expect("a connection over max_client_connections gets 503", status == 503 and closed, f"{status}, closed={closed}")
    time.sleep(0.5)
    status = call(port, "healthy", False, "none")[0]
    expect("and connections are accepted again once others closed", status == 200, f"{status}")
    metrics = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    metrics.request("GET", "/metrics")
    text = metrics.getresponse().read().decode()
    counted = all(f'switchyard_client_connections_refused_total{{reason="{r}"}}' in text
                  for r in ("header_timeout", "body_timeout", "headers_too_large", "too_many_connections"))
    expect("each refusal is counted by reason", counted, "switchyard_client_connections_refused_total")
    return failures


def http_fuzz(port, count=2000, seed=7):
    """Malformed heads, bodies and encodings (seeded mutations of a valid request) sent raw; the
    gateway must answer or close each, and keep serving. Returns the statuses seen."""
    import random
    rng = random.Random(seed)
    body = json.dumps({"model": "healthy", "messages": [{"role": "user", "content": "hi"}]}).encode()
    valid = (b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
             b"content-length: %d\r\n\r\n" % len(body) + body)
    pieces = [b"\r\n", b"\n", b"\x00", b" ", b":", b"HTTP/1.0", b"HTTP/9.9", b"GET", b"transfer-encoding: chunked\r\n",
              b"content-length: -1\r\n", b"content-length: 99999999999999999999\r\n", b"content-encoding: gzip\r\n",
              b"\xff\xfe", b"%00", b"/../../etc/passwd", b"0\r\n\r\n", b"{" * 50, b"\\u0000", b"\xc3\x28"]
    statuses = {}
    for _ in range(count):
        data = bytearray(valid)
        for _ in range(rng.randint(1, 6)):
            position = rng.randint(0, len(data))
            choice = rng.random()
            if choice < 0.3 and data:
                data[rng.randrange(len(data))] = rng.randrange(256)
            elif choice < 0.5 and data:
                del data[position:position + rng.randint(1, 20)]
            else:
                data[position:position] = rng.choice(pieces)
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(bytes(data))
            sock.shutdown(socket.SHUT_WR)
            reply = sock.recv(64)
            sock.close()
            status = reply[9:12].decode(errors="replace") if reply.startswith(b"HTTP/1.") else "closed"
        except OSError as error:
            status = type(error).__name__
        statuses[status] = statuses.get(status, 0) + 1
    return statuses


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/switchyard"
    upstream = FaultUpstream()
    refused_port = free_port()  # nothing listens there
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "faults.yaml")
        with open(path, "w") as f:
            f.write(config(upstream.port, refused_port, port))
        gateway = subprocess.Popen([binary, "serve", "--config", path], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            for _ in range(300):
                try:
                    if call(port, "healthy", False, "none")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.05)
            # Warm the pools, then take the baseline.
            for stream in (False, True):
                assert call(port, "healthy", stream, "none")[0] == 200
            time.sleep(0.5)
            baseline = fd_count(gateway.pid)
            cases = [(f, s, p) for f in MATRIX for s in (False, True) for p in POLICIES]
            failures = []

            def run(case):
                fault, stream, policy = case
                expected = MATRIX[fault][1 if stream else 0][POLICIES.index(policy)]
                limit = MATRIX[fault][2]
                status, kind, elapsed = call(port, fault, stream, policy)
                if expected == "event":
                    ok = status == 200 and kind == "event"
                elif expected == "done":
                    ok = status == 200 and kind == "done"
                else:
                    ok = status == expected and kind in ("json", "done")
                ok = ok and elapsed <= limit
                return case, ok, f"{status} {kind} in {elapsed:.2f}s (expected {expected} within {limit:.1f}s)"

            with concurrent.futures.ThreadPoolExecutor(8) as pool:
                for case, ok, detail in pool.map(run, cases):
                    fault, stream, policy = case
                    label = f"{fault:22} {'stream' if stream else 'json':6} {policy:8}"
                    print(f"{'ok  ' if ok else 'FAIL'} {label} {detail}")
                    if not ok:
                        failures.append(label)
            # A client that gives up cancels its upstream call at once, in every phase (well
            # before the 2 s deadline would).
            for model, stream, phase in [("stall_before_headers", False, "waiting for headers"),
                                         ("stall_mid_body", False, "reading the body"),
                                         ("stall_before_headers", True, "stream, before its first byte"),
                                         ("stall_mid_body", True, "stream, headers but no chunk")]:
                after = client_gives_up(port, upstream, model, stream)
                ok = after is not None and after < 1.0
                print(f"{'ok  ' if ok else 'FAIL'} client gone ({phase}): upstream closed "
                      + (f"{after:.2f}s later" if after is not None else "not within 1.5 s"))
                if not ok:
                    failures.append(f"client gone ({phase})")
            failures += client_limits(port)
            statuses = http_fuzz(port)
            serving = call(port, "healthy", False, "none")[0] == 200
            print(f"{'ok  ' if serving else 'FAIL'} HTTP-level fuzz: 2000 malformed requests answered {dict(sorted(statuses.items()))}; still serving: {serving}")
            if not serving:
                failures.append("HTTP-level fuzz")
            # Still serving, and nothing left behind: the gateway closed every upstream
            # connection a fault held, and its descriptors are back to the baseline (plus the few
            # idle pooled connections a healthy answer may leave).
            for stream in (False, True):
                status = call(port, "healthy", stream, "none")[0]
                if status != 200:
                    failures.append(f"healthy after the matrix answered {status}")
            time.sleep(DEADLINE + 1)
            with upstream.lock:
                still_open = upstream.open
            fds = fd_count(gateway.pid)
            print(f"gateway descriptors: {baseline} before, {fds} after; upstream connections still open: {still_open}")
            if still_open > 4:
                failures.append(f"{still_open} upstream connections still open")
            if fds > baseline + 4:
                failures.append(f"file descriptors grew from {baseline} to {fds}")
            if gateway.poll() is not None:
                failures.append(f"the gateway exited ({gateway.returncode})")
        finally:
            gateway.terminate()
            try:
                gateway.wait(timeout=15)
            except subprocess.TimeoutExpired:
                gateway.kill()
    total = len(MATRIX) * 2 * len(POLICIES)
    failed_cases = sum(1 for f in failures if f.split()[0] in MATRIX)
    print(f"fault matrix: {total - failed_cases}/{total} cases as declared")
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("fault matrix: all cases as declared; gateway still serving; nothing left open")


if __name__ == "__main__":
    main()
