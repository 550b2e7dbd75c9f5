#include "engine/sessions.h"

#include <algorithm>

#include "engine/grouped_metrics.h"
#include "engine/scan.h"

namespace cca::engine {
namespace {

struct SessionSpan {
  const Segment* first_segment = nullptr;
  size_t first_row = 0;
  int64_t start_ms = 0, end_ms = 0;
};

SessionRow make_row(const Snapshot& snapshot, uint32_t session, const Segment& first_segment,
                    size_t first_row, const MetricSet& metrics) {
  const Dictionaries& d = snapshot.dict();
  const uint32_t user = first_segment.user[first_row];
  const uint32_t terminal = first_segment.terminal[first_row];
  SessionRow row;
  row.session_id = d.session.value(session);
  row.email = d.user.value(user);
  row.practice = d.practice.value(snapshot.practice_of(first_segment, first_row));
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
  scan(snapshot, rows, [&](const Segment& s, size_t row, uint32_t api_index) {
    const uint32_t session = s.session[row];
    metrics.add(session, s, row, api_index);
    SessionSpan& span = spans[session];
    if (span.first_segment == nullptr) {
      span.first_segment = &s;
      span.first_row = row;
      span.start_ms = s.time_ms[row];
    }
    span.end_ms = s.time_ms[row];
  });

  struct Candidate {
    uint32_t session;
    std::optional<double> value;
  };
  std::vector<Candidate> candidates;
  for (uint32_t session = 0; session < session_count; ++session)
    if (spans[session].first_segment != nullptr)
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
    SessionRow row =
        make_row(snapshot, session, *span.first_segment, span.first_row, metrics[session]);
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
  const Segment* identity_segment = nullptr;  // first matching event, else first event
  size_t identity_row = 0;
  bool identity_matches = false;
  for (const auto& segment_ptr : snapshot.segments) {
    const Segment& s = *segment_ptr;
    const auto [begin, end] = rows.row_range(s);
    for (size_t row = 0; row < s.size(); ++row) {
      if (s.session[row] != *code) continue;
      const bool matches =
          row >= begin && row < end && rows.accepts_some_user() && rows.accepts(s, row);
      if (identity_segment == nullptr || (matches && !identity_matches)) {
        identity_segment = &s;
        identity_row = row;
        identity_matches = matches;
      }
      if (!matches) continue;
      const uint32_t api_index = s.api_rank(row);
      metrics.add(0, s, row, api_index);
      detail.events.push_back(s.row(row, api_index));
    }
  }
  if (identity_segment == nullptr) return std::nullopt;
  detail.row = make_row(snapshot, *code, *identity_segment, identity_row, metrics[0]);
  if (!detail.events.empty()) {
    detail.row.start_ms = detail.events.front().time_ms;
    detail.row.end_ms = detail.events.back().time_ms;
  }
  return detail;
}

}  // namespace cca::engine
