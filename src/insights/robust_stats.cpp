#include "insights/robust_stats.h"

#include <algorithm>
#include <cmath>

namespace cca::insights {

namespace {

// Reorders values.
double median_in_place(std::vector<double>& values) {
  if (values.empty()) return 0;
  const size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + mid);
  return (lower + upper) / 2;
}

}  // namespace

double median(std::vector<double> values) {
  return median_in_place(values);
}

double quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double position = std::clamp(q, 0.0, 1.0) * static_cast<double>(values.size() - 1);
  const size_t below = static_cast<size_t>(position);
  const size_t above = std::min(below + 1, values.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return values[below] + fraction * (values[above] - values[below]);
}

namespace {

double pairwise_median_slope(std::span<const double> x, std::span<const double> y) {
  std::vector<double> slopes;
  slopes.reserve(x.size() * (x.size() - 1) / 2);
  for (size_t i = 0; i < x.size(); ++i)
    for (size_t j = i + 1; j < x.size(); ++j)
      if (x[j] != x[i]) slopes.push_back((y[j] - y[i]) / (x[j] - x[i]));
  return median(std::move(slopes));
}

}  // namespace

double theil_sen_slope(std::span<const double> x, std::span<const double> y) {
  constexpr size_t kMaxPoints = 64;
  if (x.size() < 2) return 0;
  if (x.size() <= kMaxPoints) return pairwise_median_slope(x, y);
  std::vector<double> block_x, block_y;
  const size_t block = (x.size() + kMaxPoints - 1) / kMaxPoints;
  for (size_t start = 0; start < x.size(); start += block) {
    const size_t end = std::min(start + block, x.size());
    block_x.push_back(median({x.begin() + start, x.begin() + end}));
    block_y.push_back(median({y.begin() + start, y.begin() + end}));
  }
  return pairwise_median_slope(block_x, block_y);
}

std::vector<double> moving_quantile(std::span<const double> values, size_t width, double q) {
  // The window slides one point at a time, so a sorted copy of it is kept by inserting the point
  // that enters and erasing the one that leaves: O(width) moves per point, no sort.
  std::vector<double> out(values.size());
  const size_t before = width / 2, after = width - before;  // [i - before, i + after)
  std::vector<double> window;
  window.reserve(width + 1);
  size_t from = 0, to = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const size_t next_from = i >= before ? i - before : 0;
    const size_t next_to = std::min(values.size(), i + after);
    for (; to < next_to; ++to)
      window.insert(std::upper_bound(window.begin(), window.end(), values[to]), values[to]);
    for (; from < next_from; ++from)
      window.erase(std::lower_bound(window.begin(), window.end(), values[from]));
    const double position = std::clamp(q, 0.0, 1.0) * static_cast<double>(window.size() - 1);
    const size_t below = static_cast<size_t>(position);
    const size_t above = std::min(below + 1, window.size() - 1);
    out[i] = window[below] + (position - static_cast<double>(below)) * (window[above] - window[below]);
  }
  return out;
}

double normal_quantile(double p) {
  // Bisection on the normal CDF written with erfc: 60 halvings of [-40, 40] reach double
  // precision, and this is called a handful of times per answer.
  double lo = -40, hi = 40;
  for (int i = 0; i < 100; ++i) {
    const double mid = (lo + hi) / 2;
    if (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p)
      lo = mid;
    else
      hi = mid;
  }
  return (lo + hi) / 2;
}

}  // namespace cca::insights
