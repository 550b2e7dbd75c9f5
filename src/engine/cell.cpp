#include "engine/cell.h"

#include "common/time_util.h"
#include "engine/segment.h"

namespace cca::engine {
namespace {

constexpr uint32_t kNone = UINT32_MAX;

void accumulate(Cell& cell, const Segment& s, size_t row, uint32_t api_index) {
  const int64_t t = s.time_ms[row];
  if (cell.events == 0) cell.first_ms = t;
  cell.last_ms = t;
  ++cell.events;
  const uint8_t kind = s.kind[row];
  ++cell.by_kind[kind];
  const uint8_t flags = s.flags[row];
  cell.accepted_decisions += flags & kAcceptedDecision;
  cell.successful_results += (flags & kSuccessfulResult) >> 1;
  cell.user_aborts += (flags & kUserAbort) >> 2;
  if (kind == static_cast<uint8_t>(EventKind::kApiRequest)) {
    cell.input_tokens += s.api.input_tokens[api_index];
    cell.output_tokens += s.api.output_tokens[api_index];
    cell.cache_read_tokens += s.api.cache_read_tokens[api_index];
    cell.cache_creation_tokens += s.api.cache_creation_tokens[api_index];
    cell.cost_usd += s.api.cost_usd[api_index];
    if (s.api.present[api_index] & kEstimatedCost) cell.cost_estimated_usd += s.api.cost_usd[api_index];
  }
}

bool same_key(const Cell& cell, const Segment& s, size_t row, uint32_t model, uint32_t tool) {
  return cell.user == s.user[row] && cell.practice_hint == s.practice_hint[row] &&
         cell.terminal == s.terminal[row] && cell.version == s.version[row] &&
         cell.os == s.os[row] && cell.attributes == s.attributes[row] && cell.model == model &&
         cell.tool == tool;
}

}  // namespace

Cell event_cell(const Segment& s, size_t row, uint32_t api_index) {
  Cell cell;
  cell.session = s.session[row];
  cell.user = s.user[row];
  cell.practice_hint = s.practice_hint[row];
  cell.terminal = s.terminal[row];
  cell.version = s.version[row];
  cell.os = s.os[row];
  cell.attributes = s.attributes[row];
  cell.model = s.model[row];
  cell.tool = s.tool[row];
  cell.event_name = s.event_name[row];
  cell.status_code = s.status_code[row];
  cell.query_source = s.query_source[row];
  cell.decision_source = s.decision_source[row];
  cell.error = s.error[row];
  cell.attempt = s.attempt_code[row];
  accumulate(cell, s, row, api_index);
  return cell;
}

std::vector<Cell> build_cells(const Segment& s, CellIndex index) {
  std::vector<Cell> cells;
  const uint32_t session_codes = s.session.codes();
  // Per session, the cells of the hour being cut, chained through next_in_session: a session has
  // a handful per hour, so finding its cell is a short walk instead of a hash look-up.
  std::vector<uint32_t> head(session_codes, kNone);
  std::vector<int64_t> head_hour(session_codes, INT64_MIN);
  std::vector<uint32_t> next_in_session;
  uint32_t api_index = 0;
  const auto api = static_cast<uint8_t>(EventKind::kApiRequest);
  for (size_t row = 0; row < s.size(); ++row) {
    const uint32_t row_api_index = api_index;
    api_index += s.kind[row] == api;
    const uint32_t model = index == CellIndex::kByModel ? s.model[row] : 0;
    const uint32_t tool = index == CellIndex::kByTool ? s.tool[row] : 0;
    if ((index == CellIndex::kByModel && model == 0) || (index == CellIndex::kByTool && tool == 0))
      continue;
    const uint32_t session = s.session[row];
    const int64_t hour = floor_div(s.time_ms[row], kMsPerHour);
    if (head_hour[session] != hour) {
      head_hour[session] = hour;
      head[session] = kNone;
    }
    uint32_t found = head[session];
    while (found != kNone && !same_key(cells[found], s, row, model, tool))
      found = next_in_session[found];
    if (found == kNone) {
      found = static_cast<uint32_t>(cells.size());
      Cell& cell = cells.emplace_back();
      cell.session = session;
      cell.user = s.user[row];
      cell.practice_hint = s.practice_hint[row];
      cell.terminal = s.terminal[row];
      cell.version = s.version[row];
      cell.os = s.os[row];
      cell.attributes = s.attributes[row];
      cell.model = model;
      cell.tool = tool;
      next_in_session.push_back(head[session]);
      head[session] = found;
    }
    accumulate(cells[found], s, row, row_api_index);
  }
  cells.shrink_to_fit();
  return cells;
}

}  // namespace cca::engine
