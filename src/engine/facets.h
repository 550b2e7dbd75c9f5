#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/filter.h"

namespace cca::engine {

struct FacetValue {
  std::string value;
  uint64_t events = 0;  // matching events with this value (under every other filter)
  bool operator==(const FacetValue&) const = default;
};
using FacetList = std::vector<FacetValue>;  // sorted by value

// The values each filter can take: for each filter parameter, the values found among the events
// that match every other filter (its own is left out, so choosing one value does not hide the
// alternatives), with their event counts.
struct Facets {
  FacetList practice, level, location, model, email, terminal, tool, status_code, error;
  // Per custom attribute key (sorted; keys without a value left out): its values.
  std::vector<std::pair<std::string, FacetList>> attributes;
};

Facets facets(const Snapshot& snapshot, const Filter& filter);

}  // namespace cca::engine
