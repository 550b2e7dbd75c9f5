#pragma once

#include <vector>

#include "clickhouse/client.h"
#include "engine/distribution.h"
#include "engine/facets.h"
#include "engine/latency.h"
#include "engine/metric_set.h"
#include "engine/timeseries.h"

namespace cca::clickhouse {

class PeopleCache;  // event_sql.h

// The questions about the shape of the data (latency percentiles, the week's heatmap, the spread
// of session quantities, the filter facets) answered by ClickHouse's SQL with the engine's
// semantics to the event: exact nearest-rank percentiles, the same bins, keys and order. Each
// answer is one statement (facets: one UNION ALL of a part per facet), besides the directory read
// as Queries reads it, and the data's span for a latency series over an open range.
//
// Throws ClickHouseError when ClickHouse cannot answer, engine::QueryError for a range with too
// many buckets.
class ShapeQueries {
 public:
  // `people`: the server's, shared by its questions; else each question reads its own.
  explicit ShapeQueries(const ClickHouseClient& client, const PeopleCache* people = nullptr)
      : client_(client), people_(people) {}

  // engine::latency: per model (api_request) or tool (tool_result), rows by count descending, ties
  // by key.
  std::vector<engine::LatencyRow> latency(
      const engine::Filter& filter, engine::LatencyBy by,
      engine::LatencyMeasure measure = engine::LatencyMeasure::kDurationMs) const;
  // engine::latency_timeseries: every model's or tool's measure together, per time bucket.
  engine::LatencySeries latency_timeseries(const engine::Filter& filter, engine::LatencyBy of,
                                           engine::LatencyMeasure measure,
                                           engine::Bucket bucket) const;
  // engine::heatmap: 168 cells, UTC, cell weekday * 24 + hour, Monday 0.
  std::vector<engine::MetricSet> heatmap(const engine::Filter& filter) const;
  // engine::session_distribution: per-session quantities over each session's matching events.
  engine::Distribution session_distribution(const engine::Filter& filter,
                                            engine::SessionQuantity of, size_t bins = 20) const;
  // engine::facets: each filter's values under every other filter, and the custom attributes'.
  engine::Facets facets(const engine::Filter& filter) const;

 private:
  const ClickHouseClient& client_;
  const PeopleCache* people_;
};

}  // namespace cca::clickhouse
