#!/usr/bin/env bash
# Installs the system packages Switchyard builds against, when they are missing.
# As root it runs apt-get; otherwise it prints the command to run.
set -euo pipefail

missing=()
[ -f /usr/include/pcre2.h ] || missing+=(libpcre2-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)

if ! command -v swift >/dev/null 2>&1; then
  echo "error: 'swift' is not on PATH; Switchyard needs Swift 6.1 or newer (swift.org/install)." >&2
  exit 1
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "error: missing system packages: ${missing[*]}" >&2
  echo "       install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}"
