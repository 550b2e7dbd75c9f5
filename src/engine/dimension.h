#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "engine/scan.h"
#include "engine/snapshot.h"

namespace cca::engine {

// What a breakdown, a split or a latency table can group by: one of the fixed dimensions, or a
// custom attribute `attr.<key>`.
struct Dimension {
  enum Kind : uint8_t {
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
    kAttribute,  // a custom attribute, named by `name`
  };

  constexpr Dimension(Kind k) : kind(k) {}  // NOLINT: a fixed dimension converts implicitly

  // "attr.<key>" as given; the view must outlive the Dimension.
  static Dimension attribute(std::string_view attr_name) {
    Dimension d(kAttribute);
    d.name = attr_name;
    return d;
  }
  std::string_view attribute_key() const { return name.substr(kAttributePrefix.size()); }
  bool operator==(const Dimension&) const = default;

  static constexpr std::string_view kAttributePrefix = "attr.";

  Kind kind = kPractice;
  std::string_view name = {};  // for kAttribute
};

// The fixed dimensions; attribute dimensions are as many as the custom attributes' keys.
std::span<const Dimension> all_dimensions();
std::string_view dimension_name(Dimension dimension);
// A fixed dimension's name, or "attr.<key>" with a key that is_attribute_key() accepts (the
// Dimension then views `name`).
std::optional<Dimension> parse_dimension(std::string_view name);
// Whether text can be a custom attribute's key: not empty, at most 256 bytes, no control
// characters.
bool is_attribute_key(std::string_view text);

// The attribute dimension's value code by set code, for the snapshot (0: the set lacks the key).
std::vector<uint32_t> attribute_value_table(const Snapshot& snapshot, Dimension dimension);

// The dictionary a dimension's codes belong to.
const Dictionary& dimension_dictionary(const Snapshot& snapshot, Dimension dimension);

// What grouping by the dimension reads beyond the attributes every cell carries.
Needs dimension_needs(Dimension dimension);

// Calls f with a key function (const Cell&) -> code, where code 0 means the events lack the
// attribute. One instantiation per dimension keeps the per-cell call inlined.
template <class F>
decltype(auto) with_dimension_key(const Snapshot& snapshot, Dimension dimension, F&& f) {
  const Snapshot* snap = &snapshot;
  switch (dimension.kind) {
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
    case Dimension::kAttribute: {
      const std::vector<uint32_t> table = attribute_value_table(snapshot, dimension);
      const uint32_t* values = table.data();
      return f([values](const Cell& c) { return values[c.attributes]; });
    }
  }
  return f([](const Cell&) { return uint32_t{0}; });
}

}  // namespace cca::engine
