#pragma once

#include <vector>

#include "clickhouse/client.h"
#include "engine/code_activity.h"

namespace cca::clickhouse {

class PeopleCache;  // event_sql.h

// The code-activity questions (engine/code_activity.h) answered by ClickHouse's SQL over the table
// metric_points, with the engine's semantics: the sums of the points' deltas, the events' filters
// applied to the points' people and attributes (the directory read with each question), a point
// placed by its time in ms, the timeline's buckets over the filter's range or all points' times,
// rows by key. Each answer is one statement, besides the directory and, for a timeline with an
// open end, the points' span.
//
// Throws ClickHouseError when ClickHouse cannot answer, engine::QueryError for a range with too
// many buckets.
class CodeQueries {
 public:
  // `people`: the server's, shared by its questions; else each question reads its own.
  explicit CodeQueries(const ClickHouseClient& client, const PeopleCache* people = nullptr)
      : client_(client), people_(people) {}

  engine::CodeActivity code_activity(const engine::Filter& filter) const;
  engine::CodeTimeline code_timeline(const engine::Filter& filter, engine::Bucket bucket) const;
  std::vector<engine::CodeRow> code_breakdown(const engine::Filter& filter,
                                              const engine::CodeGrouping& by) const;
  std::vector<engine::MetricNameRow> metric_names() const;

 private:
  const ClickHouseClient& client_;
  const PeopleCache* people_;
};

}  // namespace cca::clickhouse
