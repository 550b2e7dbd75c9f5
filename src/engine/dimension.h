#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "engine/scan.h"
#include "engine/snapshot.h"

namespace cca::engine {

// What a breakdown, a split or a latency table can group by.
enum class Dimension {
  kPractice,
  kLevel,
  kLocation,
  kModel,
  kTool,
  kEmail,
  kTerminal,
  kEventType,
  kVersion,
  kOs,
  kStatusCode,
  kDecisionSource,
  kAttempt,
  kError,
  kQuerySource,
};

std::span<const Dimension> all_dimensions();
std::string_view dimension_name(Dimension dimension);
std::optional<Dimension> parse_dimension(std::string_view name);

// The dictionary a dimension's codes belong to.
const Dictionary& dimension_dictionary(const Snapshot& snapshot, Dimension dimension);

// What grouping by the dimension reads beyond the attributes every cell carries.
Needs dimension_needs(Dimension dimension);

// Calls f with a key function (const Cell&) -> code, where code 0 means the events lack the
// attribute. One instantiation per dimension keeps the per-cell call inlined.
template <class F>
decltype(auto) with_dimension_key(const Snapshot& snapshot, Dimension dimension, F&& f) {
  const Snapshot* snap = &snapshot;
  switch (dimension) {
    case Dimension::kPractice:
      return f([snap](const Cell& c) { return snap->practice_of(c); });
    case Dimension::kLevel:
      return f([snap](const Cell& c) { return snap->users[c.user].level; });
    case Dimension::kLocation:
      return f([snap](const Cell& c) { return snap->users[c.user].location; });
    case Dimension::kModel:
      return f([](const Cell& c) { return c.model; });
    case Dimension::kTool:
      return f([](const Cell& c) { return c.tool; });
    case Dimension::kEmail:
      return f([](const Cell& c) { return c.user; });
    case Dimension::kTerminal:
      return f([](const Cell& c) { return c.terminal; });
    case Dimension::kEventType:
      return f([](const Cell& c) { return c.event_name; });
    case Dimension::kVersion:
      return f([](const Cell& c) { return c.version; });
    case Dimension::kOs:
      return f([](const Cell& c) { return c.os; });
    case Dimension::kStatusCode:
      return f([](const Cell& c) { return c.status_code; });
    case Dimension::kDecisionSource:
      return f([](const Cell& c) { return c.decision_source; });
    case Dimension::kAttempt:
      return f([](const Cell& c) { return c.attempt; });
    case Dimension::kError:
      return f([](const Cell& c) { return c.error; });
    case Dimension::kQuerySource:
      return f([](const Cell& c) { return c.query_source; });
  }
  return f([](const Cell&) { return uint32_t{0}; });
}

}  // namespace cca::engine
