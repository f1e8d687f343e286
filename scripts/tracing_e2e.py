#!/usr/bin/env python3
"""OpenTelemetry traces end to end: the built binary exports to a real OTLP/HTTP receiver.

A fake OpenAI-compatible upstream and an OTLP/HTTP receiver (POST /v1/traces, protobuf, decoded
with `opentelemetry-proto`) run in this process on port 0. Requests carry a client `traceparent`;
the script checks the span tree (server span under the client's span, upstream span under the
server span, one span per retry attempt and fallback hop, a scrub span; chat completions,
/v1/messages and /v1/embeddings), the GenAI attributes, the `traceparent` the upstream
received, that a stream's spans end after its last byte with its usage, the access line's `trace_id`, that no key or scrubbed value is exported or logged, that the
`OTEL_*` variables override the file, that queued spans are exported when the server stops, that
a gRPC protocol is refused at start, and that nothing is
exported (and no traceparent sent upstream) when tracing is off.

    scripts/tracing_e2e.py [path/to/switchyard]
"""
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
except ImportError:
    print("tracing end-to-end tests skipped: Python package 'opentelemetry-proto' is not installed (see scripts/python-env.sh)")
    sys.exit(0)

MASTER_KEY = "sk-master-e2e-9f8e7d6c5b4a"
UPSTREAM_KEY = "sk-upstream-e2e-1a2b3c4d5e6f"
COLLECTOR_TOKEN = "collector-token-e2e-77aa88bb"
SECRET_EMAIL = "alice.secret@example.com"
USAGE = {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}
STREAM_GAP = 0.3  # seconds between the fake upstream's stream chunks


class Upstream(BaseHTTPRequestHandler):
    """OpenAI-compatible: `broken-model` always fails (500), `flaky-model` fails every other call
    (503), everything else answers with `USAGE`; streams are sent slowly, chunk by chunk."""
    protocol_version = "HTTP/1.1"
    received = []  # (headers, body) of every request
    flaky_calls = 0
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def send(self, status, payload, kind="application/json"):
        data = payload.encode()
        self.send_response(status)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        with Upstream.lock:
            Upstream.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            if body["model"] == "flaky-model":
                Upstream.flaky_calls += 1
                flaky_fails = Upstream.flaky_calls % 2 == 1
            else:
                flaky_fails = False
        if self.path == "/v1/embeddings":
            return self.send(200, json.dumps({"object": "list", "model": body["model"] + "-v2",
                                              "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2]}],
                                              "usage": {"prompt_tokens": 5, "total_tokens": 5}}))
        if body["model"] == "broken-model" or flaky_fails:
            status = 500 if body["model"] == "broken-model" else 503
            return self.send(status, json.dumps({"error": {"message": "down", "type": "server_error"}}))
        model = body["model"] + "-2024-07-18"
        if not body.get("stream"):
            return self.send(200, json.dumps({
                "id": "chatcmpl-e2e", "object": "chat.completion", "created": 1, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "hello there"}, "finish_reason": "stop"}],
                "usage": USAGE}))
        base = {"id": "chatcmpl-stream-e2e", "object": "chat.completion.chunk", "created": 1, "model": model}
        chunks = [dict(base, choices=[{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]),
                  dict(base, choices=[{"index": 0, "delta": {"content": "hel"}, "finish_reason": None}]),
                  dict(base, choices=[{"index": 0, "delta": {"content": "lo"}, "finish_reason": None}]),
                  dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": "length"}])]
        if (body.get("stream_options") or {}).get("include_usage"):
            chunks.append(dict(base, choices=[], usage=USAGE))
        events = [f"data: {json.dumps(c)}\n\n" for c in chunks] + ["data: [DONE]\n\n"]
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        for i, event in enumerate(events):
            if i > 0:
                time.sleep(STREAM_GAP)
            data = event.encode()
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")


class Receiver(BaseHTTPRequestHandler):
    """OTLP/HTTP: keeps every export's raw body, headers and decoded spans."""
    protocol_version = "HTTP/1.1"
    exports = []  # (headers, raw body)
    spans = []  # (service name, span)
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("content-length", 0)))
        ok = self.path == "/v1/traces" and self.headers.get("content-type") == "application/x-protobuf"
        if ok:
            request = trace_service_pb2.ExportTraceServiceRequest()
            request.ParseFromString(raw)
            with Receiver.lock:
                Receiver.exports.append(({k.lower(): v for k, v in self.headers.items()}, raw))
                for resource_spans in request.resource_spans:
                    service = attributes(resource_spans.resource.attributes).get("service.name")
                    for scope_spans in resource_spans.scope_spans:
                        Receiver.spans.extend((service, span) for span in scope_spans.spans)
        data = trace_service_pb2.ExportTraceServiceResponse().SerializeToString() if ok else b""
        self.send_response(200 if ok else 404)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def value(any_value):
    kind = any_value.WhichOneof("value")
    if kind == "array_value":
        return [value(v) for v in any_value.array_value.values]
    return getattr(any_value, kind) if kind else None


