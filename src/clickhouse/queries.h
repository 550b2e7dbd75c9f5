#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "clickhouse/client.h"
#include "engine/breakdown.h"
#include "engine/summary.h"
#include "engine/timeseries.h"

namespace cca::clickhouse {

class PeopleCache;  // event_sql.h

// The analytics questions answered by ClickHouse's SQL over the events table, with the engine's
// semantics to the event: the same filters (the directory resolved per person as the engine
// resolves it), the same metric set, the same buckets, keys and order. A question reads a rollup
// when one can answer it (rollups.h), else the events. Each answer is one or two statements; the
// directory is read with each question, so a directory load shows at once.
//
// Throws ClickHouseError when ClickHouse cannot answer, engine::QueryError for a range with too
// many buckets.
class Queries {
 public:
  // `people`: the server's, shared by its questions; else each question reads its own.
  explicit Queries(const ClickHouseClient& client, const PeopleCache* people = nullptr)
      : client_(client), people_(people) {}

  engine::Summary summarize(const engine::Filter& filter) const;
  std::vector<engine::BreakdownRow> breakdown(const engine::Filter& filter, engine::Dimension by,
                                              engine::Metric sort = engine::Metric::kEvents) const;
  // One statement of a grouped read per dimension and part (the whole filter, each range). Of a
  // metric that counts nothing distinct only its sums, from the rollups' totals where no person
  // is asked about, and one read by person and practice hint for all the dimensions of people,
  // each person resolved here: the anomalies' explanations of the cost over every day of 52 M
  // events read a few thousand rows instead of twice 200,000 and their distinct counts.
  std::vector<std::vector<engine::RangedBreakdownRow>> ranged_breakdowns(
      const engine::Filter& filter, std::span<const engine::Dimension> by, engine::Metric metric,
      std::span<const engine::TimeRange> ranges) const;
  // With `only` (and no split), the series of that metric's figures alone: its sums (sum_source)
  // where it counts nothing distinct, which over every day of 52 M events read a few hundred rows
  // of the totals instead of 370,000 for the distinct counts.
  engine::Timeseries timeseries(const engine::Filter& filter, engine::Bucket bucket,
                                std::optional<engine::Dimension> split = std::nullopt,
                                size_t split_limit = 12,
                                const std::vector<std::string>* split_values = nullptr,
                                std::optional<engine::Metric> only = std::nullopt) const;

  // The first and last event's times, none when the store is empty.
  std::pair<std::optional<int64_t>, std::optional<int64_t>> span() const;

 private:
  const ClickHouseClient& client_;
  const PeopleCache* people_;
};

}  // namespace cca::clickhouse
