#include "engine/segment.h"

#include <sys/mman.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cca::engine {
namespace {

// Calls f on every column of a builder's storage (or any struct with the same members).
template <class Columns, class F>
void for_each_column(Columns& c, F&& f) {
  f(c.time_ms);
  f(c.success);
  f(c.cost_estimated);
  for (auto* column : {&c.event_name, &c.session, &c.user, &c.terminal, &c.model, &c.tool,
                       &c.decision, &c.decision_source, &c.error, &c.status_code, &c.version, &c.os,
                       &c.practice_hint, &c.attempt_code, &c.query_source,
                       &c.attributes})
    f(*column);
  for (auto* column :
       {&c.input_tokens, &c.output_tokens, &c.cache_read_tokens, &c.cache_creation_tokens,
        &c.cost_usd, &c.duration_ms, &c.prompt_length, &c.attempt, &c.tool_result_size_bytes,
        &c.ttft_ms})
    f(*column);
}

template <class T>
void permute(std::vector<T>& column, const std::vector<uint32_t>& order) {
  std::vector<T> sorted(column.size());
  for (size_t i = 0; i < order.size(); ++i) sorted[i] = column[order[i]];
  column.swap(sorted);
}

double present_or_zero(double value) {
  return std::isnan(value) ? 0.0 : value;
}

LatencyIndex build_latency_index(const Segment& s) {
  LatencyIndex index;
  const auto add = [&](std::vector<KeyDurations>& by_key, uint32_t key, size_t row,
                       double duration) {
    if (key >= by_key.size()) by_key.resize(key + 1);
    KeyDurations& durations = by_key[key];
    durations.row.push_back(static_cast<uint32_t>(row));
    durations.duration_ms.push_back(duration);
    durations.sum += duration;
  };
  for (size_t row = 0; row < s.size(); ++row) {
    const double duration = s.duration_ms[row];
    if (std::isnan(duration)) continue;
    const auto kind = static_cast<EventKind>(s.kind[row]);
    if (kind == EventKind::kApiRequest && s.model[row] != 0)
      add(index.by_model, s.model[row], row, duration);
    if (kind == EventKind::kToolResult && s.tool[row] != 0)
      add(index.by_tool, s.tool[row], row, duration);
  }
  uint32_t api_index = 0;
  for (size_t row = 0; row < s.size(); ++row) {
    if (s.kind[row] != static_cast<uint8_t>(EventKind::kApiRequest)) continue;
    const uint32_t api = api_index++;
    if (s.model[row] == 0 || !(s.api.present[api] & kTtftPresent)) continue;
    KeyDurations& ttft = [&]() -> KeyDurations& {
      if (s.model[row] >= index.ttft_by_model.size()) index.ttft_by_model.resize(s.model[row] + 1);
      return index.ttft_by_model[s.model[row]];
    }();
    ttft.row.push_back(static_cast<uint32_t>(row));
    ttft.duration_ms.push_back(s.api.ttft_ms[api]);
    ttft.sum += s.api.ttft_ms[api];
  }
  for (auto* by_key : {&index.by_model, &index.by_tool, &index.ttft_by_model}) {
    for (KeyDurations& durations : *by_key) {
      durations.row.shrink_to_fit();
      durations.sorted = durations.duration_ms;
      std::sort(durations.sorted.begin(), durations.sorted.end());
      // Durations by model and tool are the segment's own: read through the rows.
      if (by_key == &index.ttft_by_model) {
        durations.duration_ms.shrink_to_fit();
      } else {
        std::vector<double>().swap(durations.duration_ms);
      }
    }
  }
  return index;
}

}  // namespace

void prefer_huge_pages(const void* data, size_t bytes) {
  constexpr uintptr_t kHugePage = 2u << 20;
  if (bytes < 2 * kHugePage) return;
  const auto begin = (reinterpret_cast<uintptr_t>(data) + kHugePage - 1) & ~(kHugePage - 1);
  const auto end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHugePage - 1);
  // Advice only: where the kernel declines, the buffer keeps its 4 kB pages.
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