def attributes(key_values):
    return {kv.key: value(kv.value) for kv in key_values}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gateway:
    """The binary serving `config`, its stdout (JSON log lines) collected."""

    def __init__(self, binary, folder, name, config, env=None):
        path = os.path.join(folder, name + ".yaml")
        with open(path, "w") as f:
            f.write(config)
        self.port = free_port()
        environment = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
        environment["OTEL_BSP_SCHEDULE_DELAY"] = "100"  # export within 100 ms instead of 5 s
        environment.update(env or {})
        self.process = subprocess.Popen(
            [binary, "serve", "--config", path, "--port", str(self.port), "--log-format", "json"],
            stdout=subprocess.PIPE, env=environment, text=True)
        self.lines = []
        threading.Thread(target=self.read, daemon=True).start()
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"{name}: the gateway did not start")

    def read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    def chat(self, body, traceparent=None, tracestate=None, path="/v1/chat/completions"):
        """(status, headers with lowercase names, body bytes)."""
        headers = {"content-type": "application/json", "authorization": f"Bearer {MASTER_KEY}"}
        if traceparent:
            headers["traceparent"] = traceparent
        if tracestate:
            headers["tracestate"] = tracestate
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}",
                                         data=json.dumps(body).encode(), headers=headers, method="POST")
        try:
            response = urllib.request.urlopen(request, timeout=30)
        except urllib.error.HTTPError as error:
            return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()
        with response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()

    def access_line(self, request_id):
        for _ in range(50):
            for line in list(self.lines):
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if record.get("message") == "request" and record.get("request.id") == request_id:
                    return record
            time.sleep(0.1)
        raise AssertionError(f"no access line for request {request_id}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)
        return self.process.returncode


def client_context():
    """A client's traceparent: (header, trace id, span id)."""
    trace_id, span_id = secrets.token_hex(16), secrets.token_hex(8)
    return f"00-{trace_id}-{span_id}-01", trace_id, span_id


def trace_spans(trace_id, count, timeout=10):
    """The spans of one trace once `count` have arrived."""
    deadline = time.monotonic() + timeout
    while True:
        with Receiver.lock:
            found = [(service, span) for service, span in Receiver.spans if span.trace_id.hex() == trace_id]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def upstream_traceparents(trace_id):
    with Upstream.lock:
        return [h["traceparent"] for h, _ in Upstream.received if h.get("traceparent", "").split("-")[1:2] == [trace_id]]


def one(spans, predicate, what):
    matching = [s for s in spans if predicate(s)]
    assert len(matching) == 1, f"expected one {what}, found {len(matching)}: {[s.name for s in spans]}"
    return matching[0]


def config(upstream, telemetry):
    return f"""
server: {{master_key: "{MASTER_KEY}", access_log: true}}
database: {{url: none}}
{telemetry}
providers:
  oa: {{kind: openai, api_base: "{upstream}/v1", api_key: "{UPSTREAM_KEY}"}}
models:
  gpt-4o-mini: {{provider: oa}}
  broken: {{provider: oa, model: broken-model}}
  flaky: {{provider: oa, model: flaky-model}}
  with-fallback: {{pipeline: fb}}
  with-retry: {{pipeline: rt}}
  with-scrub: {{pipeline: sc}}
scrubbers:
  pii: {{detect: [email], action: redact}}
pipelines:
  fb:
    - fallback: {{to: [gpt-4o-mini], on: [error]}}
    - route: broken
  rt:
    - retry: {{attempts: 3, backoff: {{base: 10ms, max: 20ms}}}}
    - route: flaky
  sc:
    - scrub: pii
    - route: gpt-4o-mini
"""


def check_traced(gateway):
    """Span tree, attributes and propagation of answered, streamed, retried, fallen-back and failed requests."""
    SERVER, CLIENT = 2, 3  # Span.SpanKind
    ERROR = 2  # Status.StatusCode

    # A complete answer: server span under the client's span, upstream span under it.
    traceparent, trace_id, client_span = client_context()
    status, headers, _ = gateway.chat(
        {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 50, "temperature": 0.2, "top_p": 0.9},
        traceparent=traceparent, tracestate="vendor=abc")
    assert status == 200, status
    spans = [s for _, s in trace_spans(trace_id, 2)]
    server = one(spans, lambda s: s.kind == SERVER, "server span")
    upstream = one(spans, lambda s: s.kind == CLIENT, "upstream span")
    assert server.parent_span_id.hex() == client_span, "the server span is not a child of the client's span"
    assert upstream.parent_span_id == server.span_id, "the upstream span is not a child of the server span"
    assert server.name == "POST /v1/chat/completions", server.name
    assert upstream.name == "chat gpt-4o-mini", upstream.name
    a = attributes(upstream.attributes)
    expected = {"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o-mini",
                "gen_ai.response.model": "gpt-4o-mini-2024-07-18", "gen_ai.request.max_tokens": 50,
                "gen_ai.request.temperature": 0.2, "gen_ai.request.top_p": 0.9, "gen_ai.request.stream": False,
                "gen_ai.response.id": "chatcmpl-e2e", "gen_ai.response.finish_reasons": ["stop"],
                "gen_ai.usage.input_tokens": 11, "gen_ai.usage.output_tokens": 7}
    for key, want in expected.items():
        assert a.get(key) == want, f"{key}: {a.get(key)!r}, expected {want!r}"
    assert "gen_ai.input.messages" not in a and "gen_ai.output.messages" not in a, "content captured though it is off"
    s = attributes(server.attributes)
    assert s.get("http.response.status_code") == 200 and s.get("switchyard.request.id") == headers["x-switchyard-request-id"], s
    # The upstream got the upstream span's context, and the client's tracestate.
    sent = upstream_traceparents(trace_id)
    assert sent == [f"00-{trace_id}-{upstream.span_id.hex()}-01"], f"upstream traceparent {sent}, upstream span {upstream.span_id.hex()}"
    with Upstream.lock:
        states = [h.get("tracestate") for h, _ in Upstream.received if h.get("traceparent") in sent]
    assert states == ["vendor=abc"], states
    # The access line links the request id to the trace.
    line = gateway.access_line(headers["x-switchyard-request-id"])
    assert line.get("trace_id") == trace_id, line

    # A stream: both spans end after its last chunk, with its usage.
    traceparent, trace_id, client_span = client_context()
    started = time.time_ns()
    status, headers, body = gateway.chat(
        {"model": "gpt-4o-mini", "stream": True, "messages": [{"role": "user", "content": "hi"}]}, traceparent=traceparent)
    assert status == 200 and b"[DONE]" in body, (status, body)
    assert b'"usage"' not in body, "the usage chunk the gateway asked for reached a client that did not"
    spans = [s for _, s in trace_spans(trace_id, 2)]
    server = one(spans, lambda s: s.kind == SERVER, "server span")
    upstream = one(spans, lambda s: s.kind == CLIENT, "upstream span")
    assert server.parent_span_id.hex() == client_span and upstream.parent_span_id == server.span_id
    least = int(STREAM_GAP * 4 * 0.9 * 1e9)
    for span in (server, upstream):
        assert span.end_time_unix_nano - started >= least, f"{span.name} ended {(span.end_time_unix_nano - started) / 1e9:.2f}s in, before the stream's end"
    assert server.end_time_unix_nano >= upstream.end_time_unix_nano, "the server span ended before the upstream span"
    a = attributes(upstream.attributes)
    assert a.get("gen_ai.request.stream") is True and a.get("gen_ai.response.finish_reasons") == ["length"], a
    assert a.get("gen_ai.usage.input_tokens") == 11 and a.get("gen_ai.usage.output_tokens") == 7, a
    assert a.get("gen_ai.response.id") == "chatcmpl-stream-e2e" and "error.type" not in a, a
    s = attributes(server.attributes)
    assert s.get("gen_ai.usage.output_tokens") == 7 and s.get("switchyard.stream") is True, s
    assert gateway.access_line(headers["x-switchyard-request-id"]).get("trace_id") == trace_id

    # A fallback: one span per hop, the failed one with error.type; one upstream span per call.
    traceparent, trace_id, _ = client_context()
    status, _, _ = gateway.chat({"model": "with-fallback", "messages": [{"role": "user", "content": "hi"}]}, traceparent=traceparent)
    assert status == 200, status
    spans = [s for _, s in trace_spans(trace_id, 5)]
    server = one(spans, lambda s: s.kind == SERVER, "server span")
    primary = one(spans, lambda s: s.name == "fallback primary", "fallback primary span")
    hop = one(spans, lambda s: s.name == "fallback gpt-4o-mini", "fallback hop span")
    assert primary.parent_span_id == server.span_id and hop.parent_span_id == server.span_id
    failed = one(spans, lambda s: s.name == "chat broken-model", "failed upstream span")
    answered = one(spans, lambda s: s.name == "chat gpt-4o-mini", "answering upstream span")
    assert failed.parent_span_id == primary.span_id and answered.parent_span_id == hop.span_id
    assert attributes(failed.attributes).get("error.type") == "upstream_error" and failed.status.code == ERROR, attributes(failed.attributes)
    assert attributes(primary.attributes).get("error.type") == "upstream_error" and primary.status.code == ERROR
    assert "error.type" not in attributes(answered.attributes) and "error.type" not in attributes(hop.attributes)
    assert len(upstream_traceparents(trace_id)) == 2

    # A retry: one span per attempt, the first failed.
    traceparent, trace_id, _ = client_context()
    status, _, _ = gateway.chat({"model": "with-retry", "messages": [{"role": "user", "content": "hi"}]}, traceparent=traceparent)
    assert status == 200, status
    spans = [s for _, s in trace_spans(trace_id, 5)]
    first = one(spans, lambda s: s.name == "retry attempt 1", "first attempt span")
    second = one(spans, lambda s: s.name == "retry attempt 2", "second attempt span")
    assert attributes(first.attributes).get("error.type") == "upstream_error" and first.status.code == ERROR
    assert "error.type" not in attributes(second.attributes)
    calls = [s for s in spans if s.name == "chat flaky-model"]
    assert len(calls) == 2 and {c.parent_span_id for c in calls} == {first.span_id, second.span_id}, [s.name for s in spans]
    assert sorted("error.type" in attributes(c.attributes) for c in calls) == [False, True]

    # Anthropic's /v1/messages goes the same way.
    traceparent, trace_id, client_span = client_context()
    status, _, _ = gateway.chat({"model": "gpt-4o-mini", "max_tokens": 20, "messages": [{"role": "user", "content": "hi"}]},
                                traceparent=traceparent, path="/v1/messages")
    assert status == 200, status
    spans = [s for _, s in trace_spans(trace_id, 2)]
    server = one(spans, lambda s: s.kind == SERVER, "server span")
    upstream = one(spans, lambda s: s.kind == CLIENT, "upstream span")
    assert server.name == "POST /v1/messages" and server.parent_span_id.hex() == client_span and upstream.parent_span_id == server.span_id
    assert attributes(upstream.attributes).get("gen_ai.request.max_tokens") == 20 and attributes(upstream.attributes).get("gen_ai.usage.input_tokens") == 11

    # Embeddings: a server span and an `embeddings {model}` upstream span.
    traceparent, trace_id, client_span = client_context()
    status, _, _ = gateway.chat({"model": "gpt-4o-mini", "input": "hi"}, traceparent=traceparent, path="/v1/embeddings")
    assert status == 200, status
    spans = [s for _, s in trace_spans(trace_id, 2)]
    server = one(spans, lambda s: s.kind == SERVER, "server span")
    upstream = one(spans, lambda s: s.kind == CLIENT, "upstream span")
    assert server.name == "POST /v1/embeddings" and server.parent_span_id.hex() == client_span and upstream.parent_span_id == server.span_id
    a = attributes(upstream.attributes)
    assert upstream.name == "embeddings gpt-4o-mini" and a.get("gen_ai.operation.name") == "embeddings", (upstream.name, a)
    assert a.get("gen_ai.usage.input_tokens") == 5 and a.get("gen_ai.response.model") == "gpt-4o-mini-v2", a
    assert upstream_traceparents(trace_id) == [f"00-{trace_id}-{upstream.span_id.hex()}-01"]

    # A failed request: the server span says why.
    traceparent, trace_id, _ = client_context()
    status, _, _ = gateway.chat({"model": "broken", "messages": [{"role": "user", "content": "hi"}]}, traceparent=traceparent)
    assert status == 500, status
    spans = [s for _, s in trace_spans(trace_id, 2)]
    server = one(spans, lambda s: s.kind == SERVER, "server span")
    assert attributes(server.attributes).get("error.type") == "upstream_error" and server.status.code == ERROR
    assert attributes(server.attributes).get("http.response.status_code") == 500

    # No client (no traceparent): a trace of its own.
    status, headers, _ = gateway.chat({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]})
    trace_id = gateway.access_line(headers["x-switchyard-request-id"]).get("trace_id")
    assert trace_id and len(trace_id) == 32, trace_id
    spans = [s for _, s in trace_spans(trace_id, 2)]
    assert len(spans) == 2 and one(spans, lambda s: s.kind == SERVER, "server span").parent_span_id == b""


