#include "server/analytics_endpoints.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "common/time_util.h"
#include "engine/breakdown.h"
#include "engine/distribution.h"
#include "engine/facets.h"
#include "engine/heatmap.h"
#include "engine/latency.h"
#include "engine/query_error.h"
#include "engine/sessions.h"
#include "engine/summary.h"
#include "engine/timeseries.h"
#include "engine/users.h"
#include "server/api_error.h"
#include "server/code_endpoints.h"
#include "server/csv_writer.h"
#include "server/metric_json.h"
#include "server/request_values.h"

namespace cca::server {
namespace {

constexpr std::string_view kJson = "application/json; charset=utf-8";
constexpr std::string_view kCsv = "text/csv; charset=utf-8";

constexpr size_t kMaxPage = 1000;
constexpr size_t kMaxOffset = 1'000'000'000;
constexpr size_t kMaxBreakdownRows = 100'000;
constexpr size_t kMaxSplitSeries = 50;

// The `metrics` parameter: comma-separated metric names, the only fields the answer's metric sets
// carry (a chart that draws one metric need not receive twenty).
MetricFields metric_fields(const QueryParams& params) {
  const auto text = params.get("metrics");
  if (!text) return all_metric_fields();
  MetricFields fields;
  for_each_comma_separated(*text, [&](std::string_view name) {
    const auto metric = engine::parse_metric(name);
    if (!metric) {
      invalid_param("metrics",
                    "must list metric names separated by commas, such as cost_usd,events");
    }
    fields.set(static_cast<size_t>(*metric));
  });
  return fields;
}

engine::SessionOrder session_order(const QueryParams& params) {
  const auto order =
      engine::parse_session_order(params.get_or("sort", "start"), params.ascending());
  if (!order) invalid_param("sort", "must be start, end, duration_s or a metric name");
  return *order;
}

engine::UserOrder user_order(const QueryParams& params) {
  const auto order =
      engine::parse_user_order(params.get_or("sort", "cost_usd"), params.ascending());
  if (!order)
    invalid_param("sort", "must be email, first_seen, last_seen, active_days or a metric name");
  return *order;
}

std::optional<std::string> time_text(std::optional<int64_t> ms) {
  if (!ms) return std::nullopt;
  return format_rfc3339_ms(*ms);
}

void write_session_row(JsonWriter& json, const engine::SessionRow& row) {
  json.key("session_id").value(row.session_id);
  json.key("email").value(row.email);
  json.key("practice").value(row.practice);
  json.key("level").value(row.level);
  json.key("location").value(row.location);
  json.key("terminal").value(row.terminal);
  json.key("start").value(time_text(row.start_ms));
  json.key("end").value(time_text(row.end_ms));
  json.key("duration_s").value(row.duration_s());
  write_metrics(json, row.metrics, all_metric_fields());
}

void write_user_row(JsonWriter& json, const engine::UserRow& row) {
  json.key("email").value(row.email);
  json.key("full_name").value(row.full_name);
  if (row.directory_email) json.key("directory_email").value(*row.directory_email);
  json.key("practice").value(row.practice);
  json.key("level").value(row.level);
  json.key("location").value(row.location);
  json.key("first_seen").value(time_text(row.first_seen_ms));
  json.key("last_seen").value(time_text(row.last_seen_ms));
  json.key("active_days").value(row.active_days);
  write_metrics(json, row.metrics, all_metric_fields());
}

void write_event(JsonWriter& json, const engine::EventValues& event) {
  const auto text = [&](std::string_view name, const std::optional<std::string>& value) {
    if (value) json.key(name).value(*value);
  };
  const auto number = [&](std::string_view name, double value) {
    if (!std::isnan(value)) json.key(name).value(value);
  };
  json.begin_object();
  json.key("t").time_value(event.time_ms);
  json.key("event").value(event.event_name);
  text("model", event.model);
  text("tool", event.tool);
  text("decision", event.decision);
  text("decision_source", event.decision_source);
  if (event.success >= 0) json.key("success").value(event.success == 1);
  text("status_code", event.status_code);
  text("error", event.error);
  number("attempt", event.attempt);
  number("input_tokens", event.input_tokens);
  number("output_tokens", event.output_tokens);
  number("cache_read_tokens", event.cache_read_tokens);
  number("cache_creation_tokens", event.cache_creation_tokens);
  number("cost_usd", event.cost_usd);
  number("duration_ms", event.duration_ms);
  number("prompt_length", event.prompt_length);
  number("tool_result_size_bytes", event.tool_result_size_bytes);
  json.end_object();
}

Answer json_answer(JsonWriter& json) {
  return {json.take(), kJson};
}

// {"total", "limit", "offset", "rows": [...]}: the shape of every paginated answer.
template <typename Page, typename WriteRow>
Answer page_answer(const Page& page, size_t limit, size_t offset, WriteRow write_row) {
  JsonWriter json;
  json.begin_object();
  json.key("total").value(static_cast<uint64_t>(page.total));
  json.key("limit").value(static_cast<uint64_t>(limit));
  json.key("offset").value(static_cast<uint64_t>(offset));
  json.key("rows").begin_array();
  for (const auto& row : page.rows) {
    json.begin_object();
    write_row(json, row);
    json.end_object();
  }
  json.end_array().end_object();
  return json_answer(json);
}

// compare=previous: the same question over the period of the same length that ends where the
// range begins.
std::optional<engine::Filter> previous_period(const QueryParams& params,
                                              const engine::Filter& filter) {
  const auto compare = params.get("compare");
  if (!compare) return std::nullopt;
  if (*compare != "previous") invalid_param("compare", "must be previous");
  if (!filter.from_ms || !filter.to_ms) invalid_param("compare", "needs both from and to");
  engine::Filter previous = filter;
  previous.from_ms = *filter.from_ms - (*filter.to_ms - *filter.from_ms);
  previous.to_ms = *filter.from_ms;
  return previous;
}

void write_previous_range(JsonWriter& json, const engine::Filter& previous) {
  json.key("previous_range").begin_object();
  json.key("from").value(format_rfc3339_ms(*previous.from_ms));
  json.key("to").value(format_rfc3339_ms(*previous.to_ms));
  json.end_object();
}

void write_previous(JsonWriter& json, const engine::MetricSet& metrics,
                    const MetricFields& fields) {
  json.key("previous").begin_object();
  write_metrics(json, metrics, fields);
  json.end_object();
}

Answer summary(const engine::Analytics& analytics, const QueryParams& params) {
  const engine::Filter filter = params.filter();
  const std::optional<engine::Filter> previous = previous_period(params, filter);
  const engine::Summary summary = analytics.summarize(filter);
  JsonWriter json;
  json.begin_object();
  const MetricFields fields = metric_fields(params);
  write_metrics(json, summary.metrics, fields);
  if (previous) {
    write_previous(json, analytics.summarize(*previous).metrics, fields);
    write_previous_range(json, *previous);
  }
  // Comes with cost_usd, whose part it is.
  if (fields.test(static_cast<size_t>(engine::Metric::kCostUsd)))
    json.key("cost_estimated_usd").value(summary.metrics.cost_estimated_usd);
  json.key("first_event").value(time_text(summary.first_event_ms));
  json.key("last_event").value(time_text(summary.last_event_ms));
  json.end_object();
  return json_answer(json);
}

size_t breakdown_limit(const QueryParams& params) {
  return params.get_count("limit", kMaxBreakdownRows, 1, kMaxBreakdownRows);
}

std::vector<engine::BreakdownRow> breakdown_rows(const engine::Analytics& analytics,
                                                 const QueryParams& params, engine::Dimension by,
                                                 engine::Metric sort) {
  const size_t limit = breakdown_limit(params);
  std::vector<engine::BreakdownRow> rows = analytics.breakdown(params.filter(), by, sort);
  if (rows.size() > limit) rows.resize(limit);
  return rows;
}

Answer breakdown(const engine::Analytics& analytics, const QueryParams& params) {
  const engine::Dimension by = dimension_param(params, "by");
  const engine::Metric sort = metric_param(params, "sort", engine::Metric::kEvents);
  const engine::Filter filter = params.filter();
  const std::optional<engine::Filter> previous = previous_period(params, filter);
  const size_t limit = breakdown_limit(params);
  std::vector<engine::BreakdownRow> rows = analytics.breakdown(filter, by, sort);
  // Every key of the range, the limit's cut included, so that none counts as gone.
  std::unordered_map<std::string_view, size_t> row_of_key;
  if (previous)
    for (size_t i = 0; i < rows.size(); ++i) row_of_key.emplace(rows[i].key, i);
  const std::vector<engine::BreakdownRow> before =
      previous ? analytics.breakdown(*previous, by, sort) : std::vector<engine::BreakdownRow>();
  std::vector<const engine::MetricSet*> previous_of(rows.size(), nullptr);
  std::vector<const engine::BreakdownRow*> gone;
  for (const engine::BreakdownRow& row : before) {
    const auto it = row_of_key.find(row.key);
    if (it != row_of_key.end())
      previous_of[it->second] = &row.metrics;
    else if (gone.size() < limit)
      gone.push_back(&row);
  }
  if (rows.size() > limit) rows.resize(limit);

  const MetricFields fields = metric_fields(params);
  const engine::MetricSet none;
  JsonWriter json;
  json.begin_object();
  json.key("by").value(engine::dimension_name(by));
  json.key("sort").value(engine::metric_name(sort));
  json.key("rows").begin_array();
  for (size_t i = 0; i < rows.size(); ++i) {
    json.begin_object().key("key").value(rows[i].key);
    write_metrics(json, rows[i].metrics, fields);
    if (previous) write_previous(json, previous_of[i] ? *previous_of[i] : none, fields);
    json.end_object();
  }
  json.end_array();
  if (previous) {
    // Keys of the previous period absent from this one, in the same order.
    json.key("previous_only").begin_array();
    for (const engine::BreakdownRow* row : gone) {
      json.begin_object().key("key").value(row->key);
      write_previous(json, row->metrics, fields);
      json.end_object();
    }
    json.end_array();
    write_previous_range(json, *previous);
  }
  json.end_object();
  return json_answer(json);
}

// With compare=previous, each bucket's counterpart one period earlier: `before` is the previous
// period's series, `shift` the period's length, a whole number of buckets.
struct PreviousPoints {
  const std::vector<int64_t>& starts;
  const std::vector<engine::MetricSet>& points;
  int64_t shift;
  int64_t width;

