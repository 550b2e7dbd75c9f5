#include "insights/metric_series.h"

#include <algorithm>

namespace cca::insights {

bool is_forecastable(engine::Metric metric) {
  return !engine::metric_is_ratio(metric);
}

bool is_rate_with_parts(engine::Metric metric) {
  using engine::Metric;
  return metric == Metric::kApiErrorRate || metric == Metric::kApiFailureRate ||
         metric == Metric::kToolSuccessRate || metric == Metric::kToolAcceptRate;
}

engine::RatioParts metric_parts(const engine::MetricSet& metrics, engine::Metric metric) {
  if (engine::metric_is_ratio(metric)) return engine::ratio_parts(metrics, metric);
  return {engine::metric_value(metrics, metric).value_or(0), 0};
}

MetricSeries metric_series(const std::vector<int64_t>& starts,
                           const std::vector<engine::MetricSet>& points, engine::Metric metric,
                           engine::Bucket bucket) {
  MetricSeries out;
  out.bucket = bucket;
  out.starts = starts;
  out.values.reserve(points.size());
  const bool rate = engine::metric_is_ratio(metric);
  for (const engine::MetricSet& point : points) {
    const engine::RatioParts parts = metric_parts(point, metric);
    if (rate) {
      out.numerators.push_back(parts.numerator);
      out.denominators.push_back(parts.denominator);
      out.sessions.push_back(static_cast<double>(point.sessions));
      out.values.push_back(parts.denominator > 0 ? parts.numerator / parts.denominator : 0.0);
    } else {
      out.values.push_back(parts.numerator);
    }
  }
  return out;
}

engine::Filter history_filter(const engine::Analytics& analytics, const engine::Filter& filter,
                              engine::Bucket bucket, int64_t now_ms) {
  const engine::BucketRange range = analytics.bucket_range(filter, bucket);
  engine::Filter history = filter;
  history.from_ms = engine::bucket_start(bucket, range.from_ms);
  if (!filter.to_ms && range.to_ms > range.from_ms) {
    const int64_t data_end =
        engine::bucket_start(bucket, range.to_ms - 1) + engine::bucket_width_ms(bucket);
    history.to_ms = std::max(*history.from_ms, std::min(data_end, engine::bucket_start(bucket, now_ms)));
  } else {
    history.to_ms = range.to_ms;
  }
  return history;
}

}  // namespace cca::insights
