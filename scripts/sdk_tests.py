#!/usr/bin/env python3
"""The official SDKs against the gateway: `openai` (chat, streaming, tools, embeddings) and
`anthropic` (/v1/messages, streamed and not), each routed to a different upstream kind.

A fake upstream (OpenAI-compatible and Anthropic Messages shapes) runs in this process on a
free port; the gateway binary runs with a config pointing at it. Skips (exit 0, with a message)
when Python lacks the `openai` or `anthropic` package.

    scripts/sdk_tests.py [path/to/switchyard]   # default .build/debug/switchyard
"""
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

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
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
    config = f"""
server: {{access_log: false}}
providers:
  gpt: {{kind: openai, api_base: "{up}/v1", api_key: sk-openai-upstream}}
  claude: {{kind: anthropic, api_base: "{up}", api_key: sk-ant-upstream}}
models:
  gpt-4o: {{provider: gpt}}
  embed: {{provider: gpt, model: text-embedding-3-small}}
  claude: {{provider: claude, model: claude-sonnet-4-5}}
"""
    port = free_port()
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
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
        print("sdk tests passed: openai (chat, stream, tools, embeddings) and anthropic (/v1/messages, stream and not)")
    finally:
        gateway.terminate()
        gateway.wait(timeout=10)
        upstream.shutdown()
        os.unlink(f.name)


if __name__ == "__main__":
    main()
