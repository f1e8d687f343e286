#!/usr/bin/env python3
"""The official SDKs against the gateway: `openai` (chat, streaming, tools, embeddings) and
`anthropic` (/v1/messages, streamed and not), each routed to a different upstream kind.

A fake upstream (OpenAI-compatible, Anthropic Messages, AWS Bedrock and Google Vertex AI shapes)
runs in this process on a free port; the gateway binary runs with a config pointing at it. The
Bedrock fake checks each request's SigV4 signature with botocore's signer; the Vertex fake's
token endpoint checks the service-account JWT's RS256 signature with `cryptography`. Skips
(exit 0, with a message) when Python lacks the `openai` or `anthropic` package; the Bedrock and
Vertex part is skipped when `botocore` or `cryptography` is missing.

    scripts/sdk_tests.py [path/to/switchyard]   # default .build/debug/switchyard
"""
import base64
import datetime
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    import anthropic
    import openai
except ImportError as missing:
    print(f"sdk tests skipped: Python package {missing.name!r} is not installed (pip install openai anthropic)")
    sys.exit(0)

try:
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from gen_eventstream_fixtures import CONVERSE_STREAM
    CLOUD = True
except ImportError as missing:
    print(f"sdk tests: Bedrock and Vertex skipped: Python package {missing.name!r} is not installed (pip install botocore cryptography)")
    CLOUD = False

AWS = ("AKIDSDKTEST", "sdk-secret-key", "sdk-session-token")
TOKENS = []
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048) if CLOUD else None

CONVERSE_ANSWER = {
    "output": {"message": {"role": "assistant", "content": [
        {"text": "Checking."}, {"toolUse": {"toolUseId": "tooluse_sdk", "name": "get_weather", "input": {"city": "Paris"}}}]}},
    "stopReason": "tool_use", "usage": {"inputTokens": 11, "outputTokens": 6, "totalTokens": 17}}
GEMINI_ANSWER = {
    "candidates": [{"content": {"role": "model", "parts": [{"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}}]}, "finishReason": "STOP"}],
    "usageMetadata": {"promptTokenCount": 4, "candidatesTokenCount": 3, "totalTokenCount": 7}}
GEMINI_STREAM = [
    {"candidates": [{"content": {"role": "model", "parts": [{"text": "Sunny"}]}}]},
    {"candidates": [{"content": {"role": "model", "parts": [{"text": " in Paris"}]}, "finishReason": "STOP"}],
     "usageMetadata": {"promptTokenCount": 4, "candidatesTokenCount": 3, "totalTokenCount": 7}},
]
CLAUDE_TOOL_EVENTS = [
    ("message_start", {"type": "message_start", "message": {"id": "msg_vx", "type": "message", "role": "assistant", "model": "claude-3-7-sonnet", "content": [], "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 9, "output_tokens": 1}}}),
    ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "tool_use", "id": "toolu_vx", "name": "get_weather", "input": {}}}),
    ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": "{\"city\": "}}),
    ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": "\"Paris\"}"}}),
    ("content_block_stop", {"type": "content_block_stop", "index": 0}),
    ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": None}, "usage": {"output_tokens": 8}}),
    ("message_stop", {"type": "message_stop"}),
]


def sigv4_is_valid(handler, body):
    """Recomputes the request's signature with botocore's SigV4Auth, as AWS would."""
    authorization = handler.headers.get("authorization", "")
    signed = authorization.split("SignedHeaders=")[1].split(",")[0].split(";") if "SignedHeaders=" in authorization else []
    headers = {name: handler.headers.get(name) for name in signed if name not in ("x-amz-date", "x-amz-security-token")}
    request = AWSRequest(method="POST", url=f"http://{handler.headers.get('host')}{handler.path}", headers=headers, data=body)
    stamp = datetime.datetime.strptime(handler.headers.get("x-amz-date", "19700101T000000Z"), "%Y%m%dT%H%M%SZ")
    from unittest import mock
    with mock.patch("botocore.auth.get_current_datetime", return_value=stamp):
        botocore.auth.SigV4Auth(Credentials(*AWS), "bedrock", "us-east-1").add_auth(request)
    return request.headers["Authorization"] == authorization and handler.headers.get("x-amz-security-token") == AWS[2]


