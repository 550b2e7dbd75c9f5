#include "ingest/otlp_protobuf_metrics.h"

#include <google/protobuf/arena.h>
#include <google/protobuf/unknown_field_set.h>
#include <google/protobuf/util/json_util.h>

#include <climits>
#include <string>
#include <vector>

#include "ingest/ingestor.h"
#include "ingest/otlp_value_json.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"

namespace cca::ingest {
namespace {

using opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;
using opentelemetry::proto::common::v1::AnyValue;
using opentelemetry::proto::common::v1::KeyValue;
using opentelemetry::proto::metrics::v1::Metric;
using opentelemetry::proto::metrics::v1::NumberDataPoint;
using KeyValues = google::protobuf::RepeatedPtrField<KeyValue>;

[[noreturn]] void invalid(const std::string& why) {
  throw IngestError("not a valid OTLP metrics request: " + why);
}

// A known field number in the wrong wire type lands in the unknown fields: a malformed request.
// Unknown numbers are a newer schema's fields and are ignored.
template <class Message>
void check_wire_types(const Message& message) {
  const auto& unknown = message.GetReflection()->GetUnknownFields(message);
  for (int i = 0; i < unknown.field_count(); ++i) {
    if (const auto* field = Message::descriptor()->FindFieldByNumber(unknown.field(i).number()))
      invalid(std::string(Message::descriptor()->name()) + "." + field->name() +
              " has the wrong wire type");
  }
}

void check_value(const AnyValue& value);

void check_key_values(const KeyValues& values) {
  for (const KeyValue& kv : values) {
    check_wire_types(kv);
    check_value(kv.value());
  }
}

void check_value(const AnyValue& value) {
  check_wire_types(value);
  if (value.has_array_value()) {
    check_wire_types(value.array_value());
    for (const AnyValue& element : value.array_value().values()) check_value(element);
  } else if (value.has_kvlist_value()) {
    check_wire_types(value.kvlist_value());
    check_key_values(value.kvlist_value().values());
  }
}

template <class Points>
void check_points(const Points& points) {
  for (const auto& point : points) {
    check_wire_types(point);
    check_key_values(point.attributes());
  }
}

void check_request(const ExportMetricsServiceRequest& request) {
  check_wire_types(request);
  for (const auto& resource_metrics : request.resource_metrics()) {
    check_wire_types(resource_metrics);
    check_wire_types(resource_metrics.resource());
    check_key_values(resource_metrics.resource().attributes());
    for (const auto& scope_metrics : resource_metrics.scope_metrics()) {
      check_wire_types(scope_metrics);
      check_wire_types(scope_metrics.scope());
      for (const Metric& metric : scope_metrics.metrics()) {
        check_wire_types(metric);
        check_points(metric.gauge().data_points());
        check_points(metric.sum().data_points());
        check_points(metric.histogram().data_points());
        check_points(metric.exponential_histogram().data_points());
        check_points(metric.summary().data_points());
      }
    }
  }
}

// The attributes as the JSON path reads them: each value as the JSON of its AnyValue's inner
// value (strings, numbers, booleans; arrays, lists and bytes as their OTLP/JSON).
void read_attributes(const KeyValues& values, nlohmann::json& out) {
  std::string text;
  for (const KeyValue& kv : values) {
    text.clear();
    append_any_value_inner(text, kv.value());
    out[kv.key()] = nlohmann::json::parse(text, nullptr, false);
  }
}

// The fields every data point has; the value, count and sum are the caller's.
template <class Point>
MetricPoint common_point(const Point& p, const MetricPoint& metric) {
  MetricPoint point = metric;
  if (p.start_time_unix_nano() > static_cast<uint64_t>(INT64_MAX) ||
      p.time_unix_nano() > static_cast<uint64_t>(INT64_MAX))
    invalid(metric.name + ": a data point's time is out of range");
  point.start_ns = static_cast<int64_t>(p.start_time_unix_nano());
  point.time_ns = static_cast<int64_t>(p.time_unix_nano());
  read_attributes(p.attributes(), point.attributes);
  // The quarantine keeps a point's OTLP/JSON text; failing to write it loses only that text.
  (void)google::protobuf::util::MessageToJsonString(p, &point.raw);
  return point;
}

void read_metric(const Metric& m, const MetricPoint& base, std::vector<MetricPoint>& points) {
  MetricPoint metric = base;
  metric.name = m.name();
  metric.unit = m.unit();
  const auto number_points = [&](const auto& data_points) {
    for (const NumberDataPoint& p : data_points) {
      MetricPoint point = common_point(p, metric);
      if (p.value_case() == NumberDataPoint::kAsDouble) point.value = p.as_double();
      if (p.value_case() == NumberDataPoint::kAsInt) point.value = static_cast<double>(p.as_int());
      points.push_back(std::move(point));
    }
  };
  const auto counted_points = [&](const auto& data_points) {
    for (const auto& p : data_points) {
      MetricPoint point = common_point(p, metric);
      point.count = p.count();
      if constexpr (requires { p.has_sum(); }) {
        if (p.has_sum()) point.value = p.sum();
      } else {
        point.value = p.sum();
      }
      points.push_back(std::move(point));
    }
  };
  switch (m.data_case()) {
    case Metric::kGauge:
      metric.kind = MetricKind::kGauge;
      number_points(m.gauge().data_points());
      break;
    case Metric::kSum:
      metric.kind = MetricKind::kSum;
      metric.temporality = m.sum().aggregation_temporality();
      metric.monotonic = m.sum().is_monotonic();
      number_points(m.sum().data_points());
      break;
    case Metric::kHistogram:
      metric.kind = MetricKind::kHistogram;
      metric.temporality = m.histogram().aggregation_temporality();
      counted_points(m.histogram().data_points());
      break;
    case Metric::kExponentialHistogram:
      metric.kind = MetricKind::kExponentialHistogram;
      metric.temporality = m.exponential_histogram().aggregation_temporality();
      counted_points(m.exponential_histogram().data_points());
      break;
    case Metric::kSummary:
      metric.kind = MetricKind::kSummary;
      counted_points(m.summary().data_points());
      break;
    case Metric::DATA_NOT_SET:
      break;
  }
}

}  // namespace

void OtlpProtobufMetrics::parse(std::string_view body, MetricBatch& out) {
  google::protobuf::Arena arena;
  auto* request = google::protobuf::Arena::CreateMessage<ExportMetricsServiceRequest>(&arena);
  if (body.size() > static_cast<size_t>(INT_MAX) ||
      !request->ParseFromArray(body.data(), static_cast<int>(body.size())))
    invalid("the body does not parse as a protobuf ExportMetricsServiceRequest");
  check_request(*request);

  std::vector<MetricPoint> points;  // all read before any reaches `out`
  for (const auto& resource_metrics : request->resource_metrics()) {
    MetricPoint base;
    read_attributes(resource_metrics.resource().attributes(), base.resource);
    for (const auto& scope_metrics : resource_metrics.scope_metrics())
      for (const Metric& metric : scope_metrics.metrics()) read_metric(metric, base, points);
  }
  for (size_t i = 0; i < points.size(); ++i) {
    points[i].number = i + 1;
    add_point(std::move(points[i]), out);
  }
}

}  // namespace cca::ingest
