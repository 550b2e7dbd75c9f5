#pragma once

#include <span>
#include <vector>

namespace cca::insights {

// Statistics that a few wild values cannot drag: the building blocks of the forecasts and the
// anomaly bands. Each takes its input by value or span and never reorders the caller's data.

// The median; 0 for no values.
double median(std::vector<double> values);
// The empirical q-quantile (0 <= q <= 1) by linear interpolation between order statistics; 0 for
// no values.
double quantile(std::vector<double> values, double q);

// The Theil-Sen slope of y over x: the median of the pairwise slopes. Above 64 points, the
// slope of 64 block medians, which keeps the cost fixed while staying robust.
double theil_sen_slope(std::span<const double> x, std::span<const double> y);

// Centered moving q-quantile (as quantile()) of width `width` (odd or even); near the ends the
// window shrinks to what exists.
std::vector<double> moving_quantile(std::span<const double> values, size_t width, double q);
inline std::vector<double> moving_median(std::span<const double> values, size_t width) {
  return moving_quantile(values, width, 0.5);
}

// The standard normal quantile: z with P(Z <= z) = p, for 0 < p < 1.
double normal_quantile(double p);

}  // namespace cca::insights
