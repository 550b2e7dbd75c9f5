#include "server/code_endpoints.h"

#include "engine/code_activity.h"
#include "server/api_error.h"
#include "server/json_writer.h"
#include "server/request_values.h"

namespace cca::server {
namespace {

constexpr std::string_view kJson = "application/json; charset=utf-8";

void write_activity(JsonWriter& json, const engine::CodeActivity& a) {
  json.key("lines_added").value(a.lines_added);
  json.key("lines_removed").value(a.lines_removed);
  json.key("commits").value(a.commits);
  json.key("pull_requests").value(a.pull_requests);
  json.key("active_time_s").value(a.active_time_s);
  json.key("sessions_started").value(a.sessions_started);
  json.key("edit_decisions").value(a.edit_decisions);
  json.key("edit_accept_rate").value(a.edit_accept_rate());
}

}  // namespace

Answer code_summary(const engine::Analytics& analytics, const QueryParams& params) {
  JsonWriter json;
  json.begin_object();
  write_activity(json, analytics.code_activity(params.filter()));
  json.end_object();
  return {json.take(), kJson};
}

Answer code_breakdown(const engine::Analytics& analytics, const QueryParams& params) {
  constexpr std::string_view kChoices = "language, model, tool, email, practice or attr.<key>";
  const auto by_text = params.get("by");
  if (!by_text)
    throw ApiError(400, "invalid_parameter",
                   "query parameter 'by' is required: one of " + std::string(kChoices));
  const auto by = engine::parse_code_grouping(*by_text);
  if (!by)
    throw ApiError(400, "invalid_parameter",
                   "query parameter 'by' must be one of " + std::string(kChoices));
  JsonWriter json;
  json.begin_object();
  json.key("by").value(*by_text);
  json.key("rows").begin_array();
  for (const engine::CodeRow& row : analytics.code_breakdown(params.filter(), *by)) {
    json.begin_object().key("key").value(row.key);
    write_activity(json, row.activity);
    json.end_object();
  }
  json.end_array().end_object();
  return {json.take(), kJson};
}

Answer code_timeseries(const engine::Analytics& analytics, const QueryParams& params) {
  const engine::Bucket bucket = bucket_param(params);
  const engine::CodeTimeline timeline =
      bounded_query([&] { return analytics.code_timeline(params.filter(), bucket); });
  JsonWriter json;
  json.begin_object();
  json.key("bucket").value(engine::bucket_name(bucket));
  json.key("points").begin_array();
  for (size_t i = 0; i < timeline.points.size(); ++i) {
    json.begin_object().key("t").time_value(timeline.starts[i], false);
    write_activity(json, timeline.points[i]);
    json.end_object();
  }
  json.end_array().end_object();
  return {json.take(), kJson};
}

Answer metric_names(const engine::Analytics& analytics) {
  JsonWriter json;
  json.begin_object().key("metrics").begin_array();
  for (const engine::MetricNameRow& row : analytics.metric_names()) {
    json.begin_object();
    json.key("name").value(row.name);
    json.key("kind").value(row.kind);
    json.key("unit").value(row.unit);
    json.key("series").value(row.series);
    json.key("points").value(row.points);
    json.end_object();
  }
  json.end_array().end_object();
  return {json.take(), kJson};
}

}  // namespace cca::server