  const engine::MetricSet* at(int64_t start) const {
    if (starts.empty()) return nullptr;
    const int64_t index = (start - shift - starts.front()) / width;
    if (index < 0 || index >= static_cast<int64_t>(points.size())) return nullptr;
    return &points[static_cast<size_t>(index)];
  }
};

void write_points(JsonWriter& json, const std::vector<int64_t>& starts,
                  const std::vector<engine::MetricSet>& points, const MetricFields& fields,
                  const std::optional<PreviousPoints>& previous) {
  const engine::MetricSet none;
  json.begin_array();
  for (size_t i = 0; i < points.size(); ++i) {
    json.begin_object().encoded_key("\"t\":").time_value(starts[i], false);
    write_metrics(json, points[i], fields);
    if (previous) {
      const engine::MetricSet* before = previous->at(starts[i]);
      write_previous(json, before ? *before : none, fields);
    }
    json.end_object();
  }
  json.end_array();
}

Answer timeseries(const engine::Analytics& analytics, const QueryParams& params) {
  const engine::Bucket bucket = bucket_param(params);
  std::optional<engine::Dimension> split;
  if (params.get("split")) split = dimension_param(params, "split");
  const size_t split_limit = params.get_count("split_limit", 12, 1, kMaxSplitSeries);
  const MetricFields fields = metric_fields(params);
  if (!split && params.get("split_limit")) invalid_param("split_limit", "needs split");
  const engine::Filter filter = params.filter();
  const std::optional<engine::Filter> previous = previous_period(params, filter);
  const int64_t width = engine::bucket_width_ms(bucket);
  const int64_t shift = previous ? *filter.to_ms - *filter.from_ms : 0;
  if (previous && shift % width != 0)
    invalid_param("compare", "needs a range of whole " + std::string(engine::bucket_name(bucket)) +
                                 "s, so that each bucket has its counterpart one period earlier");
  const engine::Timeseries series =
      bounded_query([&] { return analytics.timeseries(filter, bucket, split, split_limit); });
  engine::Timeseries before;
  if (previous) {
    // The previous period's series for the same values, whether or not they led it.
    std::vector<std::string> keys;
    for (const engine::TimeSeries& one : series.series) keys.push_back(one.key);
    before = bounded_query(
        [&] { return analytics.timeseries(*previous, bucket, split, split_limit, &keys); });
  }
  const auto previous_of = [&](const std::vector<engine::MetricSet>& points) {
    return previous ? std::optional<PreviousPoints>({before.starts, points, shift, width})
                    : std::nullopt;
  };
  JsonWriter json;
  json.reserve(series.points.size() * 600 * (series.series.size() + 1) * (previous ? 2 : 1) + 64);
  json.begin_object();
  json.key("bucket").value(engine::bucket_name(bucket));
  json.key("points");
  write_points(json, series.starts, series.points, fields, previous_of(before.points));
  if (split) {
    json.key("split").value(engine::dimension_name(*split));
    json.key("series").begin_array();
    for (size_t i = 0; i < series.series.size(); ++i) {
      const engine::TimeSeries& one = series.series[i];
      json.begin_object().key("key").value(one.key).key("points");
      write_points(json, series.starts, one.points, fields,
                   previous ? previous_of(before.series[i].points) : std::nullopt);
      json.end_object();
    }
    json.end_array();
  }
  if (previous) write_previous_range(json, *previous);
  json.end_object();
  return json_answer(json);
}

Answer heatmap(const engine::Analytics& analytics, const QueryParams& params) {
  const std::vector<engine::MetricSet> cells = analytics.heatmap(params.filter());
  const MetricFields fields = metric_fields(params);
  JsonWriter json;
  json.begin_object().key("cells").begin_array();
  for (size_t cell = 0; cell < cells.size(); ++cell) {
    json.begin_object();
    json.key("weekday").value(static_cast<int>(cell / 24));
    json.key("hour").value(static_cast<int>(cell % 24));
    write_metrics(json, cells[cell], fields);
    json.end_object();
  }
  json.end_array().end_object();
  return json_answer(json);
}

Answer sessions(const engine::Analytics& analytics, const QueryParams& params) {
  const engine::SessionOrder order = session_order(params);
  const size_t limit = params.get_count("limit", 50, 1, kMaxPage);
  const size_t offset = params.get_count("offset", 0, 0, kMaxOffset);
  return page_answer(analytics.list_sessions(params.filter(), order, limit, offset), limit, offset,
                     write_session_row);
}

Answer session_detail(const engine::Analytics& analytics, const QueryParams& params,
                      std::string_view id) {
  const auto detail = analytics.session_detail(params.filter(), id);
  // A scoped token learns nothing of sessions outside its practices, not even that they exist.
  if (!detail || !params.in_scope(detail->row.practice))
    throw ApiError(404, "not_found", "no session with id '" + std::string(id) + "'");
  JsonWriter json;
  json.begin_object();
  write_session_row(json, detail->row);
  json.key("events").begin_array();
  for (const engine::EventValues& event : detail->events) write_event(json, event);
  json.end_array().end_object();
  return json_answer(json);
}

// The `measure` parameter of the latency answers: its name as given, and what it names.
std::pair<std::string_view, engine::LatencyMeasure> measure_param(const QueryParams& params) {
  const std::string_view name = params.get_or("measure", "duration_ms");
  const auto measure = engine::parse_latency_measure(name);
  if (!measure) invalid_param("measure", "must be duration_ms or ttft_ms");
  return {name, *measure};
}

// count, mean and the percentiles as members of the object being written; the figures are null
// for an empty sample.
void write_percentiles(JsonWriter& json, const engine::Percentiles& p) {
  const auto figure = [&](double value) {
    return p.count == 0 ? std::optional<double>() : std::optional<double>(value);
  };
  json.key("count").value(static_cast<uint64_t>(p.count));
  json.key("mean").value(figure(p.mean));
  json.key("p50").value(figure(p.p50));
  json.key("p90").value(figure(p.p90));
  json.key("p95").value(figure(p.p95));
  json.key("p99").value(figure(p.p99));
  json.key("max").value(figure(p.max));
}

Answer latency(const engine::Analytics& analytics, const QueryParams& params) {
  const auto by = engine::parse_latency_by(params.get_or("by", "model"));
  if (!by) invalid_param("by", "must be model or tool");
  const auto [measure_name, measure] = measure_param(params);
  if (measure == engine::LatencyMeasure::kTtftMs && *by != engine::LatencyBy::kModel)
    invalid_param("measure", "ttft_ms (time to first token) is measured per model only");
  const std::vector<engine::LatencyRow> rows = analytics.latency(params.filter(), *by, measure);
  JsonWriter json;
  json.begin_object();
  json.key("by").value(*by == engine::LatencyBy::kModel ? "model" : "tool");
  json.key("measure").value(measure_name);
  json.key("rows").begin_array();
  for (const engine::LatencyRow& row : rows) {
    json.begin_object();
    json.key("key").value(row.key);
    write_percentiles(json, row.duration_ms);
    json.end_object();
  }
  json.end_array().end_object();
  return json_answer(json);
}

Answer latency_timeseries(const engine::Analytics& analytics, const QueryParams& params) {
  const std::string_view of_name = params.get_or("of", "api_request");
  if (of_name != "api_request" && of_name != "tool_result")
    invalid_param("of", "must be api_request or tool_result");
  const auto of = of_name == "api_request" ? engine::LatencyBy::kModel : engine::LatencyBy::kTool;
  const engine::Bucket bucket = bucket_param(params);
  const auto [measure_name, measure] = measure_param(params);
  if (measure == engine::LatencyMeasure::kTtftMs && of != engine::LatencyBy::kModel)
    invalid_param("measure", "ttft_ms (time to first token) is measured for api_request only");
  const engine::LatencySeries series = bounded_query(
      [&] { return analytics.latency_timeseries(params.filter(), of, measure, bucket); });
  JsonWriter json;
  json.begin_object();
  json.key("of").value(of_name);
  json.key("bucket").value(engine::bucket_name(bucket));
  json.key("measure").value(measure_name);
  json.key("points").begin_array();
  for (size_t i = 0; i < series.starts.size(); ++i) {
    json.begin_object();
    json.key("t").time_value(series.starts[i], false);
    write_percentiles(json, series.duration_ms[i]);
    json.end_object();
  }
  json.end_array().end_object();
  return json_answer(json);
}

Answer users(const engine::Analytics& analytics, const QueryParams& params) {
  const engine::UserOrder order = user_order(params);
  const size_t limit = params.get_count("limit", 50, 1, kMaxPage);
  const size_t offset = params.get_count("offset", 0, 0, kMaxOffset);
  return page_answer(analytics.list_users(params.filter(), order, limit, offset), limit, offset,
                     write_user_row);
}

Answer user_profile(const engine::Analytics& analytics, const QueryParams& params,
                    std::string_view email) {
  const auto profile = analytics.user_profile(params.filter(), email);
  // A scoped token sees the people of its practices and those with events in them.
  if (!profile || !(params.in_scope(profile->row.practice) || profile->row.metrics.events > 0))
    throw ApiError(404, "not_found", "no user '" + std::string(email) + "'");
  JsonWriter json;
  json.begin_object();
  write_user_row(json, profile->row);
  json.key("calendar").begin_array();
  for (const engine::CalendarDay& day : profile->calendar) {
    json.begin_object();
    json.key("date").value(format_date(day.day_ms));
    json.key("events").value(day.events);
    json.key("sessions").value(day.sessions);
    json.key("cost_usd").value(day.cost_usd);
    json.end_object();
  }
  json.end_array().end_object();
  return json_answer(json);
}

Answer distribution(const engine::Analytics& analytics, const QueryParams& params) {
  const auto of = engine::parse_session_quantity(params.get_or("of", "session_duration_s"));
  if (!of) invalid_param("of", "must be session_duration_s, session_prompts or session_cost_usd");
  const size_t bins = params.get_count("bins", 20, 1, engine::kMaxBins);
  const engine::Distribution result = analytics.session_distribution(params.filter(), *of, bins);
  JsonWriter json;
  json.begin_object();
  json.key("of").value(engine::session_quantity_name(*of));
  json.key("count").value(static_cast<uint64_t>(result.stats.count));
  const auto stat = [&](std::string_view name, double value) {
    json.key(name);
    if (result.stats.count == 0) {
      json.null();
    } else {
      json.value(value);
    }
  };
  stat("mean", result.stats.mean);
  stat("min", result.stats.min);
  stat("p50", result.stats.p50);
  stat("p90", result.stats.p90);
  stat("p99", result.stats.p99);
  stat("max", result.stats.max);
  json.key("bins").begin_array();
  for (const engine::HistogramBin& bin : result.bins)
    json.begin_object()
        .key("lo")
        .value(bin.lo)
        .key("hi")
        .value(bin.hi)
        .key("count")
        .value(static_cast<uint64_t>(bin.count))
        .end_object();
  json.end_array().end_object();
  return json_answer(json);
}

Answer facets(const engine::Analytics& analytics, const QueryParams& params) {
  const engine::Facets result = analytics.facets(params.filter());
  std::vector<std::pair<std::string, const engine::FacetList*>> facets = {
      {"practice", &result.practice}, {"level", &result.level},
      {"location", &result.location}, {"model", &result.model},
      {"email", &result.email},       {"terminal", &result.terminal},
      {"tool", &result.tool},         {"status_code", &result.status_code},
      {"error", &result.error}};
  for (const auto& [key, values] : result.attributes)
    facets.emplace_back(std::string(engine::Dimension::kAttributePrefix) + key, &values);
  JsonWriter json;
  json.begin_object();
  for (const auto& [name, values] : facets) {
    json.key(name).begin_array();
    for (const engine::FacetValue& value : *values) json.value(value.value);
    json.end_array();
  }
  // Beside the lists, which the contract states as values only.
  json.key("counts").begin_object();
  for (const auto& [name, values] : facets) {
    json.key(name).begin_object();
    for (const engine::FacetValue& value : *values) json.key(value.value).value(value.events);
    json.end_object();
  }
  json.end_object();
  json.end_object();
  return json_answer(json);
}

Answer employees(const engine::Analytics& analytics, const QueryParams& params) {
  JsonWriter json;
  const std::vector<engine::Employee> rows = analytics.employees();
  const auto shown = [&](const engine::Employee& employee) {
    return params.in_scope(employee.practice);
  };
  json.begin_object();
  json.key("total").value(static_cast<uint64_t>(std::count_if(rows.begin(), rows.end(), shown)));
  json.key("rows").begin_array();
  for (const engine::Employee& employee : rows) {
    if (!shown(employee)) continue;
    json.begin_object();
    json.key("email").value(employee.email);
    json.key("full_name").value(employee.full_name);
    json.key("practice").value(employee.practice);
    json.key("level").value(employee.level);
    json.key("location").value(employee.location);
    json.key("user_id").value(employee.user_id.empty()
                                  ? std::optional<std::string>()
                                  : std::optional<std::string>(employee.user_id));
    json.end_object();
  }
  json.end_array().end_object();
  return json_answer(json);
}

void csv_metric_header(CsvWriter& csv) {
  for (const engine::Metric metric : engine::all_metrics()) csv.field(engine::metric_name(metric));
}

void csv_metrics(CsvWriter& csv, const engine::MetricSet& metrics) {
  for (const engine::Metric metric : engine::all_metrics()) {
    const std::optional<double> value = engine::metric_value(metrics, metric);
    if (!value) {
      csv.field("");
    } else if (engine::metric_is_count(metric)) {
      csv.field(static_cast<uint64_t>(*value));
    } else {
      csv.field(*value);
    }
  }
}

Answer export_csv(const engine::Analytics& analytics, const QueryParams& params) {
  const std::string_view view = params.get_or("view", "");
  CsvWriter csv;
  if (view == "breakdown") {
    if (params.get("order") || params.get("offset"))
      invalid_param(params.get("order") ? "order" : "offset", "does not apply to view=breakdown");
    const engine::Dimension by = dimension_param(params, "by");
    const engine::Metric sort = metric_param(params, "sort", engine::Metric::kEvents);
    csv.field("key");
    csv_metric_header(csv);
    csv.end_row();
    for (const engine::BreakdownRow& row : breakdown_rows(analytics, params, by, sort)) {
      csv.field(row.key);
      csv_metrics(csv, row.metrics);
      csv.end_row();
    }
    return {csv.take(), kCsv};
  }
  if (params.get("by")) invalid_param("by", "applies to view=breakdown only");
  const size_t limit = params.get_count("limit", kMaxOffset, 1, kMaxOffset);
  const size_t offset = params.get_count("offset", 0, 0, kMaxOffset);
  if (view == "sessions") {
    const engine::SessionsPage page =
        analytics.list_sessions(params.filter(), session_order(params), limit, offset);
    for (const char* name : {"session_id", "email", "practice", "level", "location", "terminal",
                             "start", "end", "duration_s"})
      csv.field(name);
    csv_metric_header(csv);
    csv.end_row();
    for (const engine::SessionRow& row : page.rows) {
      csv.field(row.session_id).field(row.email).field(row.practice).field(row.level);
      csv.field(row.location).field(row.terminal.value_or(""));
      csv.field(time_text(row.start_ms).value_or("")).field(time_text(row.end_ms).value_or(""));
      csv.field(row.duration_s().value_or(0));
      csv_metrics(csv, row.metrics);
      csv.end_row();
    }
    return {csv.take(), kCsv};
  }
  if (view == "users") {
    const engine::UsersPage page =
        analytics.list_users(params.filter(), user_order(params), limit, offset);
    for (const char* name : {"email", "full_name", "practice", "level", "location", "first_seen",
                             "last_seen", "active_days"})
      csv.field(name);
    csv_metric_header(csv);
    csv.end_row();
    for (const engine::UserRow& row : page.rows) {
      csv.field(row.email).field(row.full_name.value_or("")).field(row.practice);
      csv.field(row.level).field(row.location);
      csv.field(time_text(row.first_seen_ms).value_or(""));
      csv.field(time_text(row.last_seen_ms).value_or("")).field(row.active_days);
      csv_metrics(csv, row.metrics);
      csv.end_row();
    }
    return {csv.take(), kCsv};
  }
  invalid_param("view", "must be breakdown, sessions or users");
}

}  // namespace

Answer answer_read_only(RouteId route, const engine::Analytics& analytics,
                        const QueryParams& params, std::string_view path_argument) {
  switch (route) {
    case RouteId::kSummary:
      return summary(analytics, params);
    case RouteId::kBreakdown:
      return breakdown(analytics, params);
    case RouteId::kTimeseries:
      return timeseries(analytics, params);
    case RouteId::kHeatmap:
      return heatmap(analytics, params);
    case RouteId::kSessions:
      return sessions(analytics, params);
    case RouteId::kSessionDetail:
      return session_detail(analytics, params, path_argument);
    case RouteId::kLatency:
      return latency(analytics, params);
    case RouteId::kLatencyTimeseries:
      return latency_timeseries(analytics, params);
    case RouteId::kUsers:
      return users(analytics, params);
    case RouteId::kUserProfile:
      return user_profile(analytics, params, path_argument);
    case RouteId::kDistribution:
      return distribution(analytics, params);
    case RouteId::kFacets:
      return facets(analytics, params);
    case RouteId::kEmployeesGet:
      return employees(analytics, params);
    case RouteId::kExportCsv:
      return export_csv(analytics, params);
    case RouteId::kCode:
      return code_summary(analytics, params);
    case RouteId::kCodeBreakdown:
      return code_breakdown(analytics, params);
    case RouteId::kCodeTimeseries:
      return code_timeseries(analytics, params);
    case RouteId::kCodeMetrics:
      return metric_names(analytics);
    default:
      break;
  }
  throw ApiError(500, "internal", "route has no read-only answer");
}

}  // namespace cca::server
