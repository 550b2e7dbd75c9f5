#pragma once

#include <optional>
#include <string>
#include <vector>

#include "clickhouse/event_sql.h"
#include "engine/filter.h"

namespace cca::clickhouse {

// session_days: each session's events summed per UTC day, person, practice hint and terminal,
// with the identity-ordered first event, the first and last event's times (the first's alone
// since schema version 12) and (version 12) how many of its events opened their session's cell
// (below). A materialized view fills it on every insert (schema.cpp). The sessions page reads it
// instead of the events when the filter allows: a few rows per session rather than a hundred
// events, and no GROUP BY over every event of the range. Events without a session are left out, as
// the page leaves them out.
inline constexpr const char* kSessionDays = "session_days";

// The table's columns, and the view's SELECT over `events` (the events table, or events_local on
// a cluster).
std::string session_days_columns();
std::string session_days_select(const std::string& events);
// A row's session as a number (`session_key`, schema version 13), in the sorting key so that it
// is not summed: a question that looks its rows' sessions up in a set reads and hashes 8 bytes a
// row instead of the 36 of a session id (575,000 rows at 52 M events: 5 ms against 55).
inline constexpr const char* kSessionKey = "cityHash64(session_id)";
inline constexpr const char* kSessionDaysKey =
    "day, session_id, user, practice_hint, terminal, session_key";
// Rows a granule (schema version 15; ClickHouse's default of 8,192 before): a page of sessions
// reads every granule that holds a row of one of its sessions, all its columns and aggregate
// states, and a page by a metric's sessions lie on any day (a page by cost over every day of
// 100 M events: 789,000 rows read for 50 sessions in granules of 8,192 and 482,000 in granules of
// 1,024; the page's statement over the same five parts took 92 ms median and 62).
inline constexpr int kSessionDaysGranule = 1024;

// "session_days PREWHERE <days, people, terminal>" for the sessions matching `filter`, or none
// when the filter needs single events (model, tool, status code, error, custom attributes) or
// its range does not fall on whole UTC days.
std::optional<std::string> session_days_read(const People& people, const engine::Filter& filter);

// Over a session_days row: the first event's order (time, identity) and the last event's time.
inline constexpr const char* kSessionFirst = "finalizeAggregation(first)";
inline constexpr const char* kSessionLast = "finalizeAggregation(last_ms)";

// The sessions among the rows of `read` (a session_days_read) that may have more than one row
// there, as a SELECT of their session_key: those with a row whose `opened` is 0, and those that
// span cells. Every other session has exactly one row there, whose figures are the session's: a
// question over sessions reads them without a GROUP BY over every session id (575,000 ids at
// 52 M events cost ClickHouse 18.16 300 ms). Two sessions may share a number: a session named
// with one that has several rows is only asked about too.
//
// `opened` (schema version 12) counts the row's events that opened their session's (day, person,
// hint) cell (session_opens.h): 1 in exactly one row of each cell of a session, however many
// inserts (unmerged rows) or terminals its events came in, 0 in the others. Of two rows of a
// session in one cell, one has 0; two rows in different cells make a spanning session
// (spanning_cells). A store whose events were never marked (schema version 5 and older) has 0 in
// every row: every session is then read with a GROUP BY, as before.
std::string sessions_of_several_rows(const std::string& read);

// The rows of `read` (a session_days_read) of the sessions `ids` (one or more), found on `days`
// (one or more), as a FROM clause. The sessions are found first by number, in PREWHERE (8 bytes a
// row), and only the granules holding them are read for `read`'s conditions and the ids
// themselves: with those conditions in PREWHERE, ClickHouse 18.16 read every row's people and id
// (a page of a practice's sessions at 52 M events: 170-270 ms of ClickHouse's time -> 70-107). The
// ids come as values, not as the subquery that found them, which ClickHouse would run once for
// each of the two conditions. Their rows lie on `days` and on the days of their cells in
// spanning_cells (a session with rows on several days spans them), which the table's order by day
// confines the read to on one server (a page of a practice's sessions over every day at 100 M
// events: 59-101 ms -> 43-53).
std::string session_days_of(const ClickHouseClient& client, const std::string& read,
                            const std::vector<std::string>& ids,
                            const std::vector<std::string>& days);

}  // namespace cca::clickhouse
