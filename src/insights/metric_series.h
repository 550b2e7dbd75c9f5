#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/analytics.h"
#include "engine/filter.h"
#include "engine/metric_set.h"
#include "engine/timeseries.h"

namespace cca::insights {

// Which metrics insights take: amounts (counts and sums, additive over buckets and groups) and the
// rates whose parts are counts (binomial noise, see anomalies.h).
bool is_forecastable(engine::Metric metric);
bool is_rate_with_parts(engine::Metric metric);

// A metric over one group as insights weigh it: a ratio's numerator and denominator, or an
// amount's value with denominator 0.
engine::RatioParts metric_parts(const engine::MetricSet& metrics, engine::Metric metric);

// One metric per whole bucket of the history.
struct MetricSeries {
  engine::Bucket bucket = engine::Bucket::kDay;
  std::vector<int64_t> starts;
  std::vector<double> values;  // for a rate, numerator / denominator, 0 where the denominator is
  std::vector<double> numerators, denominators;  // rates only
  std::vector<double> sessions;  // rates only: the sessions of each bucket, which clusters events
};

MetricSeries metric_series(const std::vector<int64_t>& starts,
                           const std::vector<engine::MetricSet>& points, engine::Metric metric,
                           engine::Bucket bucket);

// The filter of a history in whole buckets: the filter's range where it sets one; where it leaves
// the end open, up to the bucket that holds `now_ms` (which is incomplete and left out) or to the
// end of the bucket of the data's last event, whichever is earlier. Throws QueryError as
// bucket_range() does.
engine::Filter history_filter(const engine::Analytics& analytics, const engine::Filter& filter,
                              engine::Bucket bucket, int64_t now_ms);

}  // namespace cca::insights
