# The two set-up commands are `make run` and `make test`; both install what is missing first.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= 2
DATA_DIR ?= data/demo
DB ?= data/ccanalytics.db
HOST ?= 127.0.0.1
PORT ?= 8080
SOAK_MINUTES ?= 20
# Fuzzing (docs/testing.md): `make test` runs every fuzzer FUZZ_SMOKE_SECONDS; `make fuzz` runs
# each FUZZ_SECONDS and keeps the grown corpus in $(FUZZ_BUILD_DIR)/corpus.
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 3600
FUZZ_SMOKE_SECONDS ?= 30
SANITIZE_BUILD_DIR ?= build-sanitize
# ccache, when the machine has it, for the extra build trees.
CCACHE_FLAG = $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

.PHONY: run test build deps binary web web-deps test-cpp test-web test-system soak clients-deps test-clients bench format clean \
	fuzz-build test-fuzz fuzz test-sanitize test-cluster

run: deps build
	@if [ ! -f $(DATA_DIR)/telemetry_logs.jsonl ]; then \
	  echo "make run: no demo data in $(DATA_DIR); generating it"; \
	  $(BUILD_DIR)/ccanalytics generate --output-dir $(DATA_DIR); \
	fi
	$(BUILD_DIR)/ccanalytics ingest --db $(DB) --telemetry $(DATA_DIR)/telemetry_logs.jsonl --employees $(DATA_DIR)/employees.csv \
	  $(if $(wildcard $(DATA_DIR)/otlp_metrics.jsonl),--metrics $(DATA_DIR)/otlp_metrics.jsonl)
	@echo "make run: serving the dashboard and API on http://$(HOST):$(PORT)"
	$(BUILD_DIR)/ccanalytics serve --db $(DB) --host $(HOST) --port $(PORT)

test: deps build test-cpp test-fuzz test-web test-clients

deps:
	@bash scripts/install-deps.sh

# The dashboard is built first so that the binary embeds it.
build: web binary

binary:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null
	cmake --build $(BUILD_DIR) -j$(JOBS)

web-deps:
	@cd web && if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; fi

web: web-deps
	cd web && npm run build

test-cpp: binary
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

# The system tests alone (crash consistency, a two-minute soak); test-cpp runs them too.
test-system: binary
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS) -R '^(CrashConsistency|Protocols/OtlpCrash|Soak|DeliveryLedgerTest|MemoryRule)\.'

# The load-and-soak test for SOAK_MINUTES (default 20) instead of test-cpp's two; its figures go
# to $(BUILD_DIR)/soak-report.json (docs/testing.md).
soak: binary
	CCANALYTICS_SOAK_MINUTES=$(SOAK_MINUTES) CCANALYTICS_SOAK_REPORT=$(BUILD_DIR)/soak-report.json \
	  $(BUILD_DIR)/tests/system/system_test --gtest_filter='Soak.*'

test-web: web binary
	cd web && npm test

# The real clients (Claude Code CLI, OpenTelemetry JS exporters); npm ci fails the target if the
# pinned packages cannot be installed.
clients-deps:
	@cd tests/clients && if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; fi

test-clients: binary clients-deps
	cd tests/clients && npm test

# libFuzzer targets (tests/fuzz), built with clang, ASan and UBSan in their own tree.
fuzz-build: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCCANALYTICS_FUZZ=ON -DCCANALYTICS_BUILD_TESTS=OFF $(CCACHE_FLAG) >/dev/null
	cmake --build $(FUZZ_BUILD_DIR) --target fuzzers -j$(JOBS)

# Every fuzzer for FUZZ_SMOKE_SECONDS on its seeds plus fresh mutations; fails on any finding.
# The binary's `generate` output is part of the seeds.
test-fuzz: fuzz-build binary
	FUZZ_BUILD_DIR=$(FUZZ_BUILD_DIR) FUZZ_JOBS=$(JOBS) CCANALYTICS_BIN=$(BUILD_DIR)/ccanalytics \
	  bash tests/fuzz/run.sh $(FUZZ_SMOKE_SECONDS) scratch

# The long run: FUZZ_SECONDS per fuzzer, two at a time, the corpus kept between runs.
fuzz: fuzz-build binary
	FUZZ_BUILD_DIR=$(FUZZ_BUILD_DIR) FUZZ_JOBS=$(JOBS) CCANALYTICS_BIN=$(BUILD_DIR)/ccanalytics \
	  bash tests/fuzz/run.sh $(FUZZ_SECONDS) keep

# The whole C++ suite built with AddressSanitizer and UndefinedBehaviorSanitizer (gcc) and run by
# ctest; any report fails it. Not part of `make test`: it takes far longer (docs/testing.md).
test-sanitize: deps
	cmake -S . -B $(SANITIZE_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCCANALYTICS_SANITIZE=address,undefined $(CCACHE_FLAG) >/dev/null
	cmake --build $(SANITIZE_BUILD_DIR) -j$(JOBS)
	cd $(SANITIZE_BUILD_DIR) && \
	  ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1 \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ctest --output-on-failure -j$(JOBS)

# The ClickHouse test cluster (ZooKeeper and 2 shards x 2 replicas of 18.16, all on loopback)
# end to end, about 30 s; not part of `make test`, which starts a single server (docs/testing.md).
test-cluster: deps binary
	@bash scripts/install-deps.sh --cluster
	bash tests/clickhouse/cluster_smoke.sh
	cmake --build $(BUILD_DIR) -j$(JOBS) --target clickhouse_cluster_test
	$(BUILD_DIR)/tests/clickhouse/clickhouse_cluster_test

bench: deps
	@bash scripts/install-deps.sh --bench
	$(MAKE) binary
	bash bench/run.sh

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp')

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_BUILD_DIR) $(SANITIZE_BUILD_DIR) web/dist
