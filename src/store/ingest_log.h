#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "store/database.h"

namespace cca::store {

// The source of OTLP metrics ingests: their counts are data points, not events.
inline constexpr std::string_view kOtlpMetricsSource = "otlp-metrics";

// Counts of one ingest, as the ingests table keeps them.
struct IngestCounts {
  uint64_t lines = 0;
  uint64_t accepted = 0;
  uint64_t duplicates = 0;
  uint64_t rejected_events = 0;
  uint64_t rejected_lines = 0;
  uint64_t employees = 0;
};

// The ingest log: one row per ingest, written 'running' in its own commit before any data and
// marked 'complete' or 'failed' at the end. A row left 'running' by a process that died is
// marked 'interrupted' the next time an ingest starts.
class IngestLog {
 public:
  explicit IngestLog(Database& db) : db_(db) {}

  int64_t begin(std::string_view source, std::string_view path, int64_t size_bytes);
  // Within the ingest's last data transaction, so the counts commit with the data.
  void complete(int64_t ingest_id, const IngestCounts& counts, std::string_view checksum);
  void fail(int64_t ingest_id, std::string_view message);

 private:
  Database& db_;
};

int64_t now_ms();

}  // namespace cca::store
