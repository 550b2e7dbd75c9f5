#pragma once

#include <string>

#include "store/quality_report.h"

namespace cca::server {

// GET /api/v1/quality's answer.
std::string quality_json(const store::QualityReport& report);

// Prometheus lines for ingested, duplicate and rejected counts and the store's size on disk.
void render_store_metrics(std::string& out, const store::IngestTotals& totals,
                          uint64_t size_on_disk_bytes);

}  // namespace cca::server
