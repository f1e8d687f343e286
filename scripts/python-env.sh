#!/usr/bin/env bash
# Prints a Python interpreter that has the packages the end-to-end scripts use (openai,
# anthropic; botocore and cryptography for the Bedrock and Vertex fakes; opentelemetry-proto to
# decode the trace exports the tracing script receives), making a venv under
# .build/venv and installing them from PyPI when needed.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.build/venv
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" >&2 || { echo "cannot create $VENV (install python3-venv)" >&2; exit 1; }
fi
if ! "$VENV/bin/python" -c "import openai, anthropic, botocore, cryptography, opentelemetry.proto" 2>/dev/null; then
  echo "installing openai, anthropic, botocore, cryptography and opentelemetry-proto into $VENV" >&2
  "$VENV/bin/pip" install -q openai anthropic botocore cryptography opentelemetry-proto >&2 || { echo "pip install failed" >&2; exit 1; }
fi
echo "$VENV/bin/python"
