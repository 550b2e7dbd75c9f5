#include "insights/synthetic_series.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace cca::insights::testing {

std::vector<double> synthetic_series(const SeriesShape& shape, size_t days) {
  std::mt19937_64 random(shape.seed);
  std::normal_distribution<double> noise(0.0, shape.noise_cv);
  std::vector<double> values(days);
  for (size_t day = 0; day < days; ++day) {
    const double mean = (shape.level + shape.slope_per_day * static_cast<double>(day)) *
                        shape.weekly[day % shape.weekly.size()];
    if (shape.session_cost > 0) {
      // Log-normal with sigma 1 has mean exp(mu + 1/2).
      std::lognormal_distribution<double> cost(std::log(shape.session_cost) - 0.5, 1.0);
      std::poisson_distribution<int> sessions(std::max(mean, 0.0) / shape.session_cost);
      double sum = 0;
      for (int n = sessions(random); n > 0; --n) sum += cost(random);
      values[day] = sum;
    } else {
      values[day] = std::max(0.0, mean * (1 + noise(random)));
    }
  }
  return values;
}

}  // namespace cca::insights::testing
