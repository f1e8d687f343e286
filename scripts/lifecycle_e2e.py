#!/usr/bin/env python3
"""Reload and drain against the built binary, with real signals.

1. SIGHUP reloads: a model added to the file is served; a broken file changes nothing (the
   errors are logged as file:line:column) and the gateway keeps serving.
2. `--watch` reloads when the file changes.
3. A stream running across a reload finishes on the program it started with.
4. SIGTERM drains: readiness turns 503 at once, live streams finish whole, a stalled stream is
   ended with an error event at `server.drain_timeout`, and the process exits 0.
5. A second SIGTERM exits at once, without waiting for the drain.
6. Load: N concurrent streams (default 2,000; LIFECYCLE_STREAMS) complete with 0 errors while
   the configuration is reloaded, then a SIGTERM drains them.

    scripts/lifecycle_e2e.py [path/to/switchyard]
"""
import asyncio
import http.client
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fault_matrix import free_port  # noqa: E402

STREAMS = int(os.environ.get("LIFECYCLE_STREAMS", "2000"))


def upstream_process(port_queue):
    """The fake upstream, in a process of its own (asyncio, one task per connection) so that
    thousands of slow streams neither starve nor are starved by the clients' side.
    `slow-N`: N chunks 100 ms apart, then [DONE]; `stall`: one chunk, then silence; anything
    else non-streamed: a completion naming the model."""
    async def handle(reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
                body = json.loads(await reader.readexactly(length))
                model = body["model"]
                if not body.get("stream"):
                    data = json.dumps({"id": "c", "object": "chat.completion", "created": 1, "model": model,
                                       "choices": [{"index": 0, "message": {"role": "assistant", "content": model}, "finish_reason": "stop"}]}).encode()
                    writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(data) + data)
                    await writer.drain()
                    continue
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n")
                count = int(model.split("-")[1]) if model.startswith("slow-") else 1
                for i in range(count):
                    chunk = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": model,
                             "choices": [{"index": 0, "delta": {"content": f"{i} "}, "finish_reason": None}]}
                    writer.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
                    await writer.drain()
                    await asyncio.sleep(0.1)
                if model == "stall":
                    await asyncio.sleep(120)
                else:
                    writer.write(b"data: [DONE]\n\n")
                    await writer.drain()
                break
        except (asyncio.IncompleteReadError, ConnectionError, StopIteration):
            pass
        finally:
            writer.close()

    async def serve():
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=4096)
        port_queue.put(server.sockets[0].getsockname()[1])
        await server.serve_forever()

    asyncio.run(serve())


def write_config(path, upstream_port, port, extra_models="", broken=False, drain="3s"):
    text = f"""server:
  port: {port}
  access_log: false
  drain_timeout: {drain}
  header_timeout: 60s   # thousands of clients (and a Python upstream) at once on a loaded
  connect_timeout: 60s  # machine are slow to send and to accept
database: {{url: none}}
providers:
  up: {{kind: openai, api_base: "http://127.0.0.1:{upstream_port}/v1", api_key: sk-x}}
models:
  slow: {{provider: up, model: slow-20}}
  long: {{provider: up, model: slow-100}}
  stall: {{provider: up, model: stall}}
{extra_models}"""
    if broken:
        text += "  wrong: {provider: nowhere}\n"
    with open(path, "w") as f:
        f.write(text)


