#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "clickhouse/event_sql.h"
#include "engine/filter.h"

namespace cca::clickhouse {

// facet_values (schema version 10): the events counted per custom attribute key and value, per
// UTC day, person and practice hint; a materialized view fills it on every insert (schema.cpp).
// The filter bar's attribute facets under a filter of days and people read it instead of the
// events: over 103 M events they scanned every event (an ARRAY JOIN of its pairs) in seconds.
// (Version 10 counted status codes and error messages in it too, which the rollups hold since
// version 11.)
inline constexpr const char* kFacetValues = "facet_values";
inline constexpr const char* kFacetValuesColumns =
    "facet String, key String, value String, day Date, user String, practice_hint String, "
    "events UInt64";
inline constexpr const char* kFacetValuesLayout =
    "PARTITION BY toYYYYMM(day) ORDER BY (facet, key, value, day, user, practice_hint)";

// A row's `facet`, and its `key` (a custom attribute's); and the facets version 10 held beside it.
inline constexpr const char* kAttributeFacet = "attribute";
inline constexpr const char* kFormerFacetValueFacets[] = {"status_code", "error"};

// The view of a facet: its name, and its rows of the events in `events` (the events table, or
// events_local on a cluster). Values and keys that are empty are left out, as the facets leave
// them out.
std::string facet_values_view(std::string_view facet);
std::string facet_values_select(const std::string& events);

// The conditions over facet_values's rows of the events matching `filter`, or none when the
// filter asks what the table does not hold (model, terminal, tool, status code, error, custom
// attributes) or its range does not fall on whole UTC days.
std::optional<std::string> facet_values_conditions(const People& people,
                                                   const engine::Filter& filter);

}  // namespace cca::clickhouse
