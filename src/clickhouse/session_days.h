#pragma once

#include <optional>
#include <string>

#include "clickhouse/event_sql.h"
#include "engine/filter.h"

namespace cca::clickhouse {

// session_days: each session's events summed per UTC day, person, practice hint and terminal,
// with the identity-ordered first event and the last event's time. A materialized view fills it
// on every insert (schema.cpp). The sessions page reads it instead of the events when the filter
// allows: a few rows per session rather than a hundred events, and no GROUP BY over every event
// of the range. Events without a session are left out, as the page leaves them out.
inline constexpr const char* kSessionDays = "session_days";

// The table's columns, and the view's SELECT over `events` (the events table, or events_local on
// a cluster).
std::string session_days_columns();
std::string session_days_select(const std::string& events);
inline constexpr const char* kSessionDaysKey = "day, session_id, user, practice_hint, terminal";

// "session_days PREWHERE <days, people, terminal>" for the sessions matching `filter`, or none
// when the filter needs single events (model, tool, status code, error, custom attributes) or
// its range does not fall on whole UTC days.
std::optional<std::string> session_days_read(const People& people, const engine::Filter& filter);

// Over a session_days row: the first event's order (time, identity) and the last event's time.
inline constexpr const char* kSessionFirst = "finalizeAggregation(first)";
inline constexpr const char* kSessionLast = "finalizeAggregation(last_ms)";

}  // namespace cca::clickhouse
