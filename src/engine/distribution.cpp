#include "engine/distribution.h"

#include <algorithm>

#include "engine/scan.h"

namespace cca::engine {
namespace {

constexpr std::string_view kNames[] = {"session_duration_s", "session_prompts", "session_cost_usd"};

}  // namespace

std::optional<SessionQuantity> parse_session_quantity(std::string_view name) {
  for (size_t i = 0; i < std::size(kNames); ++i)
    if (kNames[i] == name) return static_cast<SessionQuantity>(i);
  return std::nullopt;
}

std::string_view session_quantity_name(SessionQuantity quantity) {
  return kNames[static_cast<size_t>(quantity)];
}

Distribution session_distribution(const Snapshot& snapshot, const Filter& filter,
                                  SessionQuantity of, size_t bins) {
  const RowFilter rows(snapshot, filter);
  struct Session {
    bool seen = false;
    int64_t start_ms = 0, end_ms = 0;
    double prompts = 0, cost_usd = 0;
  };
  std::vector<Session> sessions(snapshot.session_codes());
  scan_cells(snapshot, rows, choose_cells(rows, Needs::kNothing), [&](const Cell& cell) {
    Session& session = sessions[cell.session];
    if (!session.seen) {
      session.seen = true;
      session.start_ms = cell.first_ms;
      session.end_ms = cell.last_ms;
    }
    session.start_ms = std::min(session.start_ms, cell.first_ms);
    session.end_ms = std::max(session.end_ms, cell.last_ms);
    session.prompts += cell.by_kind[static_cast<size_t>(EventKind::kUserPrompt)];
    session.cost_usd += cell.cost_usd;
  });

  std::vector<double> values;
  for (size_t code = Dictionary::kAbsent + 1; code < sessions.size(); ++code) {
    const Session& session = sessions[code];
    if (!session.seen) continue;
    switch (of) {
      case SessionQuantity::kDurationS:
        values.push_back(static_cast<double>(session.end_ms - session.start_ms) / 1000.0);
        break;
      case SessionQuantity::kPrompts:
        values.push_back(session.prompts);
        break;
      case SessionQuantity::kCostUsd:
        values.push_back(session.cost_usd);
        break;
    }
  }
  return distribution_of(values, bins);
}

Distribution distribution_of(std::vector<double>& values, size_t bins) {
  Distribution result;
  result.stats = percentiles(values);
  if (values.empty() || bins == 0) return result;
  const double lo = result.stats.min, hi = result.stats.max;
  const size_t bin_count = hi > lo ? bins : 1;
  const double width = hi > lo ? (hi - lo) / static_cast<double>(bin_count) : 0;
  for (size_t i = 0; i < bin_count; ++i)
    result.bins.push_back({lo + width * static_cast<double>(i),
                           i + 1 == bin_count ? hi : lo + width * static_cast<double>(i + 1), 0});
  for (const double v : values) {
    size_t bin = width > 0 ? static_cast<size_t>((v - lo) / width) : 0;
    bin = std::min(bin, bin_count - 1);
    // Rounding can put a value on the wrong side of a computed edge; the edges decide.
    while (bin > 0 && v < result.bins[bin].lo) --bin;
    while (bin + 1 < bin_count && v >= result.bins[bin + 1].lo) ++bin;
    ++result.bins[bin].count;
  }
  return result;
}

}  // namespace cca::engine
