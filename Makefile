# Switchyard: `make run` serves the default config on :4000, `make test` runs the whole suite.
# Both install missing system packages first (as root), then build.

CONFIG ?= pipelines/default.yaml
PORT ?= 4000
SWIFT ?= swift

.PHONY: all deps build release run test check bench clean pii-eval

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product switchyard

run: release
	.build/release/switchyard serve --config $(CONFIG) --port $(PORT)

# The official openai/anthropic SDKs against the built binary run first (skipped with a message
# when Python or the packages are missing), then the Swift suite, whose summary closes the output.
test: deps
	$(SWIFT) build --product switchyard
	@if command -v python3 >/dev/null 2>&1; then python3 scripts/sdk_tests.py .build/debug/switchyard; \
	  else echo "sdk tests skipped: python3 is not installed"; fi
	$(SWIFT) test

check: build
	.build/debug/switchyard check $(CONFIG)

# Side-by-side load test against nginx and LiteLLM (see docs/performance.md).
bench: release
	scripts/bench.sh

clean:
	$(SWIFT) package clean

# PII detection on Faker-generated data, Switchyard vs Presidio: the table in docs/pii.md.
# Needs `pip install Faker presidio-analyzer`; PYTHON=path/to/venv/bin/python to pick one.
pii-eval:
	scripts/pii_eval/run.sh
