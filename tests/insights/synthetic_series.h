#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cca::insights::testing {

// Daily series of known shape for the model tests: (level + slope * day) * a weekly factor as the
// mean, from a fixed seed, with either multiplicative normal noise or, like real telemetry, as a
// sum of a Poisson number of sessions with heavy-tailed (log-normal) costs.
struct SeriesShape {
  double level = 100;
  double slope_per_day = 0;
  std::vector<double> weekly = {1, 1, 1, 1, 1, 1, 1};  // factors, Monday first
  double noise_cv = 0.1;   // standard deviation of the multiplicative noise
  double session_cost = 0;  // when above 0: sums of sessions of this mean cost instead
  uint64_t seed = 1;
};
std::vector<double> synthetic_series(const SeriesShape& shape, size_t days);

}  // namespace cca::insights::testing
