#include "engine/facets.h"

#include <algorithm>

#include "engine/scan.h"

namespace cca::engine {
namespace {

enum FacetIndex { kPractice, kLevel, kLocation, kModel, kEmail, kTerminal, kFacets };

std::vector<std::string> values_of(const Dictionary& dictionary, const std::vector<uint8_t>& seen) {
  std::vector<std::string> values;
  for (uint32_t code = 1; code < seen.size(); ++code)
    if (seen[code]) values.emplace_back(dictionary.value(code));
  std::sort(values.begin(), values.end());
  return values;
}

}  // namespace

Facets facets(const Snapshot& snapshot, const Filter& filter) {
  const Dictionaries& d = snapshot.dict();
  const Dictionary* dictionaries[kFacets] = {&d.practice, &d.level, &d.location,
                                             &d.model,    &d.user,  &d.terminal};
  std::vector<uint8_t> seen[kFacets];
  for (int facet = 0; facet < kFacets; ++facet) {
    // Each facet under every filter but its own.
    Filter relaxed = filter;
    std::vector<std::string>* lists[kFacets] = {&relaxed.practice, &relaxed.level,
                                                &relaxed.location, &relaxed.model,
                                                &relaxed.email,    &relaxed.terminal};
    lists[facet]->clear();
    const RowFilter rows(snapshot, relaxed);
    std::vector<uint8_t>& values = seen[facet];
    values.assign(dictionaries[facet]->size(), 0);
    const Needs needs = facet == kModel ? Needs::kModel : Needs::kNothing;
    scan_cells(snapshot, rows, choose_cells(rows, needs), [&](const Cell& cell) {
      const UserAttributes& user = snapshot.users[cell.user];
      const uint32_t codes[kFacets] = {snapshot.practice_of(cell),
                                       user.level,
                                       user.location,
                                       cell.model,
                                       cell.user,
                                       cell.terminal};
      values[codes[facet]] = 1;
    });
  }
  Facets result;
  result.practice = values_of(d.practice, seen[kPractice]);
  result.level = values_of(d.level, seen[kLevel]);
  result.location = values_of(d.location, seen[kLocation]);
  result.model = values_of(d.model, seen[kModel]);
  result.email = values_of(d.user, seen[kEmail]);
  result.terminal = values_of(d.terminal, seen[kTerminal]);
  return result;
}

}  // namespace cca::engine
