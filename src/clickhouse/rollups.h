#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "clickhouse/event_sql.h"
#include "common/time_util.h"
#include "engine/dimension.h"
#include "engine/filter.h"

namespace cca::clickhouse {

// Rollups: the events summed per person and period (hour, day), once over all events (dimension
// '') and once per value of each rolled-up column. Materialized views fill them as events are
// inserted (schema.cpp), so a dashboard question whose filter they can express reads a few
// thousand rollup rows instead of every event; the answer is the same to the event, since every
// figure of the metric set is a sum or a distinct count that merges exactly (the sessions as
// uniqExact states).

// The event columns rolled up one at a time. A question filtered or grouped on two of them, or
// on anything else about single events (status code, error, custom attributes), reads events.
inline constexpr const char* kRolledUpColumns[] = {"model",      "terminal", "tool_name",
                                                   "event_name", "version",  "os_type"};

struct RollupTable {
  const char* name;
  int64_t period_ms;  // UTC hours or days; rows hold start_ms, the period's start
};
// Coarsest first: the first one whose periods fit a question answers it. Each has its own view
// over the events: ClickHouse 18.16 does not pass a view's writes on to the views of its target,
// so a day rollup cannot be fed from the hour one.
inline constexpr RollupTable kRollupTables[] = {{"rollup_day", kMsPerDay},
                                                {"rollup_hour", kMsPerHour}};

// A question's reading of a rollup.
struct RollupRead {
  const RollupTable* table;
  // The table and its filter, to follow FROM: "rollup_day PREWHERE <dimension, value, periods,
  // people>". PREWHERE: the rows' session states, costly to read, are read only for the rows
  // that pass.
  std::string filtered_table;
  std::string key;  // the grouping dimension's value per row ("value", or a person's)
};

// The rollup that answers a question over `filter` (grouped by `by`, if given) whose time
// buckets are `bucket_ms` long (0: no buckets), or none when the filter or grouping needs the
// events, or the range does not fall on the rollups' periods.
std::optional<RollupRead> rollup_read(const People& people, const engine::Filter& filter,
                                      std::optional<engine::Dimension> by, int64_t bucket_ms = 0);

// What a question over a metric set reads, as the pieces of its SQL: the rollup rollup_read()
// chooses, else the events. The same question over either gives the same answer.
struct MetricSource {
  std::string filtered_table;  // follows FROM: "rollup_day PREWHERE ..." or "events WHERE ..."
  std::string time;            // the column a row's time is in, for buckets
  std::string key;             // the grouping dimension's value per row; "" without `by`
  std::string_view metrics;    // kRollupMetricColumns or kMetricColumns
  const std::vector<std::string>* metric_expressions;  // the same, one by one
  std::string_view events;                             // the number of events of a group
  std::string_view first, last;  // the first and last event's times of a group
  // Whether a row holds work (engine/users.cpp: the five event types other than "other"), so
  // that a group's active days are the distinct `day`s of such rows.
  std::string_view has_work;
};
MetricSource metric_source(const People& people, const engine::Filter& filter,
                           std::optional<engine::Dimension> by, int64_t bucket_ms = 0);

}  // namespace cca::clickhouse
