#!/usr/bin/env python3
"""Writes AWS event-stream fixtures (application/vnd.amazon.eventstream) for the Bedrock tests,
built here with zlib.crc32 from the format's specification, independently of the Swift decoder,
and read back with botocore's own parser (botocore.eventstream.EventStreamBuffer) as a check:

    python3 scripts/gen_eventstream_fixtures.py

Each .bin file is a whole HTTP response body: a sequence of frames
  total length (u32) | headers length (u32) | prelude CRC32 | headers | payload | message CRC32
"""
import base64
import json
import os
import struct
import zlib

from botocore.eventstream import EventStreamBuffer

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "SwitchyardServerTests", "Fixtures")


def header(name, value):
    raw = name.encode()
    if isinstance(value, bool):
        return struct.pack(">B", len(raw)) + raw + struct.pack(">B", 0 if value else 1)
    if isinstance(value, int):
        return struct.pack(">B", len(raw)) + raw + struct.pack(">Bi", 4, value)
    if isinstance(value, bytes):
        return struct.pack(">B", len(raw)) + raw + struct.pack(">BH", 6, len(value)) + value
    text = value.encode()
    return struct.pack(">B", len(raw)) + raw + struct.pack(">BH", 7, len(text)) + text


def frame(headers, payload):
    encoded = b"".join(header(k, v) for k, v in headers)
    total = 12 + len(encoded) + len(payload) + 4
    prelude = struct.pack(">II", total, len(encoded))
    prelude += struct.pack(">I", zlib.crc32(prelude) & 0xFFFFFFFF)
    body = prelude + encoded + payload
    return body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def event(kind, payload):
    return frame([(":event-type", kind), (":content-type", "application/json"), (":message-type", "event")],
                 json.dumps(payload, separators=(",", ":")).encode())


def exception(kind, message):
    return frame([(":exception-type", kind), (":content-type", "application/json"), (":message-type", "exception")],
                 json.dumps({"message": message}).encode())


P = "abcdefghijklmnopqrstuvwxyzABCDEFGH"  # Bedrock pads events with a "p" field

CONVERSE_STREAM = [
    event("messageStart", {"role": "assistant", "p": P}),
    event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "Let me "}, "p": P[:5]}),
    event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": "check the weather."}, "p": P[:9]}),
    event("contentBlockStop", {"contentBlockIndex": 0, "p": P}),
    event("contentBlockStart", {"contentBlockIndex": 1, "start": {"toolUse": {"toolUseId": "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "name": "get_weather"}}, "p": P}),
    event("contentBlockDelta", {"contentBlockIndex": 1, "delta": {"toolUse": {"input": "{\"location\": \"Bos"}}, "p": P}),
    event("contentBlockDelta", {"contentBlockIndex": 1, "delta": {"toolUse": {"input": "ton, MA\"}"}}, "p": P}),
    event("contentBlockStop", {"contentBlockIndex": 1, "p": P}),
    event("contentBlockStart", {"contentBlockIndex": 2, "start": {"toolUse": {"toolUseId": "tooluse_2", "name": "get_time"}}, "p": P}),
    event("contentBlockDelta", {"contentBlockIndex": 2, "delta": {"toolUse": {"input": "{\"tz\":\"EST\"}"}}, "p": P}),
    event("contentBlockStop", {"contentBlockIndex": 2, "p": P}),
    event("messageStop", {"stopReason": "tool_use", "p": P}),
    event("metadata", {"usage": {"inputTokens": 42, "outputTokens": 17, "totalTokens": 59}, "metrics": {"latencyMs": 812}, "p": P}),
]

THROTTLED_MIDWAY = CONVERSE_STREAM[:3] + [exception("throttlingException", "Too many tokens, please wait before trying again.")]


def anthropic_chunk(payload):
    data = base64.b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode()
    return event("chunk", {"bytes": data, "p": P[:3]})


INVOKE_STREAM = [
    anthropic_chunk({"type": "message_start", "message": {"id": "msg_bdrk_01", "type": "message", "role": "assistant", "model": "claude-3-5-sonnet-20240620",
                                                         "content": [], "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 25, "output_tokens": 1}}}),
    anthropic_chunk({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
    anthropic_chunk({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello from "}}),
    anthropic_chunk({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Bedrock."}}),
    anthropic_chunk({"type": "content_block_stop", "index": 0}),
    anthropic_chunk({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": 6}}),
    anthropic_chunk({"type": "message_stop", "amazon-bedrock-invocationMetrics": {"inputTokenCount": 25, "outputTokenCount": 6}}),
]

def typed_frame():
    """Every header value type the format defines, on one frame: a decoder must skip what it does not use."""
    raw = b""
    raw += header(":message-type", "event") + header(":event-type", "messageStart")
    raw += struct.pack(">B", 1) + b"b" + struct.pack(">Bb", 2, -3)
    raw += struct.pack(">B", 1) + b"s" + struct.pack(">Bh", 3, 300)
    raw += struct.pack(">B", 1) + b"i" + struct.pack(">Bi", 4, 70000)
    raw += struct.pack(">B", 1) + b"l" + struct.pack(">Bq", 5, 1 << 40)
    raw += header("y", b"\x00\x01\x02")
    raw += struct.pack(">B", 2) + b"ts" + struct.pack(">Bq", 8, 1700000000000)
    raw += struct.pack(">B", 2) + b"id" + struct.pack(">B", 9) + bytes(range(16))
    payload = b'{"role":"assistant"}'
    total = 12 + len(raw) + len(payload) + 4
    prelude = struct.pack(">II", total, len(raw))
    prelude += struct.pack(">I", zlib.crc32(prelude) & 0xFFFFFFFF)
    body = prelude + raw + payload
    return body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def impossible_length():
    """A prelude whose checksum is right but whose total length (8) is shorter than a frame can be."""
    prelude = struct.pack(">II", 8, 0)
    return prelude + struct.pack(">I", zlib.crc32(prelude) & 0xFFFFFFFF) + b"\x00" * 8


def write(name, frames, check=True):
    data = b"".join(frames)
    decoded = []
    if check:
        parser = EventStreamBuffer()
        parser.add_data(data)
        decoded = list(parser)
        assert len(decoded) == len(frames), name
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    print(f"{name}: {len(frames)} frames, {len(data)} bytes (botocore parsed {len(decoded)})")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write("converse_stream.bin", CONVERSE_STREAM)
    write("converse_stream_throttled.bin", THROTTLED_MIDWAY)
    write("invoke_stream.bin", INVOKE_STREAM)
    write("all_header_types.bin", [typed_frame()])
    write("impossible_length.bin", [impossible_length()], check=False)