uint32_t Segment::api_rank(size_t row) const {
  const size_t block = row / kBlockRows;
  uint32_t rank = api_before_block[block];
  const auto api = static_cast<uint8_t>(EventKind::kApiRequest);
  for (size_t i = block * kBlockRows; i < row; ++i) rank += kind[i] == api;
  return rank;
}

EventRow Segment::row(size_t i, uint32_t api_index) const {
  EventRow r;
  r.time_ms = time_ms[i];
  r.event_name = event_name[i];
  r.session = session[i];
  r.user = user[i];
  r.terminal = terminal[i];
  r.model = model[i];
  r.tool = tool[i];
  r.decision = decision[i];
  r.decision_source = decision_source[i];
  r.error = error[i];
  r.status_code = status_code[i];
  r.version = version[i];
  r.os = os[i];
  r.practice_hint = practice_hint[i];
  r.attempt_code = attempt_code[i];
  r.query_source = query_source[i];
  r.attributes = attributes[i];
  r.success = success[i];
  r.duration_ms = duration_ms[i];
  r.prompt_length = prompt_length[i];
  r.attempt = attempt[i];
  r.tool_result_size_bytes = tool_result_size_bytes[i];
  if (kind[i] == static_cast<uint8_t>(EventKind::kApiRequest)) {
    const uint8_t present = api.present[api_index];
    const auto figure = [&](const NumberColumn& column, int bit) {
      return present & (1u << bit) ? column[api_index] : kAbsentNumber;
    };
    r.input_tokens = figure(api.input_tokens, 0);
    r.output_tokens = figure(api.output_tokens, 1);
    r.cache_read_tokens = figure(api.cache_read_tokens, 2);
    r.cache_creation_tokens = figure(api.cache_creation_tokens, 3);
    r.cost_usd = figure(api.cost_usd, 4);
    r.cost_estimated = (present & kEstimatedCost) != 0;
    if (present & kTtftPresent) r.ttft_ms = api.ttft_ms[api_index];
  }
  return r;
}

void SegmentBuilder::reserve(size_t rows) {
  for_each_column(rows_, [rows](auto& column) { reserve_columns(column, rows); });
}

void SegmentBuilder::append(const EventRow& r) {
  Columns& c = rows_;
  c.time_ms.push_back(r.time_ms);
  c.success.push_back(r.success);
  c.cost_estimated.push_back(r.cost_estimated);
  c.event_name.push_back(r.event_name);
  c.session.push_back(r.session);
  c.user.push_back(r.user);
  c.terminal.push_back(r.terminal);
  c.model.push_back(r.model);
  c.tool.push_back(r.tool);
  c.decision.push_back(r.decision);
  c.decision_source.push_back(r.decision_source);
  c.error.push_back(r.error);
  c.status_code.push_back(r.status_code);
  c.version.push_back(r.version);
  c.os.push_back(r.os);
  c.practice_hint.push_back(r.practice_hint);
  c.attempt_code.push_back(r.attempt_code);
  c.query_source.push_back(r.query_source);
  c.attributes.push_back(r.attributes);
  c.input_tokens.push_back(r.input_tokens);
  c.output_tokens.push_back(r.output_tokens);
  c.cache_read_tokens.push_back(r.cache_read_tokens);
  c.cache_creation_tokens.push_back(r.cache_creation_tokens);
  c.cost_usd.push_back(r.cost_usd);
  c.duration_ms.push_back(r.duration_ms);
  c.prompt_length.push_back(r.prompt_length);
  c.attempt.push_back(r.attempt);
  c.tool_result_size_bytes.push_back(r.tool_result_size_bytes);
  c.ttft_ms.push_back(r.ttft_ms);
}

void SegmentBuilder::sort_by_time() {
  const auto& time = rows_.time_ms;
  if (std::is_sorted(time.begin(), time.end())) return;
  std::vector<uint32_t> order(time.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return time[a] < time[b]; });
  for_each_column(rows_, [&](auto& column) { permute(column, order); });
}

