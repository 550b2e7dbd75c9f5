#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/filter.h"

namespace cca::engine {

// The values each filter can take, sorted: for each filter parameter, the values found among the
// events that match every other filter (its own is left out, so choosing one value does not hide
// the alternatives).
struct Facets {
  std::vector<std::string> practice, level, location, model, email, terminal;
  // Per custom attribute key (sorted; keys without a value left out): its values.
  std::vector<std::pair<std::string, std::vector<std::string>>> attributes;
};

Facets facets(const Snapshot& snapshot, const Filter& filter);

}  // namespace cca::engine
