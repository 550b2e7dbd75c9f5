#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/filter.h"
#include "engine/latency.h"

namespace cca::clickhouse {

// Latency rollups: how many measured events took each exact value, per measure (duration_ms by
// model, ttft_ms by model, duration_ms by tool), model or tool, and period, in latency_day (UTC
// days) and latency_month (UTC months, `day` their first day). Materialized views fill them as
// events are inserted (schema.cpp). Percentiles by nearest rank need only each value's count, so
// the answer is the events' to the event, from a row per distinct value instead of one per event:
// durations are whole milliseconds, a few thousand distinct values a model and day however many
// requests there are. They keep no person: a question filtered on people (or on anything but the
// rows' own model or tool) reads the events.

// What the events of a latency question are and which of their columns it reads, as the engine's
// latency index keeps them: api_request events with a model, tool_result events with a tool, and
// of those only the ones carrying the figure.
struct LatencyMeasured {
  const char* measure;  // the rollups' name for it: "model duration_ms", ...
  const char* key;      // the event column grouped on
  const char* value;    // the event column measured
  const char* events;   // the condition on events
};
const LatencyMeasured& latency_measured(engine::LatencyBy by, engine::LatencyMeasure measure);

// The rollup tables, and the SELECT over `events` each materialized view runs for one measure.
//
// Beside each, its buckets table: the same events counted per bucket of values (the value's
// sign, exponent and first 6 bits of mantissa: 64 buckets a power of two, each 1.6 % wide), with
// their sum. A percentile question reads the buckets first (a few hundred rows a model and day),
// finds the bucket each rank falls in, and then reads the exact values of those buckets only: the
// value tables keep each value's bucket and are ordered by (measure, key, bucket, value, day) in
// small granules, so that a bucket is one range of a part whatever the days asked, and the
// condition a tuple IN, a hash lookup a row (the same buckets as value ranges, 30 OR clauses,
// read 2.7 times the rows and cost ClickHouse 18.16 four times as long).
//
// latency_day_all keeps the days of every model or tool together (key ''), for the question the
// dashboard asks most, a series of days over all of them: at 52 M events its rows are a third of
// latency_day's (the models' values overlap), and over every day the buckets' read took 25 ms
// instead of 35 and the values' 20 instead of 60-80.
struct LatencyRollup {
  const char* table;
  const char* period;  // the `day` of an event's row: its day or its month's first day
  const char* buckets;
  bool of_all_keys;
};
inline constexpr LatencyRollup kLatencyRollups[] = {
    {"latency_day", "day", "latency_day_buckets", false},
    {"latency_month", "toStartOfMonth(day)", "latency_month_buckets", false},
    {"latency_day_all", "day", "latency_day_all_buckets", true}};
inline constexpr const LatencyRollup& kLatencyDays = kLatencyRollups[0];
inline constexpr const LatencyRollup& kLatencyMonths = kLatencyRollups[1];
inline constexpr const LatencyRollup& kLatencyDaysOfAllKeys = kLatencyRollups[2];
std::vector<const LatencyMeasured*> latency_measures();
std::string latency_rollup_columns();
std::string latency_rollup_select(const LatencyRollup& rollup, const LatencyMeasured& measured,
                                  const std::string& events);
std::string latency_bucket_columns();
std::string latency_bucket_select(const LatencyRollup& rollup, const LatencyMeasured& measured,
                                  const std::string& events);

// A value's bucket, as both tables keep it (an expression of `value`): 0 for every value <= 0,
// then increasing with the value.
std::string latency_bucket_sql(const std::string& value);
// The condition on latency rollup rows for a latency question over `filter` (its measure, and its
// models or tools if filtered), or none when the filter needs the events: people, terminals,
// status codes, errors, custom attributes, a tool filter by model or a model filter by tool, or
// a range not on whole UTC days.
struct LatencyRollupCondition {
  std::string sql;
  bool names_keys = false;  // whether it keeps only some models or tools
};
std::optional<LatencyRollupCondition> latency_rollup_condition(const engine::Filter& filter,
                                                               engine::LatencyBy by,
                                                               engine::LatencyMeasure measure);

// What a latency question's answer is per: the model or tool (`key`), where the months wholly
// inside the range are read from the month tables; or another expression of the rows' key and
// day, such as a time bucket of a series, read from the day tables only (which keep the day).
struct LatencyGroup {
  std::string expression = "key";
  bool of_days = false;
  // Whether the expression is a number rather than a String: a series' bucket index, which
  // ClickHouse 18.16 groups and matches in a tuple IN at half the cost of its text (over every
  // day of 52 M events the buckets' read took 35 ms instead of 70, the values' 125 instead of 150).
  bool numeric = false;
  // Whether the groups are of every model or tool together, read from latency_day_all (groups of
  // days, under a condition that names no keys).
  bool of_all_keys = false;
};

// Rows (k: the group, b: a bucket, v: a value of it, c: how many events took it) of the rollup
// rows matching `condition` over the filter's range: the months wholly inside it from
// latency_month (unless the group is of days), its other days from latency_day (or
// latency_day_all).
std::string latency_rollup_rows(const engine::Filter& filter, const std::string& condition,
                                const LatencyGroup& group);

// Rows (k, b: a bucket, c: its events, s: their sum) of the buckets tables over the filter's range,
// as latency_rollup_rows reads the values.
std::string latency_bucket_rows(const engine::Filter& filter, const std::string& condition,
                                const LatencyGroup& group);

}  // namespace cca::clickhouse
