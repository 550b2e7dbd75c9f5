#pragma once

#include <memory>
#include <string>

#include "clickhouse/client.h"
#include "ingest/ingestor.h"

namespace cca::clickhouse {

// The ingest into a ClickHouse store: the same parsers, rules and quarantine as the embedded
// store's, written to ClickHouse in large blocks and deduplicated by identity (EventWriter).
//
// Acknowledgement: every method returns only after ClickHouse has taken what it reports as
// accepted; it throws ClickHouseError when ClickHouse cannot be written, and the ingest log then
// holds the ingest as failed. ClickHouse has no transactions: a file whose ingest failed half-way
// keeps the blocks written before the failure, and ingesting it again completes it without
// doubling anything. OTLP metrics exports are written by MetricWriter, under the embedded store's
// rules and with its ingest log source name.
class ClickHouseIngestor : public ingest::IngestTarget {
 public:
  // Creates or migrates the schema. Throws ClickHouseError.
  explicit ClickHouseIngestor(ClickHouseUrl url);
  ~ClickHouseIngestor() override;

  ingest::IngestReport ingest_file(const std::string& path,
                                   const ingest::ProgressCallback& progress = {}) override;
  ingest::IngestReport ingest_jsonl(std::string_view body, std::string_view source) override;
  ingest::IngestReport ingest_otlp_logs(
      std::string_view body, ingest::OtlpEncoding encoding = ingest::OtlpEncoding::kJson) override;
  ingest::IngestReport ingest_metric_points(const ingest::MetricBatch& batch,
                                            size_t bytes) override;
  size_t load_employees_csv(std::string_view csv, std::string_view source) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cca::clickhouse
