#!/usr/bin/env python3
"""Generates Tests/SwitchyardServerTests/Fixtures/sigv4_vectors.json with botocore's own SigV4
signer (botocore.auth.SigV4Auth), so the Swift signer is checked against AWS's SDK rather than
against itself. Fixed credentials and a fixed clock; run again only when rows are added:

    python3 scripts/gen_sigv4_vectors.py
"""
import base64
import datetime
import hashlib
import json
import os
from unittest import mock

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

KEY_ID = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQ=="

LARGE = bytes((i * 7 + 3) % 251 for i in range(3 * 1024 * 1024 + 17))

# name, method, url, headers, body, token?, region, service, timestamp
ROWS = [
    ("converse, model id with ':' percent-encoded", "POST",
     "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse",
     {"content-type": "application/json"}, b'{"messages":[{"role":"user","content":[{"text":"hi"}]}]}', False, "us-east-1", "bedrock", "20240115T093000Z"),
    ("converse-stream with session token", "POST",
     "https://bedrock-runtime.us-west-2.amazonaws.com/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream",
     {"content-type": "application/json", "accept": "application/vnd.amazon.eventstream"}, b'{"messages":[]}', True, "us-west-2", "bedrock", "20250301T235959Z"),
    ("inference profile ARN as model id", "POST",
     "https://bedrock-runtime.eu-central-1.amazonaws.com/model/arn%3Aaws%3Abedrock%3Aeu-central-1%3A123456789012%3Ainference-profile%2Feu.meta.llama3-2-3b-instruct-v1%3A0/invoke",
     {"content-type": "application/json"}, b'{"prompt":"x"}', False, "eu-central-1", "bedrock", "20240229T120000Z"),
    ("empty body", "POST",
     "https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.titan-embed-text-v2%3A0/invoke",
     {"content-type": "application/json"}, b"", False, "us-east-1", "bedrock", "20240115T093000Z"),
    ("large body (3 MiB)", "POST",
     "https://bedrock-runtime.us-east-1.amazonaws.com/model/meta.llama3-70b-instruct-v1%3A0/converse",
     {"content-type": "application/json"}, LARGE, True, "us-east-1", "bedrock", "20240115T093000Z"),
    ("query string, unsorted, with encoded values", "GET",
     "https://bedrock.us-east-1.amazonaws.com/foundation-models?byProvider=anthropic&byOutputModality=TEXT&a=b%20c&a=a",
     {}, b"", False, "us-east-1", "bedrock", "20240115T093000Z"),
    ("path with spaces, unicode and reserved characters", "POST",
     "https://example.amazonaws.com/model/my%20model%2Bv%C3%A9/converse",
     {"content-type": "application/json"}, b"{}", False, "ap-southeast-2", "bedrock", "20231231T000000Z"),
    ("non-default port in host, http", "POST",
     "http://127.0.0.1:9999/model/mistral.mistral-large-2402-v1%3A0/converse",
     {"content-type": "application/json"}, b'{"a":1}', True, "us-east-1", "bedrock", "20240115T093000Z"),
    ("header values with runs of spaces, extra headers", "POST",
     "https://bedrock-runtime.us-east-1.amazonaws.com/model/cohere.command-r-v1%3A0/converse",
     {"content-type": "application/json", "X-Custom-Header": "  a   b  c ", "x-amzn-bedrock-trace": "ENABLED"},
     b'{"x":"y"}', False, "us-east-1", "bedrock", "20240115T093000Z"),
    ("default https port omitted from host", "POST",
     "https://bedrock-runtime.us-east-1.amazonaws.com:443/model/amazon.nova-pro-v1%3A0/converse",
     {"content-type": "application/json"}, b'{}', False, "us-east-1", "bedrock", "20240115T093000Z"),
    ("root path", "GET", "https://sts.amazonaws.com/", {}, b"", True, "us-east-1", "sts", "20240115T093000Z"),
]


def sign(method, url, headers, body, with_token, region, service, timestamp):
    credentials = Credentials(KEY_ID, SECRET, TOKEN if with_token else None)
    request = AWSRequest(method=method, url=url, headers=dict(headers), data=body)
    fixed = datetime.datetime.strptime(timestamp, "%Y%m%dT%H%M%SZ")
    with mock.patch("botocore.auth.get_current_datetime", return_value=fixed):
        botocore.auth.SigV4Auth(credentials, service, region).add_auth(request)
    return {k.lower(): v for k, v in request.headers.items()}


def main():
    rows = []
    for name, method, url, headers, body, with_token, region, service, timestamp in ROWS:
        signed = sign(method, url, headers, body, with_token, region, service, timestamp)
        row = {
            "name": name, "method": method, "url": url, "headers": headers,
            "region": region, "service": service, "timestamp": timestamp, "session_token": with_token,
            "expected": {
                "authorization": signed["authorization"],
                "x-amz-date": signed["x-amz-date"],
                "x-amz-security-token": signed.get("x-amz-security-token"),
            },
        }
        if body is LARGE:
            row["body_generator"] = "(i * 7 + 3) % 251"
            row["body_length"] = len(body)
            row["body_sha256"] = hashlib.sha256(body).hexdigest()
        else:
            row["body_base64"] = base64.b64encode(body).decode()
        rows.append(row)
    out = {
        "generator": f"scripts/gen_sigv4_vectors.py with botocore {botocore.__version__} (botocore.auth.SigV4Auth)",
        "access_key_id": KEY_ID, "secret_access_key": SECRET, "session_token": TOKEN,
        "rows": rows,
    }
    path = os.path.join(os.path.dirname(__file__), "..", "Tests", "SwitchyardServerTests", "Fixtures", "sigv4_vectors.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {len(rows)} rows to {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
