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
struct LatencyRollup {
  const char* table;
  const char* period;  // the `day` of an event's row: its day or its month's first day
};
inline constexpr LatencyRollup kLatencyRollups[] = {{"latency_day", "day"},
                                                    {"latency_month", "toStartOfMonth(day)"}};
std::vector<const LatencyMeasured*> latency_measures();
std::string latency_rollup_columns();
std::string latency_rollup_select(const LatencyRollup& rollup, const LatencyMeasured& measured,
                                  const std::string& events);

// The condition on latency rollup rows for a latency question over `filter` (its measure, and its
// models or tools if filtered), or none when the filter needs the events: people, terminals,
// status codes, errors, custom attributes, a tool filter by model or a model filter by tool, or
// a range not on whole UTC days.
std::optional<std::string> latency_rollup_condition(const engine::Filter& filter,
                                                    engine::LatencyBy by,
                                                    engine::LatencyMeasure measure);

// Rows (k: the model or tool, v: a value, c: how many events took it) of the rollup rows matching
// `condition` over the filter's range: the months wholly inside it from latency_month, its other
// days from latency_day.
std::string latency_rollup_rows(const engine::Filter& filter, const std::string& condition);

// Rows (day, v, c) of latency_day matching `condition` over the filter's range, for buckets of
// whole days.
std::string latency_day_rows(const engine::Filter& filter, const std::string& condition);

}  // namespace cca::clickhouse