def request(port, method, path, body=None, timeout=30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request(method, path, body=json.dumps(body) if body is not None else None,
                       headers={"content-type": "application/json"})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data.decode(errors="replace")


def models(port):
    return [m["id"] for m in json.loads(request(port, "GET", "/v1/models")[1])["data"]]


def stream(port, model, out, key):
    try:
        status, text = request(port, "POST", "/v1/chat/completions",
                               {"model": model, "stream": True, "messages": [{"role": "user", "content": "hi"}]}, timeout=60)
        out[key] = (status, text)
    except Exception as error:  # noqa: BLE001 — recorded as the outcome
        out[key] = (0, repr(error))


def start(binary, config, *flags):
    """The gateway's log lines (stdout) go to `<config>.log`."""
    log = open(config + ".log", "w")
    return subprocess.Popen([binary, "serve", "--config", config, *flags], stdout=log, stderr=subprocess.STDOUT, text=True)


def wait_ready(port, process):
    for _ in range(400):
        if process.poll() is not None:
            raise SystemExit(f"gateway exited ({process.returncode})")
        try:
            if request(port, "GET", "/health/readiness", timeout=1)[0] == 200:
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("gateway did not become ready")


failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def finish(summary):
    """Exits with status 1 listing the failed checks, or prints `summary`."""
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print(summary)


def dechunked(response):
    """The body of a raw HTTP/1.1 response, with chunked framing taken off."""
    head, _, body = response.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" not in head.lower():
        return body
    out = b""
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        body = rest[size + 2:]
    return out


async def load(port, count, model, started):
    """`count` concurrent streams over raw sockets; each adds itself to `started` once its
    first chunk arrived. Returns the outcomes: "done" for a complete stream, else what went wrong."""
    async def one():
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            body = json.dumps({"model": model, "stream": True, "messages": [{"role": "user", "content": "hi"}]}).encode()
            writer.write(b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                         b"connection: close\r\ncontent-length: %d\r\n\r\n" % len(body) + body)
            await writer.drain()
            try:
                data = await asyncio.wait_for(reader.readuntil(b"data: "), 120)
            except asyncio.IncompleteReadError as error:
                return "status " + error.partial[9:12].decode(errors="replace") if error.partial else "closed"
            started.append(1)
            data += await asyncio.wait_for(reader.read(), 120)
            writer.close()
            if b" 200 " not in data[:20]:
                return "status " + data[9:12].decode()
            if b'"error"' in data:
                return "error event"
            return "done" if b"data: [DONE]" in dechunked(data) else "truncated"
        except Exception as error:  # noqa: BLE001 — counted as the outcome
            return type(error).__name__
    return await asyncio.gather(*(one() for _ in range(count)))


def rss_mib(pid):
    """The resident set of process `pid` (VmRSS), in MiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class PeakRSS:
    """`with PeakRSS(pid) as rss:` samples the resident set every 100 ms; `rss.peak` in MiB."""

    def __init__(self, pid):
        self.pid = pid
        self.peak = rss_mib(pid)
        self.sampling = False
        self.thread = None

    def _sample(self):
        while self.sampling:
            self.peak = max(self.peak, rss_mib(self.pid))
            time.sleep(0.1)

    def __enter__(self):
        self.sampling = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.sampling = False
        self.thread.join()


def start_upstream():
    """Starts `upstream_process` (a daemon process); returns its port."""
    ports = multiprocessing.Queue()
    multiprocessing.Process(target=upstream_process, args=(ports,), daemon=True).start()
    return ports.get(timeout=30)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/switchyard"
    up = start_upstream()
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "gateway.yaml")

        # 1–3: SIGHUP, a broken file, a stream across a reload.
        port = free_port()
        write_config(config, up, port)
        gateway = start(binary, config)
        wait_ready(port, gateway)
        out = {}
        across = threading.Thread(target=stream, args=(port, "slow", out, "across"))
        across.start()
        time.sleep(0.3)
        write_config(config, up, port, extra_models="  added: {provider: up, model: added}\n")
        gateway.send_signal(signal.SIGHUP)
        time.sleep(1)
        check(gateway.poll() is None, "SIGHUP does not stop the gateway")
        check("added" in models(port), "SIGHUP reloads: the added model is listed")
        status, text = request(port, "POST", "/v1/chat/completions", {"model": "added", "messages": [{"role": "user", "content": "x"}]})
        check(status == 200 and '"added"' in text, "the added model answers after the reload")
        write_config(config, up, port, broken=True)
        gateway.send_signal(signal.SIGHUP)
        time.sleep(1)
        check(gateway.poll() is None and "added" in models(port), "a broken file changes nothing and the gateway keeps serving")
        across.join()
        status, text = out["across"]
        check(status == 200 and text.rstrip().endswith("data: [DONE]") and "19 " in text, "a stream running across two reloads finishes whole")
        gateway.send_signal(signal.SIGTERM)
        gateway.wait(timeout=20)
        with open(config + ".log") as f:
            log = f.read()
        located = [line for line in log.splitlines() if f"reload: {config}:" in line]
        check(any("nowhere" in line for line in located), "the reload error names the file and the problem")
        check(any(line.split(f"reload: {config}:")[1].split(":")[0].isdigit() for line in located), "the reload error has file:line:column")

        # 2: --watch.
        port = free_port()
        write_config(config, up, port)
        gateway = start(binary, config, "--watch")
        wait_ready(port, gateway)
        time.sleep(1.1)
        write_config(config, up, port, extra_models="  watched: {provider: up, model: watched}\n")
        deadline = time.time() + 5
        while time.time() < deadline and "watched" not in models(port):
            time.sleep(0.2)
        check("watched" in models(port), "--watch reloads a changed file")

        # 4: drain with live and stalled streams.
        out = {}
        threads = [threading.Thread(target=stream, args=(port, "slow", out, f"live{i}")) for i in range(5)]
        threads.append(threading.Thread(target=stream, args=(port, "stall", out, "stalled")))
        for t in threads:
            t.start()
        time.sleep(0.5)
        keepalive = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        keepalive.request("GET", "/health/readiness")
        first = keepalive.getresponse()
        first.read()
        started = time.time()
        gateway.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        try:
            keepalive.request("GET", "/health/readiness")
            ready = keepalive.getresponse()
            ready.read()
            not_ready = ready.status == 503
        except OSError:
            not_ready = True  # the listener is closed: not ready either
        check(first.status == 200 and not_ready, "readiness turns not-ready as soon as the drain starts")
        code = gateway.wait(timeout=20)
        elapsed = time.time() - started
        for t in threads:
            t.join()
        live = [out[f"live{i}"] for i in range(5)]
        check(all(s == 200 and t.rstrip().endswith("data: [DONE]") for s, t in live), "live streams finish whole during the drain")
        status, text = out["stalled"]
        check(status == 200 and '"error"' in text and "[DONE]" not in text, f"the stalled stream ends with an error event at the drain timeout ({status} {text[-120:]!r})")
        check(code == 0 and elapsed < 3 + 6, f"the process exits 0 after the drain (code {code}, {elapsed:.1f} s)")

        # 5: a second SIGTERM exits at once.
        port = free_port()
        write_config(config, up, port, drain="60s")
        gateway = start(binary, config)
        wait_ready(port, gateway)
        out = {}
        stalled = threading.Thread(target=stream, args=(port, "stall", out, "s"))
        stalled.start()
        time.sleep(0.5)
        gateway.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        check(gateway.poll() is None, "with a stalled stream the first SIGTERM waits (drain_timeout 60 s)")
        started = time.time()
        gateway.send_signal(signal.SIGTERM)
        try:
            gateway.wait(timeout=5)
        except subprocess.TimeoutExpired:
            gateway.kill()
        check(time.time() - started < 2, f"a second SIGTERM exits at once ({time.time() - started:.2f} s)")
        stalled.join()

        # 6: load with a reload and a drain.
        port = free_port()
        write_config(config, up, port, drain="30s")
        gateway = start(binary, config)
        wait_ready(port, gateway)

        async def scenario():
            started = []
            task = asyncio.ensure_future(load(port, STREAMS, "long", started))
            # Every stream is running before the reload and the drain (at most 60 s to get there).
            for _ in range(600):
                if len(started) >= STREAMS or task.done():
                    break
                await asyncio.sleep(0.1)
            running = len(started)
            write_config(config, up, port, drain="30s", extra_models="  more: {provider: up, model: more}\n")
            gateway.send_signal(signal.SIGHUP)
            await asyncio.sleep(0.5)
            gateway.send_signal(signal.SIGTERM)
            return running, await task
        running, outcomes = asyncio.run(scenario())
        code = gateway.wait(timeout=60)
        completed = outcomes.count("done")
        problems = {o: outcomes.count(o) for o in set(outcomes) if o != "done"}
        check(running == STREAMS and completed == STREAMS and code == 0,
              f"{completed}/{STREAMS} concurrent streams ({running} running at the reload and the SIGTERM) completed through both (exit {code}){' ' + str(problems) if problems else ''}")

    finish("lifecycle: reload and drain behave as documented")


if __name__ == "__main__":
    main()
