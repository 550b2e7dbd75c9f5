#include "engine/facets.h"

#include <algorithm>
#include <map>
#include <optional>

#include "engine/scan.h"

namespace cca::engine {
namespace {

enum FacetIndex {
  kPractice,
  kLevel,
  kLocation,
  kModel,
  kEmail,
  kTerminal,
  kTool,
  kStatusCode,
  kError,
  kFacets
};

FacetList values_of(const Dictionary& dictionary, const std::vector<uint64_t>& events) {
  FacetList values;
  for (uint32_t code = 1; code < events.size(); ++code)
    if (events[code] > 0) values.push_back({std::string(dictionary.value(code)), events[code]});
  std::sort(values.begin(), values.end(),
            [](const FacetValue& a, const FacetValue& b) { return a.value < b.value; });
  return values;
}

// Events per attribute set among the events the filter accepts.
std::vector<uint64_t> events_by_set(const Snapshot& snapshot, const Filter& filter) {
  const RowFilter rows(snapshot, filter);
  std::vector<uint64_t> events(snapshot.dict().attributes.size(), 0);
  scan_cells(snapshot, rows, choose_cells(rows, Needs::kNothing),
             [&](const Cell& cell) { events[cell.attributes] += cell.events; });
  return events;
}

std::vector<std::pair<std::string, FacetList>> attribute_facets(const Snapshot& snapshot,
                                                                const Filter& filter) {
  const AttributeSets& attributes = snapshot.dict().attributes;
  const std::vector<AttributeSets::Pairs> sets = attributes.all();
  std::map<std::string, std::map<std::string, uint64_t>> events_by_key;
  const auto collect = [&](const std::vector<uint64_t>& events, std::optional<uint32_t> only_key,
                           const std::vector<uint32_t>& skip_keys) {
    for (size_t set = 1; set < events.size() && set < sets.size(); ++set) {
      if (events[set] == 0) continue;
      for (const auto& [key, value] : sets[set]) {
        if (only_key ? key != *only_key
                     : std::find(skip_keys.begin(), skip_keys.end(), key) != skip_keys.end())
          continue;
        events_by_key[std::string(attributes.keys.value(key))]
                     [std::string(attributes.values.value(value))] += events[set];
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
    collect(events_by_set(snapshot, relaxed), *key, {});
  }
  // Every key but the filtered ones reads the sets under the whole filter: one scan for them all.
  collect(events_by_set(snapshot, filter), std::nullopt, filtered_keys);
  std::vector<std::pair<std::string, FacetList>> result;
  for (auto& [key, values] : events_by_key) {
    FacetList list;
    for (auto& [value, events] : values) list.push_back({value, events});
    result.emplace_back(key, std::move(list));
  }
  return result;
}

}  // namespace

Facets facets(const Snapshot& snapshot, const Filter& filter) {
  const Dictionaries& d = snapshot.dict();
  const Dictionary* dictionaries[kFacets] = {&d.practice, &d.level,       &d.location,
                                             &d.model,    &d.user,        &d.terminal,
                                             &d.tool,     &d.status_code, &d.error};
  Facets result;
  FacetList* lists[kFacets] = {&result.practice, &result.level,       &result.location,
                               &result.model,    &result.email,       &result.terminal,
                               &result.tool,     &result.status_code, &result.error};
  for (int facet = 0; facet < kFacets; ++facet) {
    // Each facet under every filter but its own.
    Filter relaxed = filter;
    std::vector<std::string>* own[kFacets] = {
        &relaxed.practice, &relaxed.level, &relaxed.location,    &relaxed.model, &relaxed.email,
        &relaxed.terminal, &relaxed.tool,  &relaxed.status_code, &relaxed.error};
    own[facet]->clear();
    const RowFilter rows(snapshot, relaxed);
    std::vector<uint64_t> events(dictionaries[facet]->size(), 0);
    const Needs needs = facet == kModel                           ? Needs::kModel
                        : facet == kTool                          ? Needs::kTool
                        : facet == kStatusCode || facet == kError ? Needs::kEventDetail
                                                                  : Needs::kNothing;
    scan_cells(snapshot, rows, choose_cells(rows, needs), [&](const Cell& cell) {
      const UserAttributes& user = snapshot.users[cell.user];
      const uint32_t codes[kFacets] = {snapshot.practice_of(cell),
                                       user.level,
                                       user.location,
                                       cell.model,
                                       cell.user,
                                       cell.terminal,
                                       cell.tool,
                                       cell.status_code,
                                       cell.error};
      events[codes[facet]] += cell.events;
    });
    *lists[facet] = values_of(*dictionaries[facet], events);
  }
  result.attributes = attribute_facets(snapshot, filter);
  return result;
}

}  // namespace cca::engine