def jwt_is_valid(assertion, audience):
    def decode(part):
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    header, claims, signature = assertion.split(".")
    RSA_KEY.public_key().verify(decode(signature), f"{header}.{claims}".encode(), padding.PKCS1v15(), hashes.SHA256())
    fields = json.loads(decode(claims))
    return json.loads(decode(header))["alg"] == "RS256" and fields["aud"] == audience and fields["exp"] > time.time()


OPENAI_TOOL_CALL = {
    "id": "chatcmpl-sdk", "object": "chat.completion", "created": 1, "model": "gpt-4o",
    "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
        "role": "assistant", "content": None,
        "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]}}],
    "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12},
}


def openai_chunks():
    base = {"id": "chatcmpl-sdk", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o"}
    deltas = [({"role": "assistant", "content": ""}, None), ({"content": "Hello"}, None), ({"content": " world"}, None), ({}, "stop")]
    for delta, finish in deltas:
        yield dict(base, choices=[{"index": 0, "delta": delta, "finish_reason": finish}])
    yield dict(base, choices=[], usage={"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5})


ANTHROPIC_EVENTS = [
    ("message_start", {"type": "message_start", "message": {"id": "msg_sdk", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5", "content": [], "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 9, "output_tokens": 1}}}),
    ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
    ("ping", {"type": "ping"}),
    ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Bonjour"}}),
    ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": " !"}}),
    ("content_block_stop", {"type": "content_block_stop", "index": 0}),
    ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": 4}}),
    ("message_stop", {"type": "message_stop"}),
]


class FakeUpstream(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_json(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def send_events(self, lines):
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.end_headers()
        for line in lines:
            self.wfile.write(line.encode())
            self.wfile.flush()

    def send_bytes(self, data, content_type):
        self.send_response(200)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("content-length", 0)))
        if self.path == "/token":
            form = dict(pair.split("=", 1) for pair in raw.decode().split("&"))
            assert jwt_is_valid(form["assertion"], f"http://{self.headers.get('host')}/token"), "the JWT is signed by the service account"
            TOKENS.append(f"ya29.sdk-{len(TOKENS) + 1}")
            return self.send_json({"access_token": TOKENS[-1], "expires_in": 3599, "token_type": "Bearer"})
        body = json.loads(raw or b"{}")
        if self.path.startswith("/model/"):
            assert sigv4_is_valid(self, raw), "the gateway signs Bedrock requests (SigV4)"
            if self.path.endswith("/converse-stream"):
                return self.send_bytes(b"".join(CONVERSE_STREAM), "application/vnd.amazon.eventstream")
            return self.send_json(CONVERSE_ANSWER)
        if "/publishers/" in self.path:
            assert self.headers.get("authorization") == f"Bearer {TOKENS[-1]}", "the gateway sends the exchanged token"
            if "/publishers/google/" in self.path and ":streamGenerateContent" in self.path:
                return self.send_events([f"data: {json.dumps(c)}\r\n\r\n" for c in GEMINI_STREAM])
            if "/publishers/google/" in self.path:
                return self.send_json(GEMINI_ANSWER)
            assert body.get("anthropic_version") == "vertex-2023-10-16" and "model" not in body
            if self.path.endswith(":streamRawPredict"):
                return self.send_events([f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in CLAUDE_TOOL_EVENTS])
            return self.send_json({"id": "msg_vx", "type": "message", "role": "assistant", "model": "claude-3-7-sonnet",
                                   "content": [{"type": "tool_use", "id": "toolu_vx", "name": "get_weather", "input": {"city": "Paris"}}],
                                   "stop_reason": "tool_use", "stop_sequence": None, "usage": {"input_tokens": 9, "output_tokens": 8}})
        if self.path == "/v1/embeddings":
            return self.send_json({"object": "list", "model": body["model"], "usage": {"prompt_tokens": 2, "total_tokens": 2},
                                   "data": [{"object": "embedding", "index": 0, "embedding": [0.25, -0.5]}]})
        if self.path == "/v1/chat/completions":
            if body.get("stream"):
                return self.send_events([f"data: {json.dumps(c)}\n\n" for c in openai_chunks()] + ["data: [DONE]\n\n"])
            if body.get("tools"):
                return self.send_json(OPENAI_TOOL_CALL)
            reply = dict(OPENAI_TOOL_CALL, choices=[{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hello world"}}])
            return self.send_json(reply)
        if self.path == "/v1/messages":
            assert self.headers.get("x-api-key") == "sk-ant-upstream", "the gateway sends the provider's key"
            if body.get("stream"):
                return self.send_events([f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in ANTHROPIC_EVENTS])
            return self.send_json({"id": "msg_sdk", "type": "message", "role": "assistant", "model": body["model"],
                                   "content": [{"type": "text", "text": "Bonjour !"}], "stop_reason": "end_turn", "stop_sequence": None,
                                   "usage": {"input_tokens": 9, "output_tokens": 4}})
        self.send_response(404)
        self.end_headers()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/switchyard"
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), FakeUpstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    up = f"http://127.0.0.1:{upstream.server_address[1]}"
    cloud = ""
    if CLOUD:
        pem = RSA_KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
        account = {"type": "service_account", "project_id": "sdk-project", "private_key_id": "k1", "private_key": pem,
                   "client_email": "sdk@sdk-project.iam.gserviceaccount.com", "token_uri": f"{up}/token"}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as key_file:
            json.dump(account, key_file)
        cloud = f"""
  aws: {{kind: bedrock, api_base: "{up}", aws_access_key_id: {AWS[0]}, aws_secret_access_key: {AWS[1]}, aws_session_token: {AWS[2]}, aws_region_name: us-east-1}}
  gcp: {{kind: vertex_ai, api_base: "{up}", vertex_location: europe-west1, vertex_credentials: {key_file.name}}}
"""
    config = f"""
server: {{access_log: false}}
providers:
  gpt: {{kind: openai, api_base: "{up}/v1", api_key: sk-openai-upstream}}
  claude: {{kind: anthropic, api_base: "{up}", api_key: sk-ant-upstream}}
{cloud}models:
  gpt-4o: {{provider: gpt}}
  embed: {{provider: gpt, model: text-embedding-3-small}}
  claude: {{provider: claude, model: claude-sonnet-4-5}}
""" + ("""  bedrock-claude: {provider: aws, model: "us.anthropic.claude-3-7-sonnet-20250219-v1:0"}
  vertex-gemini: {provider: gcp, model: gemini-2.0-flash}
  vertex-claude: {provider: gcp, model: "claude-3-7-sonnet@20250219"}
""" if CLOUD else "")
    port = free_port()
    # In a directory of its own: the default database file goes next to the config.
    with open(os.path.join(tempfile.mkdtemp(prefix="switchyard-sdk-"), "gateway.yaml"), "w") as f:
        f.write(config)
    gateway = subprocess.Popen([binary, "serve", "--config", f.name, "--port", str(port), "--log-level", "warning"])
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        oa = openai.OpenAI(base_url=base + "/v1", api_key="unused")
        # openai → OpenAI upstream: chat, streaming with usage, tools, embeddings.
        chat = oa.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
        assert chat.choices[0].message.content == "Hello world", chat
        stream = oa.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}], stream=True, stream_options={"include_usage": True})
        chunks = list(stream)
        assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Hello world"
        assert chunks[-1].usage.total_tokens == 5
        tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]
        call = oa.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "weather?"}], tools=tools)
        assert call.choices[0].message.tool_calls[0].function.name == "get_weather"
        assert json.loads(call.choices[0].message.tool_calls[0].function.arguments) == {"city": "Paris"}
        embedding = oa.embeddings.create(model="embed", input="hello")
        assert embedding.data[0].embedding == [0.25, -0.5]
        # openai → Anthropic upstream (translated), streamed.
        claude_stream = oa.chat.completions.create(model="claude", messages=[{"role": "user", "content": "hi"}], stream=True)
        assert "".join(c.choices[0].delta.content or "" for c in claude_stream if c.choices) == "Bonjour !"
        # anthropic → /v1/messages → Anthropic upstream, and → OpenAI upstream; streamed and not.
        an = anthropic.Anthropic(base_url=base, api_key="unused")
        message = an.messages.create(model="claude", max_tokens=64, messages=[{"role": "user", "content": "salut"}])
        assert message.content[0].text == "Bonjour !" and message.stop_reason == "end_turn", message
        with an.messages.stream(model="gpt-4o", max_tokens=64, messages=[{"role": "user", "content": "hi"}]) as s:
            text = "".join(s.text_stream)
            final = s.get_final_message()
        assert text == "Hello world", text
        assert final.stop_reason == "end_turn"
        with an.messages.stream(model="claude", max_tokens=64, messages=[{"role": "user", "content": "salut"}]) as s:
            assert "".join(s.text_stream) == "Bonjour !"
        if CLOUD:
            cloud_tests(oa, an, tools)
        print("sdk tests passed: openai (chat, stream, tools, embeddings) and anthropic (/v1/messages, stream and not)"
              + (", to OpenAI, Anthropic, Bedrock and Vertex AI upstreams" if CLOUD else ""))
    finally:
        gateway.terminate()
        gateway.wait(timeout=10)
        upstream.shutdown()
        os.unlink(f.name)
        if CLOUD:
            os.unlink(key_file.name)


