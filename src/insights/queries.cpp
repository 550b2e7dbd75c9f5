#include "insights/queries.h"

#include <algorithm>
#include <future>
#include <unordered_map>

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

// Explains every anomaly by one dimension: per key, its amounts in each anomaly (a breakdown of
// the anomaly's buckets) and outside all of them (the history's breakdown less those). Costs one
// breakdown per anomaly plus one, each over the cell indexes, not a split time series.
std::vector<std::vector<Contributor>> explain_by(const engine::Analytics& analytics,
                                                 const engine::Filter& history,
                                                 const MetricSeries& series,
                                                 const AnomalyCheck& check, engine::Metric metric,
                                                 engine::Dimension by) {
  const int64_t width = engine::bucket_width_ms(series.bucket);
  std::unordered_map<std::string, KeyAmounts> usual;
  for (const engine::BreakdownRow& row : analytics.breakdown(history, by)) {
    const KeyAmounts total = amounts_of(row.metrics, metric);
    KeyAmounts& key = usual[row.key];
    key.key = row.key;
    key.usual = total.in_anomaly;
    key.usual_denominator = total.in_anomaly_denominator;
  }
  std::vector<std::vector<KeyAmounts>> during(check.anomalies.size());
  for (size_t i = 0; i < check.anomalies.size(); ++i) {
    const Anomaly& anomaly = check.anomalies[i];
    engine::Filter range = history;
    range.from_ms = series.starts[anomaly.begin];
    range.to_ms = series.starts[anomaly.end - 1] + width;
    for (const engine::BreakdownRow& row : analytics.breakdown(range, by)) {
      KeyAmounts in = amounts_of(row.metrics, metric);
      in.key = row.key;
      KeyAmounts& key = usual[row.key];
      key.usual -= in.in_anomaly;
      key.usual_denominator -= in.in_anomaly_denominator;
      during[i].push_back(std::move(in));
    }
  }
  std::vector<std::vector<Contributor>> ranked(check.anomalies.size());
  for (size_t i = 0; i < check.anomalies.size(); ++i) {
    for (KeyAmounts& in : during[i]) {
      const KeyAmounts& outside = usual[in.key];
      in.usual = outside.usual;
      in.usual_denominator = outside.usual_denominator;
    }
    // Keys quiet during the anomaly still hold their usual share of what was expected.
    for (const auto& [key, outside] : usual) {
      const bool present = std::any_of(during[i].begin(), during[i].end(),
                                       [&](const KeyAmounts& k) { return k.key == key; });
      if (!present) during[i].push_back({key, 0, 0, outside.usual, outside.usual_denominator});
    }
    ranked[i] = contributors(check.anomalies[i], during[i], engine::metric_is_ratio(metric),
                             kMaxContributors);
  }
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
  const engine::Timeseries series = analytics.timeseries(history, bucket);
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
  const engine::Timeseries series = analytics.timeseries(history, bucket);
  MetricAnomalies out;
  out.series = metric_series(series.starts, series.points, metric, bucket);
  out.check = find_anomalies(out.series, season_length(bucket, out.series.values.size()));
  if (out.check.anomalies.empty()) return out;

  const std::span<const engine::Dimension> tried =
      by ? std::span<const engine::Dimension>(&*by, 1) : anomaly_dimensions(metric);
  std::vector<double> best_lift(out.check.anomalies.size(), -2);
  // The dimensions' breakdowns at once (on ClickHouse each is a query, which the server runs beside
  // the others), all read before the anomalies change.
  std::vector<std::future<std::vector<std::vector<Contributor>>>> explaining;
  for (const engine::Dimension dimension : tried)
    explaining.push_back(std::async(std::launch::async, [&, dimension] {
      return explain_by(analytics, history, out.series, out.check, metric, dimension);
    }));
  std::vector<std::vector<std::vector<Contributor>>> explained;
  for (auto& explanation : explaining) explained.push_back(explanation.get());
  for (size_t d = 0; d < tried.size(); ++d) {
    const engine::Dimension dimension = tried[d];
    std::vector<std::vector<Contributor>>& ranked = explained[d];
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
