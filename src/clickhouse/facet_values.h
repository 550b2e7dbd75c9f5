#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "clickhouse/event_sql.h"
#include "engine/filter.h"

namespace cca::clickhouse {

// facet_values (schema version 10): the events counted per value of each facet no rollup held
// before version 11 (status codes, error messages, custom attributes' key and value pairs; the
// first two are rolled up since, and their facets still read it first), per UTC day, person and
// practice hint; a materialized view per facet fills it on every insert (schema.cpp). The filter
// bar's facets under a filter of days and people read it instead of the events: over 103 M
// events those three facets scanned every event (an ARRAY JOIN for the attributes) in seconds.
inline constexpr const char* kFacetValues = "facet_values";
inline constexpr const char* kFacetValuesColumns =
    "facet String, key String, value String, day Date, user String, practice_hint String, "
    "events UInt64";
inline constexpr const char* kFacetValuesLayout =
    "PARTITION BY toYYYYMM(day) ORDER BY (facet, key, value, day, user, practice_hint)";

// The facets it holds: a row's `facet`, and its `key` (a custom attribute's; '' otherwise).
inline constexpr const char* kStatusCodeFacet = "status_code";
inline constexpr const char* kErrorFacet = "error";
inline constexpr const char* kAttributeFacet = "attribute";
inline constexpr const char* kFacetValueFacets[] = {kStatusCodeFacet, kErrorFacet, kAttributeFacet};

// The view of facet `facet` (an index of kFacetValueFacets): its name, and its rows of the events
// in `events` (the events table, or events_local on a cluster). Values and keys that are empty
// are left out, as the facets leave them out.
std::string facet_values_view(size_t facet);
std::string facet_values_select(size_t facet, const std::string& events);

// The conditions over facet_values's rows of the events matching `filter`, or none when the
// filter asks what the table does not hold (model, terminal, tool, status code, error, custom
// attributes) or its range does not fall on whole UTC days.
std::optional<std::string> facet_values_conditions(const People& people,
                                                   const engine::Filter& filter);

}  // namespace cca::clickhouse