def cloud_tests(oa, an, tools):
    """openai and anthropic SDKs → Bedrock (Converse, signed) and Vertex AI (Gemini, Claude)."""
    weather = [{"role": "user", "content": "weather in Paris?"}]
    call = oa.chat.completions.create(model="bedrock-claude", messages=weather, tools=tools)
    assert call.choices[0].finish_reason == "tool_calls"
    assert call.choices[0].message.tool_calls[0].id == "tooluse_sdk"
    assert json.loads(call.choices[0].message.tool_calls[0].function.arguments) == {"city": "Paris"}
    chunks = list(oa.chat.completions.create(model="bedrock-claude", messages=weather, tools=tools, stream=True, stream_options={"include_usage": True}))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "Let me check the weather."
    names = [t.function.name for c in chunks if c.choices for t in (c.choices[0].delta.tool_calls or []) if t.function and t.function.name]
    assert names == ["get_weather", "get_time"], names
    assert chunks[-1].usage.total_tokens == 59
    gemini = oa.chat.completions.create(model="vertex-gemini", messages=weather, tools=tools)
    assert gemini.choices[0].message.tool_calls[0].function.name == "get_weather"
    gemini_text = oa.chat.completions.create(model="vertex-gemini", messages=weather, stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in gemini_text if c.choices) == "Sunny in Paris"
    anthropic_tools = [{"name": "get_weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}]
    message = an.messages.create(model="vertex-claude", max_tokens=64, messages=weather, tools=anthropic_tools)
    assert message.stop_reason == "tool_use" and message.content[-1].input == {"city": "Paris"}, message
    with an.messages.stream(model="vertex-claude", max_tokens=64, messages=weather, tools=anthropic_tools) as s:
        final = s.get_final_message()
    assert final.content[-1].name == "get_weather" and final.content[-1].input == {"city": "Paris"}, final
    with an.messages.stream(model="bedrock-claude", max_tokens=64, messages=weather, tools=anthropic_tools) as s:
        final = s.get_final_message()
    assert [b.type for b in final.content] == ["text", "tool_use", "tool_use"], final
    assert len(TOKENS) == 1, TOKENS


if __name__ == "__main__":
    main()
