#pragma once

#include <memory>
#include <random>

#include "clickhouse/client.h"
#include "clickhouse/event_writer.h"
#include "clickhouse/test_database.h"
#include "engine/engine.h"
#include "engine/random_store.h"
#include "engine/temp_store.h"

namespace cca::clickhouse {

// One seeded random history (testing::make_random_history: every shape the engine must handle)
// in both stores: the embedded one, written straight into its tables and read by the engine, and
// a ClickHouse database written by the ClickHouse store's own writer, in three blocks, one of
// them delivered twice, with a partial directory replaced by the full one. Built once per test
// process; null when there is no test ClickHouse server.
struct HistoryStores {
  static const HistoryStores* get();
  // The same for another history, in a database of its own named after `name`.
  static std::unique_ptr<HistoryStores> of(const char* name, testing::RandomHistory history);

  // A random filter over the history's values and span.
  engine::Filter random_filter(std::mt19937_64& random) const;
  // One that session_days answers: whole UTC days, people and terminals, no single-event filters.
  engine::Filter random_session_days_filter(std::mt19937_64& random) const;

  std::unique_ptr<TestDatabase> database;
  testing::RandomHistory history;
  std::unique_ptr<testing::TempStore> store;
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<ClickHouseClient> client;
  FlushCounts first_block, redelivered;  // what the writer said of the first block and the repeat
};

// The reference dataset reference-30u-500s through both stores' own ingests (their parsers and
// writers, not the test's), the directory included. Built once per test process; null when the
// dataset or the test ClickHouse server is absent.
struct ReferenceStores {
  static const ReferenceStores* get();
  static constexpr const char* kSkipReason =
      "the reference dataset reference-30u-500s or the ClickHouse test server is absent";

  std::unique_ptr<TestDatabase> database;
  std::unique_ptr<testing::TempStore> store;
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<ClickHouseClient> client;
  uint64_t clickhouse_accepted = 0;  // what ClickHouse's ingest of the telemetry reported
};

}  // namespace cca::clickhouse
