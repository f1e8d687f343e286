#!/usr/bin/env python3
"""Virtual keys end to end against the built binary, with the official `openai` SDK.

1. SQLite: create a team and a key through the management API, call chat (plain and streamed)
   with the SDK using that key, and read the spend back from /key/info and /spend/logs.
2. PostgreSQL (when SWITCHYARD_TEST_POSTGRES_URL is set): two gateway processes on one database
   share a budget: no spend is lost between them and the overshoot stays within the stated bound.
3. PostgreSQL: the database is stopped mid-load and started again (scripts/test-postgres.sh):
   cached keys keep working, unknown keys get 503, nothing crashes, and the spend of the outage
   is written once the database is back.

    scripts/keys_e2e.py [path/to/switchyard]
"""
import concurrent.futures
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    import openai
except ImportError:
    print("key end-to-end tests skipped: Python package 'openai' is not installed (pip install openai)")
    sys.exit(0)

MASTER = "sk-master-e2e"
PROMPT, COMPLETION = 1000, 500
# input 0.001/token, output 0.002/token
COST = PROMPT * 0.001 + COMPLETION * 0.002
USAGE = {"prompt_tokens": PROMPT, "completion_tokens": COMPLETION, "total_tokens": PROMPT + COMPLETION}


class Upstream(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        if body.get("stream"):
            chunks = [{"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
                       "choices": [{"index": 0, "delta": {"content": "hi"}, "finish_reason": "stop"}]}]
            if (body.get("stream_options") or {}).get("include_usage"):
                chunks.append({"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [], "usage": USAGE})
            data = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
            payload, kind = data.encode(), "text/event-stream"
        else:
            payload = json.dumps({"id": "x", "object": "chat.completion", "created": 1, "model": "m",
                                  "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
                                  "usage": USAGE}).encode()
            kind = "application/json"
        self.send_response(200)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None, key=MASTER):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"authorization": f"Bearer {key}", "content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


class Gateway:
    """The binary serving a native config on `database_url` (or the given config text)."""

    def __init__(self, binary, database_url, upstream, flush="100ms", config=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.config = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
        self.config.write(config or f"""
server: {{access_log: false, master_key: {MASTER}}}
database: {{url: "{database_url}", flush_interval: {flush}}}
providers:
  up: {{kind: openai, api_base: "{upstream}/v1", api_key: sk-upstream}}
models:
  priced: {{provider: up, model: m, input_cost_per_token: 0.001, output_cost_per_token: 0.002}}
""")
        self.config.close()
        self.process = subprocess.Popen([binary, "serve", "--config", self.config.name, "--port", str(self.port), "--log-level", "error"])
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"gateway exited with {self.process.returncode}")
                time.sleep(0.05)
        raise RuntimeError("gateway did not start")

    def stop(self):
        self.process.terminate()
        code = self.process.wait(timeout=20)
        os.unlink(self.config.name)
        assert code == 0, f"gateway exited with {code}"


def chat_status(base, key, model="priced"):
    request = urllib.request.Request(base + "/v1/chat/completions", method="POST",
                                     data=json.dumps({"model": model, "messages": [{"role": "user", "content": "hello"}]}).encode(),
                                     headers={"authorization": f"Bearer {key}", "content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        error.read()
        return error.code


def sqlite_part(binary, upstream):
    directory = tempfile.mkdtemp()
    gateway = Gateway(binary, f"sqlite://{directory}/keys.db", upstream)
    try:
        status, team = call(gateway.base, "POST", "/team/new", {"team_alias": "e2e", "max_budget": 100})
        assert status == 200, team
        status, created = call(gateway.base, "POST", "/key/generate", {"team_id": team["team_id"], "key_alias": "e2e-app", "models": ["priced"]})
        assert status == 200, created
        key = created["key"]
        client = openai.OpenAI(base_url=gateway.base + "/v1", api_key=key)
        reply = client.chat.completions.create(model="priced", messages=[{"role": "user", "content": "hello"}])
        assert reply.choices[0].message.content == "hi"
        chunks = list(client.chat.completions.create(model="priced", messages=[{"role": "user", "content": "hello"}], stream=True))
        assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "hi"
        assert all(c.usage is None for c in chunks), "the client did not ask for usage"
        try:
            client.chat.completions.create(model="other", messages=[{"role": "user", "content": "hello"}])
            raise AssertionError("a model outside the allow-list was served")
        except openai.AuthenticationError as error:
            assert "other" in str(error)
        time.sleep(0.3)
        status, info = call(gateway.base, "GET", f"/key/info?key={key}")
        assert status == 200 and abs(info["info"]["spend"] - 2 * COST) < 1e-9, info
        status, logs = call(gateway.base, "GET", f"/spend/logs?api_key={key}")
        assert status == 200 and len(logs) == 2 and all(row["total_tokens"] == PROMPT + COMPLETION for row in logs), logs
        print(f"keys e2e (SQLite): team + key via the API, openai SDK chat and stream charged {2 * COST} to the key")
    finally:
        gateway.stop()


def postgres_database(base_url):
    name = "switchyard_e2e_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", base_url, "-q", "-c", f"CREATE DATABASE {name}"], check=True)
    return base_url.replace("/postgres?", f"/{name}?")


def shared_budget_part(binary, upstream, base_url):
    url = postgres_database(base_url)
    flush = 0.1
    first, second = Gateway(binary, url, upstream), Gateway(binary, url, upstream)
    try:
        budget = 40.0  # 20 requests' worth
        status, created = call(first.base, "POST", "/key/generate", {"max_budget": budget})
        key = created["key"]
        concurrency = 4  # per replica
        statuses = []
        lock = threading.Lock()

        def hammer(base):
            for _ in range(30):
                code = chat_status(base, key)
                with lock:
                    statuses.append(code)

        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(2 * concurrency) as pool:
            list(pool.map(hammer, [first.base] * concurrency + [second.base] * concurrency))
        rate = len(statuses) / (time.monotonic() - started)
        time.sleep(4 * flush)
        ok = statuses.count(200)
        refused = statuses.count(422)
        assert ok + refused == len(statuses), statuses
        spend = subprocess.run(["psql", url, "-At", "-c", "SELECT spend FROM sy_keys"], capture_output=True, text=True, check=True).stdout.strip()
        logged = subprocess.run(["psql", url, "-At", "-c", "SELECT COUNT(*), SUM(spend) FROM sy_spend_logs"], capture_output=True, text=True, check=True).stdout.strip()
        count, total = logged.split("|")
        # No spend lost between the replicas: every admitted request is charged once and logged once
        # (refused requests never reach an upstream and write no row).
        assert abs(float(spend) - ok * COST) < 1e-6 and int(count) == ok, (spend, ok, logged)
        # Overshoot bound (docs/keys.md): the requests in flight on both replicas, plus what was
        # admitted while a replica could not yet see the other's spend: at most two flush
        # intervals (one to write it, one for the reader's cached record to expire).
        bound = budget + COST * (2 * concurrency + math.ceil(rate * 2 * flush))
        assert budget <= float(spend) <= bound, (spend, bound, rate)
        print(f"keys e2e (PostgreSQL, 2 replicas): budget {budget}, spent {float(spend)} over {ok} requests, {refused} refused "
              f"at {rate:.0f} requests/s (bound {bound}); spend table = spend logs ({float(total)})")
    finally:
        first.stop()
        second.stop()


def outage_part(binary, upstream, base_url):
    url = postgres_database(base_url)
    control = os.path.join(os.path.dirname(os.path.abspath(__file__)), "test-postgres.sh")
    gateway = Gateway(binary, url, upstream)
    try:
        status, created = call(gateway.base, "POST", "/key/generate", {})
        key = created["key"]
        assert chat_status(gateway.base, key) == 200  # cached now
        subprocess.run([control, "stop"], check=True)
        try:
            during = [chat_status(gateway.base, key) for _ in range(10)]
            assert during == [200] * 10, during
            assert chat_status(gateway.base, "sk-unknown-during-outage") == 503
            status, _ = call(gateway.base, "POST", "/key/generate", {})
            assert status == 503, status
        finally:
            subprocess.run([control, "start"], check=True, stdout=subprocess.DEVNULL)
        for _ in range(100):
            spend = subprocess.run(["psql", url, "-At", "-c", "SELECT spend FROM sy_keys"], capture_output=True, text=True).stdout.strip()
            if spend and abs(float(spend) - 11 * COST) < 1e-6:
                break
            time.sleep(0.1)
        assert spend and abs(float(spend) - 11 * COST) < 1e-6, spend
        assert chat_status(gateway.base, key) == 200
        print("keys e2e (PostgreSQL outage): cached key served through the outage, unknown key 503, spend written after restart")
    finally:
        gateway.stop()


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/switchyard"
    server = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    upstream = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        sqlite_part(binary, upstream)
        base_url = os.environ.get("SWITCHYARD_TEST_POSTGRES_URL")
        if not base_url:
            print("keys e2e PostgreSQL parts SKIPPED: SWITCHYARD_TEST_POSTGRES_URL is not set")
            return
        shared_budget_part(binary, upstream, base_url)
        outage_part(binary, upstream, base_url)
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
