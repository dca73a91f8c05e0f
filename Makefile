# Entry points. `make test` and `make run` work on a fresh Debian machine:
# they install missing packages, configure, build, then test or run.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
DATADIR ?= ./data

.PHONY: all deps configure build test run bench clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 900

run: build
	@if [ -x $(BUILD_DIR)/bin/knode ]; then \
	  exec $(BUILD_DIR)/bin/knode run --dev --datadir $(DATADIR); \
	else \
	  $(BUILD_DIR)/bin/kchaindata --help; \
	fi

bench: build
	@$(BUILD_DIR)/bin/kbench --help || true

clean:
	rm -rf $(BUILD_DIR)
