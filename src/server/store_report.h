#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "store/database.h"

namespace cca::server {

// Answers read from the store itself rather than from the engine: the ingest log, the quarantine
// and totals for /metrics. Uses its own connection, one query at a time.
class StoreReport {
 public:
  explicit StoreReport(const std::string& db_path);

  // GET /api/v1/quality: totals, the ingest log (newest first), rejections by reason and the
  // newest `sample` quarantined records.
  std::string quality_json(size_t sample);
  // Prometheus lines for ingested, duplicate and rejected counts and the store's size on disk.
  void render_metrics(std::string& out);

 private:
  std::mutex mutex_;
  std::string db_path_;
  store::Database db_;
};

}  // namespace cca::server
