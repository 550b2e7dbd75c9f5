#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

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
};

std::span<const Dimension> all_dimensions();
std::string_view dimension_name(Dimension dimension);
std::optional<Dimension> parse_dimension(std::string_view name);

// The dictionary a dimension's codes belong to.
const Dictionary& dimension_dictionary(const Snapshot& snapshot, Dimension dimension);

// Calls f with a key function (const Segment&, size_t row) -> code, where code 0 means the event
// lacks the attribute. One instantiation per dimension keeps the per-row call inlined.
template <class F>
decltype(auto) with_dimension_key(const Snapshot& snapshot, Dimension dimension, F&& f) {
  const Snapshot* snap = &snapshot;
  switch (dimension) {
    case Dimension::kPractice:
      return f([snap](const Segment& s, size_t i) { return snap->practice_of(s, i); });
    case Dimension::kLevel:
      return f([snap](const Segment& s, size_t i) { return snap->users[s.user[i]].level; });
    case Dimension::kLocation:
      return f([snap](const Segment& s, size_t i) { return snap->users[s.user[i]].location; });
    case Dimension::kModel:
      return f([](const Segment& s, size_t i) { return s.model[i]; });
    case Dimension::kTool:
      return f([](const Segment& s, size_t i) { return s.tool[i]; });
    case Dimension::kEmail:
      return f([](const Segment& s, size_t i) { return s.user[i]; });
    case Dimension::kTerminal:
      return f([](const Segment& s, size_t i) { return s.terminal[i]; });
    case Dimension::kEventType:
      return f([](const Segment& s, size_t i) { return s.event_name[i]; });
    case Dimension::kVersion:
      return f([](const Segment& s, size_t i) { return s.version[i]; });
    case Dimension::kOs:
      return f([](const Segment& s, size_t i) { return s.os[i]; });
    case Dimension::kStatusCode:
      return f([](const Segment& s, size_t i) { return s.status_code[i]; });
  }
  return f([](const Segment&, size_t) { return uint32_t{0}; });
}

}  // namespace cca::engine
