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

  // Live exports (OTLP) are logged one row per source and UTC hour, each export's counts added to
  // it in the export's own transaction: a fleet sends hundreds of exports a second, and a row
  // each would grow the log without bound. Both run inside the caller's transaction.
  // live_row: the row of `source` for the hour starting at hour_ms, created complete and empty
  // when there is none; its path reads "exports of the hour from <hour, RFC 3339>".
  int64_t live_row(std::string_view source, int64_t hour_ms);
  void add_live(int64_t ingest_id, const IngestCounts& counts, int64_t size_bytes);

 private:
  Database& db_;
};

}  // namespace cca::store
