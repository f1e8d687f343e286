# Switchyard: `make run` serves the default config on :4000, `make test` runs the whole suite.
# Both install missing system packages first (as root), then build.

CONFIG ?= pipelines/default.yaml
PORT ?= 4000
SWIFT ?= swift

.PHONY: all deps build release dist dist-smoke deploy-check run test check bench cost clean pii-eval fuzz

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product switchyard

# One static-stdlib, stripped binary in dist/ (glibc and libpcre2 stay dynamic: see
# docs/operations.md); prints its size.
dist: deps
	$(SWIFT) build -c release --product switchyard --static-swift-stdlib
	@mkdir -p dist
	cp .build/release/switchyard dist/switchyard
	strip dist/switchyard
	@echo "dist/switchyard: $$(stat -c %s dist/switchyard) bytes ($$(du -h dist/switchyard | cut -f1))"

# Runs dist/switchyard in a root holding only itself, a config, the CA bundle and its libraries.
dist-smoke: dist
	scripts/dist-smoke.sh dist/switchyard

# Renders the Helm chart and checks it, the compose file and the dashboard against their schemas.
deploy-check:
	scripts/deploy-check.sh

run: release
	.build/release/switchyard serve --config $(CONFIG) --port $(PORT)

# The suite: the official openai/anthropic SDKs against the built binary (from a venv under
# .build/ that this target fills), the virtual-key, LiteLLM-database, Responses API and tracing (a real
# OTLP/HTTP receiver) end-to-end scripts, the
# fault matrix, the reload / drain script (standard-library Python, real signals), the configuration
# layering script (variables and flags over the file, `config show`), a 3-minute soak
# and a bounded fuzz run, then the Swift suite, whose summary closes the output. PostgreSQL parts
# run against SWITCHYARD_TEST_POSTGRES_URL, or a throwaway server scripts/test-postgres.sh starts
# (installing postgresql as root); without one they are skipped, and say so. The LiteLLM-database
# tests use a database scripts/litellm-schema.sh fills with LiteLLM's schema (pinned
# litellm-proxy-extras).
test: deps
	$(SWIFT) build --build-tests
	@PY=$$(scripts/python-env.sh) || PY=""; \
	  export SWITCHYARD_TEST_POSTGRES_URL="$${SWITCHYARD_TEST_POSTGRES_URL:-$$(scripts/test-postgres.sh start || true)}"; \
	  if [ -z "$$SWITCHYARD_TEST_POSTGRES_URL" ]; then echo "PostgreSQL tests (and the LiteLLM database tests) SKIPPED: no server (set SWITCHYARD_TEST_POSTGRES_URL or install postgresql)"; \
	  else echo "PostgreSQL tests against $$SWITCHYARD_TEST_POSTGRES_URL"; \
	    LITELLM_URL="$${SWITCHYARD_TEST_LITELLM_URL:-$$(scripts/litellm-schema.sh "$$SWITCHYARD_TEST_POSTGRES_URL")}" || exit 1; \
	    export SWITCHYARD_TEST_LITELLM_URL="$$LITELLM_URL"; \
	    echo "LiteLLM database tests against $$SWITCHYARD_TEST_LITELLM_URL (litellm-proxy-extras' migrations)"; fi; \
	  if [ -n "$$PY" ]; then $$PY scripts/sdk_tests.py .build/debug/switchyard && $$PY scripts/keys_e2e.py .build/debug/switchyard \
	    && $$PY scripts/litellm_db_e2e.py .build/debug/switchyard && $$PY scripts/responses_e2e.py .build/debug/switchyard \
	    && $$PY scripts/tracing_e2e.py .build/debug/switchyard || exit 1; \
	  else echo "sdk and key end-to-end tests SKIPPED: no Python with openai/anthropic (see scripts/python-env.sh)"; fi; \
	  python3 scripts/fault_matrix.py .build/debug/switchyard && python3 scripts/lifecycle_e2e.py .build/debug/switchyard \
	    && python3 scripts/layering_e2e.py .build/debug/switchyard && python3 scripts/resources_e2e.py .build/debug/switchyard \
	    && scripts/soak.sh 3 .build/debug/switchyard \
	    && .build/debug/switchyard-fuzz --runs 20000 json request sse && .build/debug/switchyard-fuzz --runs 2000 config || exit 1; \
	  $(SWIFT) test

check: build
	.build/debug/switchyard check $(CONFIG)

# Side-by-side load test against nginx and LiteLLM (see docs/performance.md).
bench: release
	scripts/bench.sh

# Instructions per request under callgrind (needs valgrind): plain, streamed, five-stage pipeline.
cost: release
	scripts/request-cost.py .build/release/switchyard -n 300
	scripts/request-cost.py .build/release/switchyard -n 200 --stream
	scripts/request-cost.py .build/release/switchyard -n 300 --config bench/switchyard-bench-pipeline.yaml

clean:
	$(SWIFT) package clean

# PII detection on Faker-generated data, Switchyard vs Presidio: the table in docs/pii.md.
# Needs `pip install Faker presidio-analyzer`; PYTHON=path/to/venv/bin/python to pick one.
pii-eval:
	scripts/pii_eval/run.sh

# A million fuzz inputs per target (JSON parser, request validator, SSE parsing, config loader).
fuzz: deps
	$(SWIFT) build -c release --product switchyard-fuzz
	.build/release/switchyard-fuzz --runs 1000000
