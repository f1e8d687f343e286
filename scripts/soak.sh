#!/bin/sh
# Soak test: scripts/soak.sh [minutes] [binary] — mixed traffic, reloads, memory watched; see
# scripts/soak.py. A reload every minute (every 20 s for runs shorter than 10 minutes).
set -eu
exec python3 "$(dirname "$0")/soak.py" --minutes "${1:-30}" "${2:-.build/debug/switchyard}"
