#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>

#include "common/time_util.h"
#include "engine/cell.h"
#include "engine/filter.h"
#include "engine/snapshot.h"

namespace cca::engine {

// What a query reads besides the attributes every cell carries.
enum class Needs {
  kNothing,  // practice, level, location, email, terminal, version, os, session, time
  kModel,
  kTool,
  kEventDetail,  // event name or status code: only single events have them
};

// Where a query's cells come from: a cell index, or single events when no index carries what
// the query needs. An index is usable when every event it leaves out contributes nothing to the
// query: the model index for a model filter or a model grouping, the tool index for a tool filter
// or grouping without a model filter. Status code and error filters need single events.
struct CellSource {
  bool single_events = false;
  CellIndex index = CellIndex::kAll;
};
inline CellSource choose_cells(const RowFilter& filter, Needs needs) {
  if (filter.filters_api_error()) return {true};
  if (filter.filters_tool()) {
    if (filter.filters_model() || needs == Needs::kModel || needs == Needs::kEventDetail)
      return {true};
    return {false, CellIndex::kByTool};
  }
  switch (needs) {
    case Needs::kNothing:
      return {false, filter.filters_model() ? CellIndex::kByModel : CellIndex::kAll};
    case Needs::kModel:
      return {false, CellIndex::kByModel};
    case Needs::kTool:
      return filter.filters_model() ? CellSource{true} : CellSource{false, CellIndex::kByTool};
    case Needs::kEventDetail:
      return {true};
  }
  return {true};
}

// Calls visit(cell) for the filter's events in time order of the cells' first events. Whole hours
// of the range come from the chosen index, the partial hours at its ends as single events.
template <class Visit>
void scan_cells(const Snapshot& snapshot, const RowFilter& filter, CellSource source,
                Visit&& visit) {
  if (!filter.accepts_some_user()) return;
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  const int64_t from = filter.from_ms(), to = filter.to_ms();
  // [whole_from, whole_to): the whole hours inside [from, to).
  int64_t whole_from = from == kMin ? kMin : floor_div(from, kMsPerHour) * kMsPerHour;
  if (whole_from != kMin && whole_from < from) whole_from += kMsPerHour;
  int64_t whole_to = to == kMax ? kMax : floor_div(to, kMsPerHour) * kMsPerHour;
  const bool use_cells = !source.single_events && whole_from < whole_to;
  if (!use_cells) whole_from = whole_to = to;

  const auto api = static_cast<uint8_t>(EventKind::kApiRequest);
  const auto visit_rows = [&](const Segment& segment, int64_t begin_ms, int64_t end_ms) {
    const auto [begin, end] = filter.rows_between(segment, begin_ms, end_ms);
    if (begin == end) return;
    uint32_t api_index = segment.api_rank(begin);
    for (size_t row = begin; row < end; ++row) {
      if (filter.accepts(segment, row)) visit(event_cell(segment, row, api_index));
      api_index += segment.kind[row] == api;
    }
  };
  for (const auto& segment_ptr : snapshot.segments) {
    const Segment& segment = *segment_ptr;
    if (segment.last_time() < from || segment.first_time() >= to) continue;
    visit_rows(segment, from, whole_from);
    if (use_cells) {
      const std::vector<Cell>& cells = segment.cells[static_cast<int>(source.index)];
      const auto by_first = [](const Cell& cell, int64_t t) { return cell.first_ms < t; };
      auto it = std::lower_bound(cells.begin(), cells.end(), whole_from, by_first);
      const auto end = std::lower_bound(it, cells.end(), whole_to, by_first);
      for (; it != end; ++it)
        if (filter.accepts(*it)) visit(*it);
    }
    visit_rows(segment, whole_to, to);
  }
}

}  // namespace cca::engine