def check_scrub(gateway, content):
    """A scrub span; message content only with capture_content, and then only as scrubbed."""
    SERVER, CLIENT = 2, 3
    traceparent, trace_id, _ = client_context()
    status, _, _ = gateway.chat(
        {"model": "with-scrub", "messages": [{"role": "user", "content": f"mail {SECRET_EMAIL} please"}]}, traceparent=traceparent)
    assert status == 200, status
    spans = [s for _, s in trace_spans(trace_id, 3)]
    server = one(spans, lambda s: s.kind == SERVER, "server span")
    scrub = one(spans, lambda s: s.name == "scrub pii", "scrub span")
    assert scrub.parent_span_id == server.span_id and attributes(scrub.attributes).get("switchyard.scrub.replacements") == 1
    upstream = one(spans, lambda s: s.kind == CLIENT, "upstream span")
    assert upstream.parent_span_id == server.span_id
    a = attributes(upstream.attributes)
    if not content:
        assert "gen_ai.input.messages" not in a and "gen_ai.output.messages" not in a, "content captured though it is off"
        return
    assert "[EMAIL]" in a.get("gen_ai.input.messages", ""), a
    assert json.loads(a["gen_ai.output.messages"])[0]["content"] == "hello there", a


def check_secrets():
    with Receiver.lock:
        exports = list(Receiver.exports)
    assert exports, "nothing was exported"
    for headers, raw in exports:
        assert headers.get("x-collector-token") == COLLECTOR_TOKEN, "telemetry.headers were not sent with the export"
        for secret in (MASTER_KEY, UPSTREAM_KEY, COLLECTOR_TOKEN, SECRET_EMAIL, "Bearer", "authorization"):
            assert secret.encode() not in raw and secret.lower().encode() not in raw, f"'{secret}' was exported"


