#include "engine/facets.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

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

// The attribute sets among the events the filter accepts.
std::vector<uint8_t> sets_seen(const Snapshot& snapshot, const Filter& filter) {
  const RowFilter rows(snapshot, filter);
  std::vector<uint8_t> seen(snapshot.dict().attributes.size(), 0);
  scan_cells(snapshot, rows, choose_cells(rows, Needs::kNothing),
             [&](const Cell& cell) { seen[cell.attributes] = 1; });
  return seen;
}

std::vector<std::pair<std::string, std::vector<std::string>>> attribute_facets(
    const Snapshot& snapshot, const Filter& filter) {
  const AttributeSets& attributes = snapshot.dict().attributes;
  const std::vector<AttributeSets::Pairs> sets = attributes.all();
  // Every key but the filtered ones reads the sets under the whole filter: one scan for them all.
  const std::vector<uint8_t> seen_under_filter = sets_seen(snapshot, filter);
  std::map<std::string, std::set<std::string>> values_by_key;
  const auto collect = [&](const std::vector<uint8_t>& seen, std::optional<uint32_t> only_key,
                           const std::vector<uint32_t>& skip_keys) {
    for (size_t set = 1; set < seen.size() && set < sets.size(); ++set) {
      if (!seen[set]) continue;
      for (const auto& [key, value] : sets[set]) {
        if (only_key ? key != *only_key
                     : std::find(skip_keys.begin(), skip_keys.end(), key) != skip_keys.end())
          continue;
        values_by_key[std::string(attributes.keys.value(key))].emplace(
            attributes.values.value(value));
      }
    }
  };
  std::vector<uint32_t> filtered_keys;
  for (size_t i = 0; i < filter.attributes.size(); ++i) {
    const auto key = attributes.keys.find(filter.attributes[i].first);
    if (!key) continue;
    filtered_keys.push_back(*key);
    Filter relaxed = filter;
    relaxed.attributes.erase(relaxed.attributes.begin() + static_cast<std::ptrdiff_t>(i));
    collect(sets_seen(snapshot, relaxed), *key, {});
  }
  collect(seen_under_filter, std::nullopt, filtered_keys);
  std::vector<std::pair<std::string, std::vector<std::string>>> result;
  for (auto& [key, values] : values_by_key)
    result.emplace_back(key, std::vector<std::string>(values.begin(), values.end()));
  return result;
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
  result.attributes = attribute_facets(snapshot, filter);
  result.practice = values_of(d.practice, seen[kPractice]);
  result.level = values_of(d.level, seen[kLevel]);
  result.location = values_of(d.location, seen[kLocation]);
  result.model = values_of(d.model, seen[kModel]);
  result.email = values_of(d.user, seen[kEmail]);
  result.terminal = values_of(d.terminal, seen[kTerminal]);
  return result;
}

}  // namespace cca::engine
