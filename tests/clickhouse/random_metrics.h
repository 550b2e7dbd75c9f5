#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "engine/filter.h"

namespace cca::testing {

// Seeded random OTLP/JSON metric exports from a small fleet, in delivery order, covering what
// every store must count alike: delta and cumulative clients (restarts with a new start time,
// counter resets, unchanged re-exports, late points older than the newest), exact redeliveries
// and exports that repeat part of an earlier one, points the ingest refuses, a series whose
// later points say another kind and unit, histograms with and without a sum, gauges, and the
// attributes the filters and groupings read (users by email in any case or by id, listed in the
// directory or not, practice hints, custom attributes on the resource and the point, non-string
// and empty values). Times fall in November 2026, with nanoseconds below the millisecond.
struct RandomMetrics {
  std::vector<std::string> requests;
  std::string directory_csv;  // an employees CSV listing some of the users
  // Values to filter by, including some that match nothing.
  std::vector<std::string> emails, practices, levels, locations, terminals, models, tools;
  std::vector<std::pair<std::string, std::vector<std::string>>> attributes;
  std::vector<int64_t> times_ms;  // every point's time, for ranges that start or end on one
};

RandomMetrics make_random_metrics(uint64_t seed);

// A random combination of filters over the metrics' values and times.
engine::Filter random_code_filter(const RandomMetrics& metrics, std::mt19937_64& random);

}  // namespace cca::testing