def check_untraced(binary, folder, up, name, telemetry, env=None):
    """Nothing reaches the receiver and the upstream sees no traceparent."""
    with Receiver.lock:
        before = len(Receiver.exports)
    with Upstream.lock:
        sent_before = len(Upstream.received)
    gateway = Gateway(binary, folder, name, config(up, telemetry), env)
    try:
        traceparent, _, _ = client_context()
        for model in ("gpt-4o-mini", "with-fallback"):
            status, _, _ = gateway.chat({"model": model, "messages": [{"role": "user", "content": "hi"}]}, traceparent=traceparent)
            assert status == 200, status
    finally:
        gateway.stop()  # a running exporter would flush on shutdown
    time.sleep(0.5)
    with Receiver.lock:
        assert len(Receiver.exports) == before, f"{name}: spans were exported with tracing off"
    with Upstream.lock:
        assert not any("traceparent" in h for h, _ in Upstream.received[sent_before:]), f"{name}: the upstream got a traceparent"


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/switchyard"
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    for server in (upstream, receiver):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    up = f"http://127.0.0.1:{upstream.server_address[1]}"
    collector = f"http://127.0.0.1:{receiver.server_address[1]}"
    folder = tempfile.mkdtemp(prefix="switchyard-tracing-e2e-")
    try:
        telemetry = f"""telemetry:
  otlp_endpoint: "{collector}"
  service_name: switchyard-e2e
  headers: {{x-collector-token: "{COLLECTOR_TOKEN}"}}
  capture_content: false
"""
        gateway = Gateway(binary, folder, "traced", config(up, telemetry))
        try:
            check_traced(gateway)
            check_scrub(gateway, content=False)
        finally:
            assert gateway.stop() == 0
        assert not any(COLLECTOR_TOKEN in line or MASTER_KEY in line for line in gateway.lines), "a secret was logged"
        gateway = Gateway(binary, folder, "content", config(up, telemetry.replace("capture_content: false", "capture_content: true")))
        try:
            check_scrub(gateway, content=True)
        finally:
            assert gateway.stop() == 0
        check_secrets()
        with Receiver.lock:
            services = {service for service, _ in Receiver.spans}
        assert services == {"switchyard-e2e"}, services

        # The OTEL_* variables win over the file: endpoint and service name from the environment.
        dead = f"http://127.0.0.1:{free_port()}"
        gateway = Gateway(binary, folder, "env", config(up, f"telemetry: {{otlp_endpoint: \"{dead}\"}}"),
                          {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": collector + "/v1/traces", "OTEL_SERVICE_NAME": "from-env",
                           "OTEL_EXPORTER_OTLP_HEADERS": f"x-env-token={COLLECTOR_TOKEN}"})
        try:
            traceparent, trace_id, _ = client_context()
            assert gateway.chat({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}, traceparent=traceparent)[0] == 200
            found = trace_spans(trace_id, 2)
            assert len(found) == 2 and {service for service, _ in found} == {"from-env"}, found
        finally:
            gateway.stop()
        with Receiver.lock:
            assert Receiver.exports[-1][0].get("x-env-token") == COLLECTOR_TOKEN, "OTEL_EXPORTER_OTLP_HEADERS were not sent"
        assert not any(COLLECTOR_TOKEN in line for line in gateway.lines), "an export header's value was logged"

        # Spans still queued when the server stops are exported before it exits (a batch every minute here).
        gateway = Gateway(binary, folder, "flush", config(up, f"telemetry: {{otlp_endpoint: \"{collector}\"}}"),
                          {"OTEL_BSP_SCHEDULE_DELAY": "60000"})
        traceparent, trace_id, _ = client_context()
        try:
            assert gateway.chat({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}, traceparent=traceparent)[0] == 200
            time.sleep(0.5)
            assert not trace_spans(trace_id, 2, timeout=0), "exported before the schedule delay: the flush is not what is tested"
        finally:
            assert gateway.stop() == 0
        assert len(trace_spans(trace_id, 2, timeout=2)) == 2, "queued spans were lost at shutdown"

        # A protocol this build does not have is refused at start, not a crash.
        path = os.path.join(folder, "grpc.yaml")
        with open(path, "w") as f:
            f.write(config(up, f"telemetry: {{otlp_endpoint: \"{collector}\"}}"))
        refused = subprocess.run([binary, "serve", "--config", path, "--port", str(free_port())], capture_output=True, text=True,
                                 timeout=30, env=dict(os.environ, OTEL_EXPORTER_OTLP_PROTOCOL="grpc"))
        assert refused.returncode not in (0, -4, 132) and "OTLP protocol 'grpc' is not supported" in refused.stderr, (refused.returncode, refused.stderr)

        check_untraced(binary, folder, up, "no-telemetry", "")
        check_untraced(binary, folder, up, "sdk-disabled", f"telemetry: {{otlp_endpoint: \"{collector}\"}}",
                       {"OTEL_SDK_DISABLED": "true"})
        print("tracing e2e passed: server/upstream span tree under the client's traceparent (chat, messages, embeddings), GenAI attributes, upstream "
              "traceparent and tracestate, stream spans ending after the last byte with usage, retry and fallback spans "
              "with error.type, scrub span and scrubbed content capture, access-line trace_id, no secrets exported, "
              "OTEL_* over the file, queued spans flushed at shutdown, nothing exported when off")
    finally:
        upstream.shutdown()
        receiver.shutdown()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
