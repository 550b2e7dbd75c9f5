#include "engine/sessions.h"

#include <algorithm>

#include "engine/grouped_metrics.h"
#include "engine/scan.h"

namespace cca::engine {
namespace {

// Who and where a session is: the attributes of its first matching event.
struct Identity {
  uint32_t user = 0, practice_hint = 0, terminal = 0;

  static Identity of(const Cell& cell) { return {cell.user, cell.practice_hint, cell.terminal}; }
};

struct SessionSpan {
  bool seen = false;
  Identity identity;
  int64_t start_ms = 0, end_ms = 0;
};

SessionRow make_row(const Snapshot& snapshot, uint32_t session, const Identity& identity,
                    const MetricSet& metrics) {
  const Dictionaries& d = snapshot.dict();
  const uint32_t user = identity.user;
  const uint32_t terminal = identity.terminal;
  SessionRow row;
  row.session_id = d.session.value(session);
  row.email = d.user.value(user);
  row.practice = d.practice.value(snapshot.practice_of(user, identity.practice_hint));
  row.level = d.level.value(snapshot.users[user].level);
  row.location = d.location.value(snapshot.users[user].location);
  if (terminal != Dictionary::kAbsent) row.terminal = std::string(d.terminal.value(terminal));
  row.metrics = metrics;
  return row;
}

std::optional<double> order_value(const SessionOrder& order, const SessionSpan& span,
                                  const MetricSet& metrics) {
  switch (order.field) {
    case SessionField::kStart:
      return static_cast<double>(span.start_ms);
    case SessionField::kEnd:
      return static_cast<double>(span.end_ms);
    case SessionField::kDuration:
      return static_cast<double>(span.end_ms - span.start_ms);
    case SessionField::kMetric:
      return metric_value(metrics, order.metric);
  }
  return std::nullopt;
}

}  // namespace

std::optional<SessionOrder> parse_session_order(std::string_view field, bool ascending) {
  if (field == "start") return SessionOrder{SessionField::kStart, Metric::kEvents, ascending};
  if (field == "end") return SessionOrder{SessionField::kEnd, Metric::kEvents, ascending};
  if (field == "duration_s")
    return SessionOrder{SessionField::kDuration, Metric::kEvents, ascending};
  if (const auto metric = parse_metric(field))
    return SessionOrder{SessionField::kMetric, *metric, ascending};
  return std::nullopt;
}

SessionsPage list_sessions(const Snapshot& snapshot, const Filter& filter,
                           const SessionOrder& order, size_t limit, size_t offset) {
  const RowFilter rows(snapshot, filter);
  const size_t session_count = snapshot.session_codes();
  GroupedMetrics metrics(session_count, snapshot);
  std::vector<SessionSpan> spans(session_count);
  scan_cells(snapshot, rows, choose_cells(rows, Needs::kNothing), [&](const Cell& cell) {
    metrics.add(cell.session, cell);
    SessionSpan& span = spans[cell.session];
    if (!span.seen) {
      span.seen = true;
      span.identity = Identity::of(cell);
      span.start_ms = cell.first_ms;
      span.end_ms = cell.last_ms;
    }
    // Cells come ordered by their first event, not their last.
    span.end_ms = std::max(span.end_ms, cell.last_ms);
  });

  struct Candidate {
    uint32_t session;
    std::optional<double> value;
  };
  std::vector<Candidate> candidates;
  for (uint32_t session = Dictionary::kAbsent + 1; session < session_count; ++session)
    if (spans[session].seen)
      candidates.push_back({session, order_value(order, spans[session], metrics[session])});

  SessionsPage page;
  page.total = candidates.size();
  if (offset >= candidates.size()) return page;
  const size_t page_end = std::min(candidates.size(), offset + limit);
  const Dictionary& ids = snapshot.dict().session;
  const auto before = [&](const Candidate& a, const Candidate& b) {
    const int c = compare_values(a.value, b.value, order.ascending);
    return c != 0 ? c < 0 : ids.value(a.session) < ids.value(b.session);
  };
  std::partial_sort(candidates.begin(), candidates.begin() + page_end, candidates.end(), before);
  for (size_t i = offset; i < page_end; ++i) {
    const uint32_t session = candidates[i].session;
    const SessionSpan& span = spans[session];
    SessionRow row = make_row(snapshot, session, span.identity, metrics[session]);
    row.start_ms = span.start_ms;
    row.end_ms = span.end_ms;
    page.rows.push_back(std::move(row));
  }
  return page;
}

std::optional<SessionDetail> session_detail(const Snapshot& snapshot, const Filter& filter,
                                            std::string_view session_id) {
  const auto code = snapshot.dict().session.find(session_id);
  if (!code || *code == Dictionary::kAbsent) return std::nullopt;
  const RowFilter rows(snapshot, filter);
  GroupedMetrics metrics(1, snapshot);
  SessionDetail detail;
  std::optional<Cell> identity;  // first matching event, else first event
  bool identity_matches = false;
  for (const auto& segment_ptr : snapshot.segments) {
    const Segment& s = *segment_ptr;
    const auto [begin, end] = rows.row_range(s);
    for (size_t row = 0; row < s.size(); ++row) {
      if (s.session[row] != *code) continue;
      const bool matches =
          row >= begin && row < end && rows.accepts_some_user() && rows.accepts(s, row);
      const uint32_t api_index = s.api_rank(row);
      const Cell event = event_cell(s, row, api_index);
      if (!identity || (matches && !identity_matches)) {
        identity = event;
        identity_matches = matches;
      }
      if (!matches) continue;
      metrics.add(0, event);
      detail.events.push_back(s.row(row, api_index));
    }
  }
  if (!identity) return std::nullopt;
  detail.row = make_row(snapshot, *code, Identity::of(*identity), metrics[0]);
  if (!detail.events.empty()) {
    detail.row.start_ms = detail.events.front().time_ms;
    detail.row.end_ms = detail.events.back().time_ms;
  }
  return detail;
}

}  // namespace cca::engine
