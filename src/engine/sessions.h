#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/filter.h"
#include "engine/metric_set.h"
#include "engine/ordering.h"

namespace cca::engine {

// A session over its matching events. Who and where come from its first matching event.
struct SessionRow {
  std::string session_id, email, practice, level, location;
  std::optional<std::string> terminal;
  std::optional<int64_t> start_ms,
      end_ms;  // absent only in a detail whose events all fail the filter
  MetricSet metrics;

  std::optional<double> duration_s() const {
    if (!start_ms) return std::nullopt;
    return static_cast<double>(*end_ms - *start_ms) / 1000.0;
  }
};

enum class SessionField { kStart, kEnd, kDuration, kMetric };
using SessionOrder = Ordering<SessionField>;
// "start", "end", "duration_s" or a metric name.
std::optional<SessionOrder> parse_session_order(std::string_view field, bool ascending);

struct SessionsPage {
  size_t total = 0;  // sessions with at least one matching event
  std::vector<SessionRow> rows;
};

SessionsPage list_sessions(const Snapshot& snapshot, const Filter& filter,
                           const SessionOrder& order, size_t limit, size_t offset);

struct SessionDetail {
  SessionRow row;
  std::vector<EventRow> events;  // the matching events in time order
};

// nullopt when no event of the session was ever loaded.
std::optional<SessionDetail> session_detail(const Snapshot& snapshot, const Filter& filter,
                                            std::string_view session_id);

}  // namespace cca::engine
