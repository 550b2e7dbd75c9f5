#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "clickhouse/client.h"
#include "ingest/ingest_report.h"

namespace cca::clickhouse {

// One ingest as the ingests table keeps it. Each change is a new revision of the row (the
// table is a ReplacingMergeTree on revision); readers take each id's latest.
struct IngestLogRow {
  uint64_t id = 0;
  uint32_t revision = 0;
  std::string source, path, checksum, status, message;
  int64_t size_bytes = 0, started_ms = 0, finished_ms = 0;
  ingest::IngestReport counts;
};

// The ingest log in ClickHouse: 'running' when an ingest starts, then 'complete' with its counts
// or 'failed' with the error. Live exports add up into one row per source, hour and process.
class IngestLog {
 public:
  explicit IngestLog(const ClickHouseClient& client) : client_(client) {}

  IngestLogRow begin(std::string_view source, std::string_view path, int64_t size_bytes);
  void complete(IngestLogRow& row, const ingest::IngestReport& counts, std::string_view checksum);
  void fail(IngestLogRow& row, std::string_view message);
  // Writes the row's next revision as it stands.
  void write(IngestLogRow& row);

  // A new random id: ClickHouse has no sequences, and several processes write the log.
  static uint64_t new_id();

 private:
  const ClickHouseClient& client_;
};

}  // namespace cca::clickhouse
