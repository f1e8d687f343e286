# Switchyard: `make run` serves the default config on :4000, `make test` runs the whole suite.
# Both install missing system packages first (as root), then build.

CONFIG ?= pipelines/default.yaml
PORT ?= 4000
SWIFT ?= swift

.PHONY: all deps build release run test check bench clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product switchyard

run: release
	.build/release/switchyard serve --config $(CONFIG) --port $(PORT)

test: deps
	$(SWIFT) test

check: build
	.build/debug/switchyard check $(CONFIG)

# Side-by-side load test against nginx and LiteLLM (see docs/performance.md).
bench: release
	scripts/bench.sh

clean:
	$(SWIFT) package clean
