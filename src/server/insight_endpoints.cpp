#include "server/insight_endpoints.h"

#include <string>

#include "insights/queries.h"
#include "server/api_error.h"
#include "server/json_writer.h"
#include "server/request_values.h"

namespace cca::server {
namespace {

constexpr std::string_view kJson = "application/json; charset=utf-8";

engine::Bucket insight_bucket(const QueryParams& params) {
  const engine::Bucket bucket = bucket_param(params);
  if (bucket == engine::Bucket::kWeek)
    invalid_param("bucket",
                  "must be hour or day: forecasts and anomalies model daily and weekly rhythms");
  return bucket;
}

std::string amount_metric_names() {
  std::string names;
  for (const engine::Metric m : engine::all_metrics()) {
    if (!insights::is_forecastable(m)) continue;
    if (!names.empty()) names += ", ";
    names += engine::metric_name(m);
  }
  return names;
}

void write_history(JsonWriter& json, const insights::MetricSeries& series) {
  json.begin_array();
  for (size_t i = 0; i < series.values.size(); ++i)
    json.begin_object()
        .encoded_key("\"t\":")
        .time_value(series.starts[i], false)
        .key("value")
        .value(series.values[i])
        .end_object();
  json.end_array();
}

}  // namespace

Answer answer_forecast(const engine::Analytics& analytics, const QueryParams& params,
                       int64_t now_ms) {
  const engine::Metric metric = metric_param(params, "metric", engine::Metric::kCostUsd);
  if (!insights::is_forecastable(metric))
    invalid_param("metric", "must be a count or a sum: " + amount_metric_names());
  const engine::Bucket bucket = insight_bucket(params);
  const bool daily = bucket == engine::Bucket::kDay;
  // A year of days or a month of hours: beyond, the intervals say little.
  const size_t horizon = params.get_count("horizon", daily ? 14 : 48, 1, daily ? 366 : 744);
  const insights::MetricForecast answer = bounded_query([&] {
    return insights::forecast_metric(analytics, params.filter(), metric, bucket, horizon, now_ms);
  });
  const insights::Forecast& f = answer.forecast;

  JsonWriter json;
  json.begin_object();
  json.key("metric").value(engine::metric_name(metric));
  json.key("bucket").value(engine::bucket_name(bucket));
  json.key("horizon").value(static_cast<uint64_t>(horizon));
  json.key("method").value(f.method);
  json.key("season").value(static_cast<uint64_t>(f.season));
  json.key("history");
  write_history(json, answer.history);
  json.key("points").begin_array();
  for (size_t i = 0; i < f.points.size(); ++i) {
    const insights::ForecastPoint& p = f.points[i];
    json.begin_object().encoded_key("\"t\":").time_value(answer.point_starts[i], false);
    json.key("value").value(p.value).key("lo80").value(p.lo80).key("hi80").value(p.hi80);
    json.key("lo95").value(p.lo95).key("hi95").value(p.hi95).end_object();
  }
  json.end_array();
  json.key("backtest");
  if (f.backtest) {
    const insights::Backtest& b = *f.backtest;
    json.begin_object();
    json.key("mase").value(b.mase).key("coverage80").value(b.coverage80);
    json.key("coverage95").value(b.coverage95).key("mae").value(b.mae);
    json.key("naive_mae").value(b.naive_mae);
    json.key("origins").value(static_cast<uint64_t>(b.origins));
    json.key("forecasts").value(static_cast<uint64_t>(b.forecasts));
    json.key("checked_intervals").value(static_cast<uint64_t>(b.checked_intervals));
    json.end_object();
  } else {
    json.null();
  }
  if (!f.note.empty()) json.key("note").value(f.note);
  json.end_object();
  return {json.take(), kJson};
}

Answer answer_anomalies(const engine::Analytics& analytics, const QueryParams& params,
                        int64_t now_ms) {
  const engine::Metric metric = metric_param(params, "metric", engine::Metric::kCostUsd);
  if (!insights::is_forecastable(metric) && !insights::is_rate_with_parts(metric))
    invalid_param("metric", "must be a count, a sum (" + amount_metric_names() +
                                ") or one of the rates api_error_rate, api_failure_rate, "
                                "tool_success_rate, tool_accept_rate");
  const engine::Bucket bucket = insight_bucket(params);
  std::optional<engine::Dimension> by;
  if (params.get("by")) by = dimension_param(params, "by");
  const insights::MetricAnomalies answer = bounded_query([&] {
    return insights::find_metric_anomalies(analytics, params.filter(), metric, bucket, by, now_ms);
  });
  const insights::MetricSeries& series = answer.series;
  const insights::AnomalyCheck& check = answer.check;
  const int64_t width = engine::bucket_width_ms(bucket);
  const bool rate = engine::metric_is_ratio(metric);

  JsonWriter json;
  json.begin_object();
  json.key("metric").value(engine::metric_name(metric));
  json.key("bucket").value(engine::bucket_name(bucket));
  json.key("by");
  if (by)
    json.value(engine::dimension_name(*by));
  else
    json.null();
  json.key("season").value(static_cast<uint64_t>(check.season));
  json.key("threshold").value(check.threshold);
  json.key("series").begin_array();
  for (size_t i = 0; i < series.values.size(); ++i) {
    json.begin_object().encoded_key("\"t\":").time_value(series.starts[i], false);
    json.key("value");
    if (rate && series.denominators[i] == 0)
      json.null();  // no requests (or results) in the bucket: no rate
    else
      json.value(series.values[i]);
    json.key("expected").value(check.expected[i]).key("lo").value(check.lo[i]);
    json.key("hi").value(check.hi[i]).end_object();
  }
  json.end_array();
  json.key("anomalies").begin_array();
  for (const insights::Anomaly& a : check.anomalies) {
    json.begin_object();
    json.key("start").time_value(series.starts[a.begin], false);
    json.key("end").time_value(series.starts[a.end - 1] + width, false);
    json.key("value").value(a.value).key("expected").value(a.expected);
    json.key("lo").value(a.lo).key("hi").value(a.hi).key("score").value(a.score);
    json.key("direction").value(a.up ? "up" : "down");
    json.key("contributors").begin_array();
    for (const insights::Contributor& c : a.contributors) {
      json.begin_object().key("by").value(a.by).key("key").value(c.key);
      json.key("value").value(c.value).key("expected").value(c.expected);
      json.key("share").value(c.share).key("usual_share").value(c.usual_share).end_object();
    }
    json.end_array().end_object();
  }
  json.end_array();
  if (!check.note.empty()) json.key("note").value(check.note);
  json.end_object();
  return {json.take(), kJson};
}

}  // namespace cca::server
