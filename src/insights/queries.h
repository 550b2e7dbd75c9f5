#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/analytics.h"
#include "engine/dimension.h"
#include "engine/filter.h"
#include "engine/metric_set.h"
#include "engine/timeseries.h"
#include "insights/anomalies.h"
#include "insights/forecast.h"
#include "insights/metric_series.h"

namespace cca::insights {

// The engine questions behind /api/v1/forecast and /api/v1/anomalies: the metric's history in
// whole buckets (metric_series.h, history_filter()), then the model. Throws engine::QueryError.

struct MetricForecast {
  MetricSeries history;
  Forecast forecast;
  std::vector<int64_t> point_starts;  // of forecast.points
};
MetricForecast forecast_metric(const engine::Analytics& analytics, const engine::Filter& filter,
                               engine::Metric metric, engine::Bucket bucket, size_t horizon,
                               int64_t now_ms);

struct MetricAnomalies {
  MetricSeries series;
  AnomalyCheck check;  // each anomaly explained
};
// by: the dimension whose values explain each anomaly; without it, for each anomaly the one of
// anomaly_dimensions() with the largest explanation_lift(), and an anomaly no dimension explains
// (lift under kMinExplainedLift) counts only from a score of kUnexplainedThreshold.
MetricAnomalies find_metric_anomalies(const engine::Analytics& analytics,
                                      const engine::Filter& filter, engine::Metric metric,
                                      engine::Bucket bucket, std::optional<engine::Dimension> by,
                                      int64_t now_ms);

// The dimensions tried when none is asked for: those the metric's events carry.
std::span<const engine::Dimension> anomaly_dimensions(engine::Metric metric);

inline constexpr size_t kMaxContributors = 5;
inline constexpr double kMinExplainedLift = 0.15;
inline constexpr double kUnexplainedThreshold = 5.0;

}  // namespace cca::insights