Segment SegmentBuilder::build(bool with_indexes) {
  sort_by_time();
  Columns c = std::move(rows_);
  rows_ = Columns();
  const size_t n = c.time_ms.size();

  Segment s;
  s.kind.resize(n);
  s.flags.resize(n);
  s.api_before_block.reserve(n / Segment::kBlockRows + 1);
  const auto api_kind = static_cast<uint8_t>(EventKind::kApiRequest);
  std::array<std::vector<double>, 6> api_figures;  // the five figures, then ttft_ms
  for (size_t i = 0; i < n; ++i) {
    if (i % Segment::kBlockRows == 0) s.api_before_block.push_back(s.api.present.size());
    const EventKind kind = Dictionaries::kind_of(c.event_name[i]);
    s.kind[i] = static_cast<uint8_t>(kind);
    if (kind == EventKind::kToolDecision && c.decision[i] == dictionaries_.accept_decision)
      s.flags[i] |= kAcceptedDecision;
    if (kind == EventKind::kToolResult && c.success[i] == 1) s.flags[i] |= kSuccessfulResult;
    if (kind == EventKind::kApiError && c.error[i] == dictionaries_.user_abort_error)
      s.flags[i] |= kUserAbort;
    if (s.kind[i] != api_kind) continue;
    const double figures[] = {c.input_tokens[i], c.output_tokens[i], c.cache_read_tokens[i],
                              c.cache_creation_tokens[i], c.cost_usd[i]};
    uint8_t present = 0;
    for (int bit = 0; bit < 5; ++bit) present |= std::isnan(figures[bit]) ? 0 : 1u << bit;
    if (c.cost_estimated[i]) present |= kEstimatedCost;
    if (!std::isnan(c.ttft_ms[i])) present |= kTtftPresent;
    s.api.present.push_back(present);
    for (int figure = 0; figure < 5; ++figure)
      api_figures[figure].push_back(present_or_zero(figures[figure]));
    api_figures[5].push_back(present_or_zero(c.ttft_ms[i]));
  }
  s.api.input_tokens = NumberColumn(api_figures[0]);
  s.api.output_tokens = NumberColumn(api_figures[1]);
  s.api.cache_read_tokens = NumberColumn(api_figures[2]);
  s.api.cache_creation_tokens = NumberColumn(api_figures[3]);
  s.api.cost_usd = NumberColumn(api_figures[4]);
  s.api.ttft_ms = NumberColumn(api_figures[5]);
  s.api.present.shrink_to_fit();
  if (n % Segment::kBlockRows == 0)
    s.api_before_block.push_back(s.api.present.size());  // for row n

  s.time_ms = std::move(c.time_ms);
  s.success = std::move(c.success);
  // Each builder column is let go of once narrowed, so that the load's peak stays near one copy.
  const auto narrow = [](std::vector<uint32_t>& wide) {
    CodeColumn column(wide);
    std::vector<uint32_t>().swap(wide);
    return column;
  };
  const auto sparse = [](std::vector<double>& dense) {
    SparseNumbers column(dense);
    std::vector<double>().swap(dense);
    return column;
  };
  s.event_name = narrow(c.event_name);
  s.session = narrow(c.session);
  s.user = narrow(c.user);
  s.terminal = narrow(c.terminal);
  s.model = narrow(c.model);
  s.tool = narrow(c.tool);
  s.decision = narrow(c.decision);
  s.decision_source = narrow(c.decision_source);
  s.error = narrow(c.error);
  s.status_code = narrow(c.status_code);
  s.version = narrow(c.version);
  s.os = narrow(c.os);
  s.practice_hint = narrow(c.practice_hint);
  s.attempt_code = narrow(c.attempt_code);
  s.query_source = narrow(c.query_source);
  s.attributes = narrow(c.attributes);
  s.duration_ms = sparse(c.duration_ms);
  s.prompt_length = sparse(c.prompt_length);
  s.attempt = sparse(c.attempt);
  s.tool_result_size_bytes = sparse(c.tool_result_size_bytes);
  c = Columns();
  if (!with_indexes) return s;
  for (int index = 0; index < kCellIndexes; ++index)
    s.cells[index] = build_cells(s, static_cast<CellIndex>(index));
  s.latency = build_latency_index(s);
  return s;
}

}  // namespace cca::engine
