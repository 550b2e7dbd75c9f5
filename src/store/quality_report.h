#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"
#include "store/ingest_log.h"

namespace cca::store {

// Events accepted, found again and rejected by every ingest (OTLP metrics ingests count data
// points, not events, and are left out).
struct IngestTotals {
  uint64_t accepted = 0, duplicates = 0, rejected_events = 0, rejected_lines = 0;
};

// One row of the ingest log. Unset: what the store does not know (yet).
struct IngestRecord {
  int64_t id = 0;
  std::string source, status;
  std::optional<std::string> path, checksum, message;
  std::optional<int64_t> size_bytes, started_ms, finished_ms;
  IngestCounts counts;
};

struct RejectionCount {
  std::string kind, reason;
  uint64_t count = 0;
};

// One quarantined record, kept once however often it arrived.
struct QuarantineRecord {
  int64_t id = 0;
  std::string source, kind, reason, detail, raw;
  std::optional<std::string> field;
  std::optional<int64_t> line;
  int64_t received_ms = 0;
};

// What GET /api/v1/quality answers: the ingest log, newest first, at most kMaxIngests rows;
// rejections by reason, largest first; the newest quarantined records.
struct QualityReport {
  static constexpr size_t kMaxIngests = 1000;
  IngestTotals totals;
  std::vector<IngestRecord> ingests;
  std::vector<RejectionCount> rejected_by_reason;
  std::vector<QuarantineRecord> quarantine_sample;
};

// A store's account of its own ingests: the embedded store's (SqliteQualityReader) or
// ClickHouse's (clickhouse::ClickHouseQualityReader). Read on every request, never cached.
class QualityReader {
 public:
  virtual ~QualityReader() = default;
  virtual QualityReport report(size_t sample) = 0;
  virtual IngestTotals totals() = 0;
  virtual uint64_t size_on_disk_bytes() = 0;
};

// The embedded store's, over a connection of its own, one query at a time.
class SqliteQualityReader final : public QualityReader {
 public:
  explicit SqliteQualityReader(const std::string& db_path);

  QualityReport report(size_t sample) override;
  IngestTotals totals() override;
  // The database file and its write-ahead log.
  uint64_t size_on_disk_bytes() override;

 private:
  IngestTotals totals_locked();

  std::mutex mutex_;
  std::string db_path_;
  Database db_;
};

}  // namespace cca::store
