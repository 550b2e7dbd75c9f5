# The two set-up commands are `make run` and `make test`; both install what is missing first.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= 2
DATA_DIR ?= data/demo
DB ?= data/ccanalytics.db
HOST ?= 127.0.0.1
PORT ?= 8080
SOAK_MINUTES ?= 20

.PHONY: run test build deps binary web web-deps test-cpp test-web test-system soak clients-deps test-clients bench format clean

run: deps build
	@if [ ! -f $(DATA_DIR)/telemetry_logs.jsonl ]; then \
	  echo "make run: no demo data in $(DATA_DIR); generating it"; \
	  $(BUILD_DIR)/ccanalytics generate --output-dir $(DATA_DIR); \
	fi
	$(BUILD_DIR)/ccanalytics ingest --db $(DB) --telemetry $(DATA_DIR)/telemetry_logs.jsonl --employees $(DATA_DIR)/employees.csv \
	  $(if $(wildcard $(DATA_DIR)/otlp_metrics.jsonl),--metrics $(DATA_DIR)/otlp_metrics.jsonl)
	@echo "make run: serving the dashboard and API on http://$(HOST):$(PORT)"
	$(BUILD_DIR)/ccanalytics serve --db $(DB) --host $(HOST) --port $(PORT)

test: deps build test-cpp test-web test-clients

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

bench: deps
	@bash scripts/install-deps.sh --bench
	$(MAKE) binary
	bash bench/run.sh

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp')

clean:
	rm -rf $(BUILD_DIR) web/dist
