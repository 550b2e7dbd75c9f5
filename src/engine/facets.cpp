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
  // One RowFilter per facet, each without that facet's own filter; a row adds its value to facet
  // f when the filter built without f accepts it.
  std::vector<RowFilter> without;
  without.reserve(kFacets);
  for (int facet = 0; facet < kFacets; ++facet) {
    Filter relaxed = filter;
    std::vector<std::string>* lists[kFacets] = {&relaxed.practice, &relaxed.level,
                                                &relaxed.location, &relaxed.model,
                                                &relaxed.email,    &relaxed.terminal};
    lists[facet]->clear();
    without.emplace_back(snapshot, relaxed);
  }
  std::vector<uint8_t> seen[kFacets] = {
      std::vector<uint8_t>(d.practice.size()), std::vector<uint8_t>(d.level.size()),
      std::vector<uint8_t>(d.location.size()), std::vector<uint8_t>(d.model.size()),
      std::vector<uint8_t>(d.user.size()),     std::vector<uint8_t>(d.terminal.size())};
  for (const auto& segment_ptr : snapshot.segments) {
    const Segment& s = *segment_ptr;
    const auto [begin, end] = without[0].row_range(s);
    for (size_t row = begin; row < end; ++row) {
      const uint32_t user = s.user[row];
      const UserAttributes& attributes = snapshot.users[user];
      const uint32_t codes[kFacets] = {snapshot.practice_of(s, row),
                                       attributes.level,
                                       attributes.location,
                                       s.model[row],
                                       user,
                                       s.terminal[row]};
      for (int facet = 0; facet < kFacets; ++facet)
        if (!seen[facet][codes[facet]] && without[facet].accepts_some_user() &&
            without[facet].accepts(s, row))
          seen[facet][codes[facet]] = 1;
    }
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
