#!/usr/bin/env bash
# A PostgreSQL database holding LiteLLM's own schema, for the tests that serve a LiteLLM database.
#   scripts/litellm-schema.sh SERVER_URL [DATABASE]     # prints the database's URL
# SERVER_URL is any database on the server (postgres://user@host:port/postgres?sslmode=disable).
# DATABASE (default switchyard_litellm_<version>) is created and every migration of the pinned
# litellm-proxy-extras release (LiteLLM's schema as plain SQL) is applied to it with psql, in name
# order (into DATABASE_building, renamed when every migration succeeded: some migrations cannot
# run inside a transaction). An existing DATABASE that already has the schema is left as it is.
# The wheel is downloaded once from PyPI (hash-checked) into .build/litellm-proxy-extras/.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=0.4.110
SHA256=2a488653b7e5eb97e7a2c84fb67818dfbdbd1d799cd61832f1b5d151c229e907
SERVER=${1:?usage: $0 SERVER_URL [DATABASE]}
NAME=${2:-switchyard_litellm_${VERSION//./_}}
CACHE=.build/litellm-proxy-extras
EXTRACTED=$CACHE/$VERSION

# Migrations print notices and warnings (IF NOT EXISTS skips, SET LOCAL outside a transaction).
export PGOPTIONS="-c client_min_messages=error"
command -v psql >/dev/null || { echo "psql is not installed (apt-get install postgresql-client)" >&2; exit 1; }

if [ ! -d "$EXTRACTED/litellm_proxy_extras/migrations" ]; then
  mkdir -p "$CACHE"
  requirements=$(mktemp)
  trap 'rm -f "$requirements"' EXIT
  echo "litellm-proxy-extras==$VERSION --hash=sha256:$SHA256" >"$requirements"
  echo "downloading litellm-proxy-extras $VERSION (LiteLLM's schema) into $CACHE" >&2
  # pip from the system's Python, or from the test venv (Debian's python3 may come without pip).
  if python3 -m pip --version >/dev/null 2>&1; then PIP=(python3 -m pip); else PIP=("$(scripts/python-env.sh)" -m pip); fi
  "${PIP[@]}" download -q --no-deps --only-binary=:all: --require-hashes -r "$requirements" -d "$CACHE" >&2
  rm -rf "$EXTRACTED.tmp"
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
    "$CACHE/litellm_proxy_extras-$VERSION-py3-none-any.whl" "$EXTRACTED.tmp"
  mv "$EXTRACTED.tmp" "$EXTRACTED"
fi

# The same server, another database: replace the URL's path.
url_of() {
  python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$SERVER" "$1"
}
TARGET=$(url_of "$NAME")

has_schema() {
  [ "$(psql "$TARGET" -tAc "SELECT to_regclass('public.\"LiteLLM_VerificationToken\"') IS NOT NULL" 2>/dev/null)" = "t" ]
}

if ! has_schema; then
  building="${NAME}_building"
  psql "$SERVER" -qc "DROP DATABASE IF EXISTS \"$building\"" >/dev/null
  psql "$SERVER" -qc "CREATE DATABASE \"$building\"" >/dev/null
  files=()
  while IFS= read -r -d '' dir; do
    [ -f "$dir/migration.sql" ] && files+=(-f "$dir/migration.sql")
  done < <(find "$EXTRACTED/litellm_proxy_extras/migrations" -mindepth 1 -maxdepth 1 -type d -print0 | sort -z)
  echo "applying $(( ${#files[@]} / 2 )) LiteLLM migrations to $NAME" >&2
  psql "$(url_of "$building")" -q -X -v ON_ERROR_STOP=1 "${files[@]}" >/dev/null
  psql "$SERVER" -qc "DROP DATABASE IF EXISTS \"$NAME\"" >/dev/null
  psql "$SERVER" -qc "ALTER DATABASE \"$building\" RENAME TO \"$NAME\"" >/dev/null
fi
echo "$TARGET"
