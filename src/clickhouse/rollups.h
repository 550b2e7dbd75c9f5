#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clickhouse/event_sql.h"
#include "common/time_util.h"
#include "engine/dimension.h"
#include "engine/filter.h"

namespace cca::clickhouse {

// Rollups: the events summed per person and period (hour, day, month), once over all events
// (dimension
// '') and once per value of each rolled-up column. Materialized views fill them as events are
// inserted (schema.cpp), so a dashboard question whose filter they can express reads a few
// thousand rollup rows instead of every event; the answer is the same to the event, since every
// figure of the metric set is a sum or a distinct count that merges exactly (the sessions as
// uniqExact states).

// The event columns rolled up one at a time: each a dimension of the rollups (its name in their
// `dimension` column) and its value as SQL over an event (key_expression's). A question filtered
// or grouped on two of them, or on anything else about single events (custom attributes), reads
// events.
//
// The last four (schema version 11) are "sparse": most events have no value for them (a status
// code, an error or an attempt only an api_error has; a decision source only tool decisions and
// results), and their rollups keep only the events that do, which is all a question reads of
// them, since no answer groups or filters on ''. The reliability and tools pages ask for them:
// over 103 M events their breakdowns scanned every event in 5-12 s.
struct RolledUpColumn {
  const char* dimension;
  const char* value;
  bool sparse;
};
inline constexpr const char* kAttemptValue = "if(bitAnd(present, 128) = 0, '', toString(attempt))";
inline constexpr RolledUpColumn kRolledUpColumns[] = {{"model", "model", false},
                                                      {"terminal", "terminal", false},
                                                      {"tool_name", "tool_name", false},
                                                      {"event_name", "event_name", false},
                                                      {"version", "version", false},
                                                      {"os_type", "os_type", false},
                                                      {"status_code", "status_code", true},
                                                      {"decision_source", "decision_source", true},
                                                      {"attempt", kAttemptValue, true},
                                                      {"error", "error", true}};
// The sparse dimensions follow the others (schema version 11 added them after): the dimension
// (below) of the first.
constexpr size_t first_sparse_dimension() {
  size_t d = 1;
  while (!kRolledUpColumns[d - 1].sparse) ++d;
  return d;
}
inline constexpr size_t kFirstSparseDimension = first_sparse_dimension();
static_assert(std::all_of(std::begin(kRolledUpColumns) + kFirstSparseDimension - 1,
                          std::end(kRolledUpColumns),
                          [](const RolledUpColumn& column) { return column.sparse; }));

// The rolled-up column a dimension's values are, if any.
const RolledUpColumn* rolled_up_column(const People& people, engine::Dimension dimension);

// A rollup's dimensions: 0, all events (dimension ''), then each rolled-up column; the column of
// dimension d, or null for all events.
inline constexpr size_t kRollupDimensionCount = 1 + std::size(kRolledUpColumns);
constexpr const RolledUpColumn* rollup_dimension_column(size_t dimension) {
  return dimension == 0 ? nullptr : &kRolledUpColumns[dimension - 1];
}
// The condition on the events that have rows under dimension d, or "" for every event; and the
// same of an event whose value under it is `value`.
std::string dimension_rows_condition(size_t dimension);
constexpr bool has_rows(size_t dimension, std::string_view value) {
  return !value.empty() || dimension < kFirstSparseDimension;
}

// Beside each, its totals table: the same rows summed over people (one row per dimension, value
// and period: the events' figures and the sessions' counts, without the distinct people), which
// is what a question reads that neither filters nor groups on people: over 100 M events the
// hourly series over every day reads 30,000 rows of it instead of 1.4 M, a row per person. The
// people of its figures come from the rollup rows' `user_key`, those few columns read apart.
//
// The hour rollup has, beside it, its people alone (`people`): one row per dimension, value, hour
// and person's number, without the practice hint or a figure. The hourly series over every day
// of 103 M events counts the distinct people of each hour: over those rows (980,000, against the
// rollup's 1.3 M with a row per hint) and their five narrow columns, ClickHouse 18.16 takes
// 26-31 ms instead of 45-50. A ReplacingMergeTree: merges drop a repeated row, and reads count
// distinct keys, so a row not yet merged away counts once all the same.
struct RollupTable {
  const char* name;
  const char* totals;
  int64_t period_ms;   // UTC hours or days; 0: calendar months. Rows hold start_ms, its start
  const char* day;     // a row's `day` from its events': the day itself, or its month's first
  const char* period;  // SQL over a row's columns that tells the table's periods apart
  int since_version;   // the schema version that added it
  const char* people;  // its people alone (schema version 9), or null: its own rows
};
// Coarsest first: the first one whose periods fit a question answers it. Each has its own view
// over the events: ClickHouse 18.16 does not pass a view's writes on to the views of its target,
// so a day rollup cannot be fed from the hour one.
inline constexpr RollupTable kRollupTables[] = {
    {"rollup_month", "totals_month", 0, "toStartOfMonth(day)", "toStartOfMonth(day)", 6, nullptr},
    {"rollup_day", "totals_day", kMsPerDay, "day", "day", 2, nullptr},
    {"rollup_hour", "totals_hour", kMsPerHour, "day", "start_ms", 2, "people_hour"}};
inline constexpr size_t kMonthRollup = 0, kDayRollup = 1, kHourRollup = 2;

// A rollup row's person as a number (`user_key`), so that distinct people are counted over
// integers: over 1.4 M rows ClickHouse 18.16 counts them in 45 ms, the strings in 114 ms. Two
// people may share a number: a store where any do counts the strings (People::user_keys_unique).
inline constexpr const char* kUserKey = "cityHash64(user)";

// The start of the table's period that `time_ms` falls in, and the same as SQL over an event.
int64_t period_start_ms(const RollupTable& table, int64_t time_ms);
std::string period_start_sql(const RollupTable& table);
// A rollup row's cell under one dimension, as SQL over an event: "<dimension>, <value>, <day>,
// <start_ms>, " under those names.
std::string rollup_cell(const RollupTable& table, size_t dimension);

// A question's reading of the rollups.
struct RollupRead {
  struct Part {
    const RollupTable* table;
    // The rows' filter: "<dimension, value, periods, people>", over the rollup's columns.
    std::string conditions;
  };
  // One table's rows; or, when sessions are counted and nothing needs a row's day, the months
  // wholly inside the range from rollup_month and the days around them from rollup_day.
  std::vector<Part> parts;
  // The same filter over the whole range, for spanning_cells (session_opens.h), which shares the
  // rollups' columns but their people's numbers (the parts test people by number, this by
  // email); and the period of a spanning cell as the parts see it.
  std::string conditions;
  std::string spanning_period;
  std::string key;  // the grouping dimension's value per row ("value", or a person's)
  // Whether the sessions are the sum of the rows' `opened` counts, corrected by spanning_cells:
  // when no group of the question holds two rows of a session that lies in one (day, person,
  // hint), i.e. one value of the dimension per group, and one period per day (month and day
  // rollups, or the hour rollup read hour by hour). Otherwise they are the union of the rows'
  // session states, from one table.
  bool counts_sessions = false;
  // Whether the figures are the totals tables' (the question neither filters nor groups on
  // people, and counts its sessions); its people are then the rollup rows' of the same parts.
  bool totals = false;
};

// The rollups that answer a question over `filter` (grouped by `by`, if given) whose time
// buckets are `bucket_ms` long (0: no buckets), or none when the filter or grouping needs the
// events, or the range does not fall on the rollups' periods. `per_day`: the question needs each
// row's day (active days), which month rows do not keep.
std::optional<RollupRead> rollup_read(const People& people, const engine::Filter& filter,
                                      std::optional<engine::Dimension> by, int64_t bucket_ms = 0,
                                      bool per_day = false);

// What a question over a metric set reads, as the pieces of its SQL: the rollup rollup_read()
// chooses, else the events. The same question over either gives the same answer.
struct MetricSource {
  // Follows FROM: "rollup_day PREWHERE ...", "(<rollup_day and spanning_cells rows>) WHERE 1"
  // or "events WHERE ...", so that " AND <condition>" or " GROUP BY ..." may follow.
  std::string filtered_table;
  std::string time;  // the column a row's time is in, for buckets
  std::string key;   // the grouping dimension's value per row; "" without `by`
  // The metric set over the rows, one expression per figure (read_metrics' order).
  const std::vector<std::string>* metric_expressions;
  std::string_view events;       // the number of events of a group
  std::string_view first, last;  // the first and last event's times of a group
  // Whether a row holds work (engine/users.cpp: the five event types other than "other"), so
  // that a group's active days are the distinct `day`s of such rows.
  std::string_view has_work;
  // Whether the sessions (metric_expressions[1]) are counted rather than collected: see
  // RollupRead::counts_sessions.
  bool counts_sessions = false;
  // From the totals tables, whose rows hold no people: the metric set's people
  // (metric_expressions[2]) are `people` over these rows of the rollup's people (its own or its
  // people table's) instead, which have the columns `time` and `key` name too, and take
  // " AND <condition>" as filtered_table does.
  std::string people_rows{};
  std::string people{};
};
MetricSource metric_source(const People& people, const engine::Filter& filter,
                           std::optional<engine::Dimension> by, int64_t bucket_ms = 0,
                           bool per_day = false);
// The same for a question about one metric that counts nothing distinct
// (engine::metric_counts_distinct): the figures it is computed from (metric_sums), every other
// one 0 (`events` too, unless the metric reads them), and no first or last time or work. From
// rollups, it reads those columns of the totals tables unless it asks about people, and no
// spanning cells.
MetricSource sum_source(const People& people, const engine::Filter& filter,
                        std::optional<engine::Dimension> by, engine::Metric metric,
                        int64_t bucket_ms = 0);
// The same over the rollup rows of several rolled-up dimensions at once, each row's `dimension`
// beside its value (the source's key), for questions about each of them under one filter that
// names none of them; or none when that filter needs the events. The facets read their
// dimensions so: a read per dimension cost ClickHouse 18.16 the analysis of its own statement and
// of its own sets of people, 3-5 ms each.
std::optional<MetricSource> sum_source_of_dimensions(
    const People& people, const engine::Filter& filter,
    const std::vector<engine::Dimension>& dimensions, engine::Metric metric);

// "SELECT day, sessions": the sessions of each UTC day of the filter's range that has any, as
// the day rollup saw them under it (each day's `opened`, summed over people: a session with events
// of two people or hints on a day counts once for each, as session_days has a row for each), with
// no ORDER BY; or none when the rollups cannot tell. For the sessions pages that look for
// the days nearest one end of their order (people_queries.cpp): counting session_days' rows per
// day instead read every row, and under a practice filter tested every row's person (49 ms at 65
// M events).
std::optional<std::string> sessions_per_day(const People& people, const engine::Filter& filter);

// "SELECT <group aliases>, <the metric set>, <more columns>" over a source's rows in groups: each
// (SQL over the rows, its alias), or none for one row over all of them. `condition` narrows the
// rows and `having` the groups. The metric set is kMetricFields columns, named m0 ... m17.
struct Grouping {
  std::string expression, alias;
};
std::string select_metrics(const MetricSource& source, const std::vector<Grouping>& groups,
                           const std::vector<std::string_view>& more_columns = {},
                           const std::string& condition = "", const std::string& having = "");

}  // namespace cca::clickhouse
