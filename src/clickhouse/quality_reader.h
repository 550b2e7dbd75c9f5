#pragma once

#include <memory>

#include "clickhouse/client.h"
#include "store/quality_report.h"

namespace cca::clickhouse {

// The ingest log and quarantine as ClickHouse keeps them (schema.cpp), read like the embedded
// store's: each ingest at its latest revision, each quarantined record once however often it was
// written (the tables' ReplacingMergeTrees collapse copies only as parts merge, so reads do it).
class ClickHouseQualityReader final : public store::QualityReader {
 public:
  explicit ClickHouseQualityReader(std::shared_ptr<const ClickHouseClient> client)
      : client_(std::move(client)) {}

  store::QualityReport report(size_t sample) override;
  store::IngestTotals totals() override;
  // The database's active parts on the server the URL names (on a cluster: that server's share).
  uint64_t size_on_disk_bytes() override;

 private:
  std::shared_ptr<const ClickHouseClient> client_;
};

}  // namespace cca::clickhouse
