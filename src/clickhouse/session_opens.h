#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clickhouse/client.h"
#include "clickhouse/rollups.h"

namespace cca::clickhouse {

// Distinct sessions kept as plain counts, so that a dashboard question sums numbers instead of
// merging every session id of its rollup rows (at 100 M events, 1.15 M ids cost ClickHouse 18.16
// over 200 ms on two cores however they are stored).
//
// A rollup row's cell is (dimension, value, period, person, practice hint). The event writer
// marks, in the event's `opens` bits, each cell the event is the first of its session in (it asks
// ClickHouse which cells the block's sessions have already), and the rollup views sum the marks
// into `opened`: the row's distinct sessions. Summed over many rows, a session counts once per
// row it is in; that is once per group of a question as long as the session lies in one
// (day, person, practice hint) and the group holds one row per (period, person, hint) of a value
// (the month and day rollups' groups; the hour rollup's when each group is a single hour of a
// day: hourly series and the heatmap). The few sessions that span days, people or hints are
// "spanning": the writer lists every hour cell of theirs in spanning_cells (carried on the event
// rows as arrays, so that they arrive with the insert that made them), and a question subtracts
// their cells and counts them by id instead (rollups.cpp).

// The bit of `opens` for a rollup table (its index in kRollupTables) and dimension: a byte of
// the low 32 bits per table for the dimensions before the sparse ones (UInt32 until schema
// version 11), a byte of the high 32 bits per table for the sparse ones, so that the marks stored
// before keep their meaning.
constexpr uint64_t open_bit(size_t table, size_t dimension) {
  return uint64_t{1} << (dimension < kFirstSparseDimension
                             ? 8 * table + dimension
                             : 32 + 8 * table + dimension - kFirstSparseDimension);
}
static_assert(std::size(kRollupTables) <= 4 && kFirstSparseDimension <= 8 &&
              kRollupDimensionCount - kFirstSparseDimension <= 8);

// The events' columns for it, after the others: name and type.
inline constexpr std::array<std::pair<const char*, const char*>, 7> kOpensColumns = {{
    {"opens", "UInt64"},
    {"span_dimensions", "Array(String)"},
    {"span_values", "Array(String)"},
    {"span_days", "Array(Date)"},
    {"span_starts", "Array(Int64)"},
    {"span_users", "Array(String)"},
    {"span_hints", "Array(String)"},
}};

// spanning_cells: one row per hour cell of a spanning session (duplicates are harmless: readers
// count distinct cells), sharded by person like the rollups.
inline constexpr const char* kSpanningCells = "spanning_cells";
inline constexpr const char* kSpanningCellsColumns =
    "session_id String, dimension String, value String, day Date, start_ms Int64, user String, "
    "practice_hint String";
// The view's SELECT over `events`: the span arrays of each inserted event, one row per element.
std::string spanning_cells_select(const std::string& events);

// session_cells: every session's hour cells (hour, person, hint and the rolled-up values together),
// ordered by session, which is what the writer asks of a block's sessions: the answer reads a
// granule or two per session whatever the store's size, where a scan of the block's days of the
// events read every event of those days.
// A ReplacingMergeTree keyed by the whole cell, so that a cell written by several blocks is kept
// once as parts merge; small granules, since a lookup reads one per session and part.
inline constexpr const char* kSessionCells = "session_cells";
std::string session_cells_columns();
std::string session_cells_layout();
// The view's SELECT over `events`: the distinct cells of the inserted events.
std::string session_cells_select(const std::string& events);

// What an upgraded store runs once to count the sessions of the events it holds under the
// dimensions from `first_dimension` on: `opened` of their rollup and totals rows, the cells of
// every spanning session (from session_days) as the writer would have marked them, and
// session_cells of each of `days` (one statement a day, which keeps the grouping's memory to a
// day's cells).
std::vector<std::string> session_opens_backfill(const std::vector<std::string>& days,
                                                size_t first_dimension);

// An event as the writer marks it.
struct OpenedEvent {
  std::string_view session, user, hint;
  int64_t time_ms = 0;
  std::array<std::string_view, kRollupDimensionCount> values;  // [0] is "" (all events)
};

// The marks of a block of events about to be inserted (none of them stored yet, no two alike).
class SessionOpens {
 public:
  // Asks `reader` (which must not lag behind the writes) which cells the events' sessions
  // already have.
  SessionOpens(const ClickHouseClient& reader, const std::vector<OpenedEvent>& events);

  // Appends "\t<opens>\t<span arrays...>" of event i.
  void append_columns(std::string& out, size_t event) const;

 private:
  struct SpanCell {
    uint8_t dimension;
    std::string value, user, hint;
    int64_t start_ms;
  };
  std::vector<uint64_t> opens_;
  std::vector<std::vector<SpanCell>> spans_;
};

}  // namespace cca::clickhouse
