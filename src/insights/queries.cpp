#include "insights/queries.h"

#include <algorithm>

#include "engine/breakdown.h"
#include "insights/decomposition.h"

namespace cca::insights {
namespace {

using D = engine::Dimension;
// The dimensions whose values can carry each kind of metric: an API request has a model but no
// tool, a tool result a tool but no error message of the API's.
constexpr engine::Dimension kRequestDimensions[] = {D::kPractice, D::kModel, D::kEmail};
constexpr engine::Dimension kErrorDimensions[] = {D::kModel, D::kError, D::kStatusCode,
                                                  D::kPractice, D::kEmail};
constexpr engine::Dimension kToolDimensions[] = {D::kTool, D::kPractice, D::kModel, D::kEmail};
constexpr engine::Dimension kEventDimensions[] = {D::kPractice, D::kModel, D::kTool, D::kEmail};

KeyAmounts amounts_of(const engine::MetricSet& metrics, engine::Metric metric) {
  const engine::RatioParts parts = metric_parts(metrics, metric);
  KeyAmounts a;
  a.in_anomaly = parts.numerator;
  a.in_anomaly_denominator = parts.denominator;
  return a;
}

// Ranks every anomaly's contributors under one dimension: per key, its amounts in each anomaly
// and outside all of them (the history's less the anomalies').
std::vector<std::vector<Contributor>> rank_contributors(
    const std::vector<engine::RangedBreakdownRow>& rows, const AnomalyCheck& check,
    engine::Metric metric) {
  const size_t anomalies = check.anomalies.size();
  std::vector<std::vector<KeyAmounts>> during(anomalies);
  for (const engine::RangedBreakdownRow& row : rows) {
    const KeyAmounts whole = amounts_of(row.whole, metric);
    double usual = whole.in_anomaly, usual_denominator = whole.in_anomaly_denominator;
    for (const engine::MetricSet& in : row.in_ranges) {
      const KeyAmounts amounts = amounts_of(in, metric);
      usual -= amounts.in_anomaly;
      usual_denominator -= amounts.in_anomaly_denominator;
    }
    for (size_t i = 0; i < anomalies; ++i) {
      KeyAmounts in = amounts_of(row.in_ranges[i], metric);
      in.key = row.key;
      in.usual = usual;
      in.usual_denominator = usual_denominator;
      during[i].push_back(std::move(in));
    }
  }
  std::vector<std::vector<Contributor>> ranked(anomalies);
  for (size_t i = 0; i < anomalies; ++i)
    ranked[i] = contributors(check.anomalies[i], during[i], engine::metric_is_ratio(metric),
                             kMaxContributors);
  return ranked;
}

}  // namespace

std::span<const engine::Dimension> anomaly_dimensions(engine::Metric metric) {
  using engine::Metric;
  switch (metric) {
    case Metric::kApiRequests:
    case Metric::kInputTokens:
    case Metric::kOutputTokens:
    case Metric::kCacheReadTokens:
    case Metric::kCacheCreationTokens:
    case Metric::kCostUsd:
      return kRequestDimensions;
    case Metric::kApiErrors:
    case Metric::kApiAborts:
    case Metric::kApiErrorRate:
    case Metric::kApiFailureRate:
      return kErrorDimensions;
    case Metric::kToolDecisions:
    case Metric::kToolResults:
    case Metric::kToolSuccessRate:
    case Metric::kToolAcceptRate:
      return kToolDimensions;
    default:
      return kEventDimensions;
  }
}

MetricForecast forecast_metric(const engine::Analytics& analytics, const engine::Filter& filter,
                               engine::Metric metric, engine::Bucket bucket, size_t horizon,
                               int64_t now_ms) {
  const engine::Filter history = history_filter(analytics, filter, bucket, now_ms);
  const engine::Timeseries series = analytics.metric_timeseries(history, bucket, metric);
  MetricForecast out;
  out.history = metric_series(series.starts, series.points, metric, bucket);
  out.forecast = forecast(out.history.values, season_length(bucket, out.history.values.size()),
                          horizon);
  int64_t start = *history.to_ms;
  for (size_t h = 0; h < horizon; ++h) {
    out.point_starts.push_back(start);
    start = engine::bucket_start(bucket, start + engine::bucket_width_ms(bucket));
  }
  return out;
}

MetricAnomalies find_metric_anomalies(const engine::Analytics& analytics,
                                      const engine::Filter& filter, engine::Metric metric,
                                      engine::Bucket bucket, std::optional<engine::Dimension> by,
                                      int64_t now_ms) {
  const engine::Filter history = history_filter(analytics, filter, bucket, now_ms);
  // A rate's noise is read from its buckets' sessions too (MetricSeries::sessions).
  const engine::Timeseries series = engine::metric_is_ratio(metric)
                                        ? analytics.timeseries(history, bucket)
                                        : analytics.metric_timeseries(history, bucket, metric);
  MetricAnomalies out;
  out.series = metric_series(series.starts, series.points, metric, bucket);
  out.check = find_anomalies(out.series, season_length(bucket, out.series.values.size()));
  if (out.check.anomalies.empty()) return out;

  const std::span<const engine::Dimension> tried =
      by ? std::span<const engine::Dimension>(&*by, 1) : anomaly_dimensions(metric);
  std::vector<double> best_lift(out.check.anomalies.size(), -2);
  // Every dimension's breakdowns over the history and over each anomaly's buckets in one question.
  const int64_t width = engine::bucket_width_ms(bucket);
  std::vector<engine::TimeRange> ranges;
  for (const Anomaly& anomaly : out.check.anomalies)
    ranges.push_back(
        {out.series.starts[anomaly.begin], out.series.starts[anomaly.end - 1] + width});
  const std::vector<std::vector<engine::RangedBreakdownRow>> breakdowns =
      analytics.ranged_breakdowns(history, tried, metric, ranges);
  for (size_t d = 0; d < tried.size(); ++d) {
    const engine::Dimension dimension = tried[d];
    std::vector<std::vector<Contributor>> ranked =
        rank_contributors(breakdowns[d], out.check, metric);
    for (size_t i = 0; i < ranked.size(); ++i) {
      const double lift = explanation_lift(ranked[i]);
      if (by || lift > best_lift[i]) {
        best_lift[i] = lift;
        out.check.anomalies[i].by = std::string(engine::dimension_name(dimension));
        out.check.anomalies[i].contributors = std::move(ranked[i]);
      }
    }
  }
  // A deviation that no dimension concentrates (every team, model and person moved in their usual
  // proportions) is what heavy-tailed noise looks like too: it must be stronger to count.
  if (!by) {
    size_t kept = 0;
    for (size_t i = 0; i < out.check.anomalies.size(); ++i) {
      if (best_lift[i] < kMinExplainedLift && out.check.anomalies[i].score < kUnexplainedThreshold)
        continue;
      if (kept != i) out.check.anomalies[kept] = std::move(out.check.anomalies[i]);
      ++kept;
    }
    out.check.anomalies.resize(kept);
  }
  return out;
}

}  // namespace cca::insights
