#include "insights/decomposition.h"

#include <numeric>

#include "insights/robust_stats.h"

namespace cca::insights {
namespace {

// The trend is a running median over this many seasons: one season is the least that cancels the
// rhythm, but the median of a single week's days wanders with their noise by a tenth or more.
constexpr size_t kTrendSeasons = 3;

// The median of each phase's values about the trend (differences, or ratios where the trend is
// above 0), centred: additive terms sum to 0, factors average 1.
std::vector<double> seasonal_profile(std::span<const double> values, std::span<const double> trend,
                                     size_t season, size_t first_index, Seasonality kind) {
  const bool ratio = kind == Seasonality::kMultiplicative;
  std::vector<std::vector<double>> by_phase(season);
  for (size_t i = 0; i < values.size(); ++i) {
    if (ratio && trend[i] <= 0) continue;
    by_phase[(first_index + i) % season].push_back(ratio ? values[i] / trend[i]
                                                         : values[i] - trend[i]);
  }
  std::vector<double> profile(season);
  for (size_t phase = 0; phase < season; ++phase)
    profile[phase] = by_phase[phase].empty() ? (ratio ? 1.0 : 0.0) : median(std::move(by_phase[phase]));
  const double mean =
      std::accumulate(profile.begin(), profile.end(), 0.0) / static_cast<double>(season);
  for (double& p : profile) {
    if (!ratio)
      p -= mean;
    else if (mean > 0)
      p /= mean;
  }
  return profile;
}

}  // namespace

size_t season_length(engine::Bucket bucket, size_t history_buckets) {
  switch (bucket) {
    case engine::Bucket::kDay:
      return 7;
    case engine::Bucket::kHour:
      return history_buckets >= 3 * 168 ? 168 : 24;
    case engine::Bucket::kWeek:
      return 0;
  }
  return 0;
}

double deseasonalised(const Decomposition& d, size_t i, double value) {
  if (d.kind == Seasonality::kAdditive) return value - d.seasonal_at(i);
  const double factor = d.seasonal_at(i);
  return factor >= kEmptyPhaseFactor ? value / factor : d.trend[i];
}

Decomposition decompose(std::span<const double> values, size_t season, Seasonality kind,
                        size_t first_index) {
  Decomposition d;
  const bool seasonal = season > 1 && values.size() >= 2 * season;
  d.season = seasonal ? season : 0;
  d.first_index = first_index;
  d.kind = kind;
  // Without a season the trend is a seven-bucket running median.
  const size_t width = seasonal ? kTrendSeasons * season : std::min<size_t>(7, values.size());
  d.trend = moving_median(values, width);
  if (seasonal) {
    // Twice round: the profile about a first trend through the raw series (a whole season per
    // window, so the rhythm cancels), then the trend of the deseasonalised series and the profile
    // about it.
    d.seasonal = seasonal_profile(values, d.trend, season, first_index, kind);
    std::vector<double> adjusted(values.size());
    for (size_t i = 0; i < adjusted.size(); ++i) adjusted[i] = deseasonalised(d, i, values[i]);
    d.trend = moving_median(adjusted, width);
    d.seasonal = seasonal_profile(values, d.trend, season, first_index, kind);
  }
  d.residual.resize(values.size());
  for (size_t i = 0; i < values.size(); ++i) d.residual[i] = values[i] - d.expected(i);
  return d;
}

}  // namespace cca::insights
