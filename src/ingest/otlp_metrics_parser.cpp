#include "ingest/otlp_metrics_parser.h"

#include <charconv>
#include <limits>
#include <vector>

#include "ingest/ingestor.h"

namespace cca::ingest {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

[[noreturn]] void invalid(const std::string& where, const std::string& why) {
  throw IngestError("not a valid OTLP metrics request: " + where + " " + why);
}

std::vector<element> optional_array(object parent, std::string_view key, const std::string& where) {
  element value;
  if (parent[key].get(value) || value.type() == element_type::NULL_VALUE) return {};
  array result;
  if (value.get_array().get(result)) invalid(where + "." + std::string(key), "is not an array");
  return {result.begin(), result.end()};
}

object required_object(element value, const std::string& where) {
  object result;
  if (value.get_object().get(result)) invalid(where, "is not an object");
  return result;
}

// proto3 JSON spells 64-bit integers as strings; both spellings are accepted.
bool read_int64(element value, int64_t& out) {
  if (value.get_int64().get(out) == simdjson::SUCCESS) return true;
  std::string_view text;
  if (value.get_string().get(text)) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// A double, or one of proto3 JSON's spellings of the non-finite ones.
bool read_double(element value, double& out) {
  if (value.get_double().get(out) == simdjson::SUCCESS) return true;
  std::string_view text;
  if (value.get_string().get(text)) return false;
  if (text == "NaN") {
    out = std::numeric_limits<double>::quiet_NaN();
  } else if (text == "Infinity") {
    out = std::numeric_limits<double>::infinity();
  } else if (text == "-Infinity") {
    out = -std::numeric_limits<double>::infinity();
  } else {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
  }
  return true;
}

// The same for unsigned fields (fixed64 counts): every uint64 the protobuf encoding can carry.
bool read_uint64(element value, uint64_t& out) {
  if (value.get_uint64().get(out) == simdjson::SUCCESS) return true;
  std::string_view text;
  if (value.get_string().get(text)) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// Optional int64 field: absent leaves out alone; present but not an integer is malformed.
void int64_field(object parent, std::string_view key, const std::string& where, int64_t& out) {
  element value;
  if (parent[key].get(value) || value.type() == element_type::NULL_VALUE) return;
  if (!read_int64(value, out)) invalid(where + "." + std::string(key), "is not an integer");
}

void check_attributes(object parent, const std::string& where) {
  size_t i = 0;
  for (element attribute : optional_array(parent, "attributes", where)) {
    const std::string at = where + ".attributes[" + std::to_string(i++) + "]";
    object kv = required_object(attribute, at);
    std::string_view key;
    if (kv["key"].get_string().get(key)) invalid(at + ".key", "is not a string");
    element value;
    if (!kv["value"].get(value) && value.type() != element_type::NULL_VALUE)
      required_object(value, at + ".value");
  }
}

// An AnyValue as JSON: strings, numbers and booleans as themselves, arrays, key-value lists and
// bytes as the JSON the client sent.
nlohmann::json any_value(element value) {
  object any;
  if (value.get_object().get(any)) return nullptr;
  for (auto [kind, inner] : any) {
    if (kind == "stringValue") {
      std::string_view text;
      if (!inner.get_string().get(text)) return std::string(text);
    } else if (kind == "intValue") {
      int64_t number;
      if (read_int64(inner, number)) return number;
    } else if (kind == "doubleValue") {
      double number;
      if (!inner.get_double().get(number)) return number;
    } else if (kind == "boolValue") {
      bool b;
      if (!inner.get_bool().get(b)) return b;
    }
    return nlohmann::json::parse(simdjson::minify(inner), nullptr, false);
  }
  return nullptr;
}

void read_attributes(object parent, nlohmann::json& out) {
  for (element attribute : optional_array(parent, "attributes", "")) {
    object kv = attribute.get_object().value_unsafe();
    element value;
    out[std::string(kv["key"].get_string().value_unsafe())] =
        kv["value"].get(value) ? nlohmann::json(nullptr) : any_value(value);
  }
}

struct KindField {
  std::string_view field;
  MetricKind kind;
};
constexpr KindField kKinds[] = {{"gauge", MetricKind::kGauge},
                                {"sum", MetricKind::kSum},
                                {"histogram", MetricKind::kHistogram},
                                {"exponentialHistogram", MetricKind::kExponentialHistogram},
                                {"summary", MetricKind::kSummary}};

// The data field of a metric (none: a metric without points, which OTLP allows).
bool data_of(object metric, const std::string& where, MetricKind& kind, object& data) {
  bool found = false;
  for (const KindField& k : kKinds) {
    element value;
    if (metric[k.field].get(value) || value.type() == element_type::NULL_VALUE) continue;
    if (found) invalid(where, "has more than one data field");
    data = required_object(value, where + "." + std::string(k.field));
    kind = k.kind;
    found = true;
  }
  return found;
}

// Checks one data point's fields and reads them into point.
void read_point(object dp, const std::string& where, MetricPoint& point) {
  check_attributes(dp, where);
  int64_field(dp, "startTimeUnixNano", where, point.start_ns);
  int64_field(dp, "timeUnixNano", where, point.time_ns);
  element value;
  double number = 0;
  if (point.kind == MetricKind::kGauge || point.kind == MetricKind::kSum) {
    int64_t whole = 0;
    if (!dp["asDouble"].get(value) && value.type() != element_type::NULL_VALUE) {
      if (!read_double(value, number)) invalid(where + ".asDouble", "is not a number");
      point.value = number;
    } else if (!dp["asInt"].get(value) && value.type() != element_type::NULL_VALUE) {
      if (!read_int64(value, whole)) invalid(where + ".asInt", "is not an integer");
      point.value = static_cast<double>(whole);
    }
    return;
  }
  uint64_t count = 0;
  if (!dp["count"].get(value) && value.type() != element_type::NULL_VALUE &&
      !read_uint64(value, count)) {
    int64_t negative = 0;
    invalid(where + ".count",
            read_int64(value, negative) ? "is negative" : "is not an integer");
  }
  point.count = count;
  if (!dp["sum"].get(value) && value.type() != element_type::NULL_VALUE) {
    if (!read_double(value, number)) invalid(where + ".sum", "is not a number");
    point.value = number;
  }
}

}  // namespace

void OtlpMetricsParser::parse(std::string_view body, MetricBatch& out) {
  element root;
  if (parser_.parse(body.data(), body.size()).get(root)) invalid("the body", "is not valid JSON");
  object request = required_object(root, "the body");

  // Pass 1 checks the request's shape and reads the points aside: nothing reaches `out` unless
  // all of it is well formed.
  std::vector<MetricPoint> points;
  size_t r = 0;
  for (element resource_metrics : optional_array(request, "resourceMetrics", "request")) {
    const std::string at_r = "resourceMetrics[" + std::to_string(r++) + "]";
    object rm = required_object(resource_metrics, at_r);
    nlohmann::json resource = nlohmann::json::object();
    element resource_element;
    if (!rm["resource"].get(resource_element) &&
        resource_element.type() != element_type::NULL_VALUE) {
      object resource_object = required_object(resource_element, at_r + ".resource");
      check_attributes(resource_object, at_r + ".resource");
      read_attributes(resource_object, resource);
    }
    size_t s = 0;
    for (element scope_metrics : optional_array(rm, "scopeMetrics", at_r)) {
      const std::string at_s = at_r + ".scopeMetrics[" + std::to_string(s++) + "]";
      object sm = required_object(scope_metrics, at_s);
      size_t m = 0;
      for (element metric_element : optional_array(sm, "metrics", at_s)) {
        const std::string at_m = at_s + ".metrics[" + std::to_string(m++) + "]";
        object metric = required_object(metric_element, at_m);
        std::string_view name, unit;
        if (metric["name"].get_string().get(name)) invalid(at_m + ".name", "is not a string");
        element unit_element;
        if (!metric["unit"].get(unit_element) && unit_element.type() != element_type::NULL_VALUE &&
            unit_element.get_string().get(unit))
          invalid(at_m + ".unit", "is not a string");
        MetricKind kind = MetricKind::kGauge;
        object data;
        if (!data_of(metric, at_m, kind, data)) continue;
        int64_t temporality = kTemporalityUnspecified;
        int64_field(data, "aggregationTemporality", at_m, temporality);
        bool monotonic = false;
        element flag;
        if (!data["isMonotonic"].get(flag) && flag.type() != element_type::NULL_VALUE &&
            flag.get_bool().get(monotonic))
          invalid(at_m + ".isMonotonic", "is not a boolean");
        size_t p = 0;
        for (element dp : optional_array(data, "dataPoints", at_m)) {
          const std::string at_p = at_m + ".dataPoints[" + std::to_string(p++) + "]";
          MetricPoint point;
          point.name = name;
          point.unit = unit;
          point.kind = kind;
          point.temporality = static_cast<int>(temporality);
          point.monotonic = monotonic;
          point.resource = resource;
          object dp_object = required_object(dp, at_p);
          read_point(dp_object, at_p, point);
          read_attributes(dp_object, point.attributes);
          point.raw = simdjson::minify(dp);
          point.number = points.size() + 1;
          points.push_back(std::move(point));
        }
      }
    }
  }
  for (MetricPoint& point : points) add_point(std::move(point), out);
}

}  // namespace cca::ingest
