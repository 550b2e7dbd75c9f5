#include "ingest/otlp_json_messages.h"

#include <charconv>
#include <limits>
#include <string>

namespace cca::ingest {
namespace {

using opentelemetry::proto::common::v1::AnyValue;
using opentelemetry::proto::common::v1::KeyValue;
using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// OTLP/JSON writes trace and span ids in hex; text that is not hex is kept as it is.
std::string id_bytes(std::string_view hex) {
  std::string bytes;
  if (hex.size() % 2 != 0) return std::string(hex);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int high = hex_digit(hex[i]), low = hex_digit(hex[i + 1]);
    if (high < 0 || low < 0) return std::string(hex);
    bytes += static_cast<char>(high << 4 | low);
  }
  return bytes;
}

// proto3 JSON writes bytes in base64 (either alphabet); text that is not base64 is kept as it is.
std::string base64_bytes(std::string_view text) {
  std::string bytes;
  uint32_t bits = 0;
  int count = 0;
  for (const char c : text) {
    int value;
    if (c >= 'A' && c <= 'Z')
      value = c - 'A';
    else if (c >= 'a' && c <= 'z')
      value = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      value = c - '0' + 52;
    else if (c == '+' || c == '-')
      value = 62;
    else if (c == '/' || c == '_')
      value = 63;
    else if (c == '=')
      break;
    else
      return std::string(text);
    bits = bits << 6 | static_cast<uint32_t>(value);
    if ((count += 6) >= 8) {
      count -= 8;
      bytes += static_cast<char>((bits >> count) & 0xff);
    }
  }
  return bytes;
}

std::string_view string_or_empty(object parent, std::string_view key) {
  std::string_view text;
  if (parent[key].get_string().get(text)) return {};
  return text;
}

uint64_t unsigned_or_zero(object parent, std::string_view key) {
  element value;
  int64_t number = 0;
  if (parent[key].get(value) || !read_int64(value, number) || number < 0) return 0;
  return static_cast<uint64_t>(number);
}

void to_key_values(object parent, google::protobuf::RepeatedPtrField<KeyValue>& out) {
  array attributes;
  if (parent["attributes"].get_array().get(attributes)) return;
  for (element attribute : attributes) {
    object kv;
    if (attribute.get_object().get(kv)) continue;
    KeyValue* added = out.Add();
    added->set_key(std::string(string_or_empty(kv, "key")));
    element value;
    if (!kv["value"].get(value) && value.is_object()) to_any_value(value, *added->mutable_value());
  }
}

void to_double(element inner, AnyValue& out) {
  double number;
  if (!inner.get_double().get(number)) return out.set_double_value(number);
  std::string_view text;
  if (inner.get_string().get(text)) return out.set_string_value(simdjson::minify(inner));
  if (text == "NaN") return out.set_double_value(std::numeric_limits<double>::quiet_NaN());
  if (text == "Infinity") return out.set_double_value(std::numeric_limits<double>::infinity());
  if (text == "-Infinity") return out.set_double_value(-std::numeric_limits<double>::infinity());
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec == std::errc() && end == text.data() + text.size()) return out.set_double_value(number);
  out.set_string_value(std::string(text));
}

}  // namespace

bool read_int64(element value, int64_t& out) {
  if (value.get_int64().get(out) == simdjson::SUCCESS) return true;
  uint64_t unsigned_value;
  if (value.get_uint64().get(unsigned_value) == simdjson::SUCCESS) {
    out = static_cast<int64_t>(unsigned_value / 2);  // out of range anyway; keep it positive
    return true;
  }
  std::string_view text;
  if (value.get_string().get(text)) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

void to_any_value(element value, AnyValue& out) {
  object any;
  if (value.get_object().get(any)) return;
  for (auto [kind, inner] : any) {
    if (kind == "stringValue") {
      std::string_view text;
      if (inner.get_string().get(text)) return out.set_string_value(simdjson::minify(inner));
      return out.set_string_value(std::string(text));
    }
    if (kind == "intValue") {
      int64_t number;
      if (read_int64(inner, number)) return out.set_int_value(number);
      std::string_view text;
      if (inner.get_string().get(text)) return out.set_string_value(simdjson::minify(inner));
      return out.set_string_value(std::string(text));
    }
    if (kind == "doubleValue") return to_double(inner, out);
    if (kind == "boolValue") {
      bool flag;
      if (inner.get_bool().get(flag)) return out.set_string_value(simdjson::minify(inner));
      return out.set_bool_value(flag);
    }
    if (kind == "arrayValue") {
      auto* values = out.mutable_array_value()->mutable_values();
      object list;
      array items;
      if (!inner.get_object().get(list) && !list["values"].get_array().get(items))
        for (element item : items) to_any_value(item, *values->Add());
      return;
    }
    if (kind == "kvlistValue") {
      object list;
      auto* values = out.mutable_kvlist_value()->mutable_values();
      array items;
      if (!inner.get_object().get(list) && !list["values"].get_array().get(items))
        for (element item : items) {
          object kv;
          if (item.get_object().get(kv)) continue;
          KeyValue* added = values->Add();
          added->set_key(std::string(string_or_empty(kv, "key")));
          element nested;
          if (!kv["value"].get(nested) && nested.is_object())
            to_any_value(nested, *added->mutable_value());
        }
      return;
    }
    if (kind == "bytesValue") {
      std::string_view text;
      if (inner.get_string().get(text)) return out.set_string_value(simdjson::minify(inner));
      return out.set_bytes_value(base64_bytes(text));
    }
    // Another key: a newer schema's value kind, left unset like protobuf's unknown fields.
  }
}

void to_resource(object resource, opentelemetry::proto::resource::v1::Resource& out) {
  to_key_values(resource, *out.mutable_attributes());
  out.set_dropped_attributes_count(
      static_cast<uint32_t>(unsigned_or_zero(resource, "droppedAttributesCount")));
}

void to_scope(object scope, opentelemetry::proto::common::v1::InstrumentationScope& out) {
  out.set_name(std::string(string_or_empty(scope, "name")));
  out.set_version(std::string(string_or_empty(scope, "version")));
  to_key_values(scope, *out.mutable_attributes());
  out.set_dropped_attributes_count(
      static_cast<uint32_t>(unsigned_or_zero(scope, "droppedAttributesCount")));
}

void to_log_record(object record, opentelemetry::proto::logs::v1::LogRecord& out) {
  out.set_time_unix_nano(unsigned_or_zero(record, "timeUnixNano"));
  out.set_observed_time_unix_nano(unsigned_or_zero(record, "observedTimeUnixNano"));
  element severity;
  if (!record["severityNumber"].get(severity)) {
    int64_t number = 0;
    opentelemetry::proto::logs::v1::SeverityNumber named;
    std::string_view name;
    if (read_int64(severity, number) && number >= INT32_MIN && number <= INT32_MAX)
      out.set_severity_number(static_cast<opentelemetry::proto::logs::v1::SeverityNumber>(number));
    else if (!severity.get_string().get(name) &&
             opentelemetry::proto::logs::v1::SeverityNumber_Parse(std::string(name), &named))
      out.set_severity_number(named);
  }
  out.set_severity_text(std::string(string_or_empty(record, "severityText")));
  element body;
  if (!record["body"].get(body) && body.is_object()) to_any_value(body, *out.mutable_body());
  out.set_event_name(std::string(string_or_empty(record, "eventName")));
  to_key_values(record, *out.mutable_attributes());
  out.set_dropped_attributes_count(
      static_cast<uint32_t>(unsigned_or_zero(record, "droppedAttributesCount")));
  out.set_flags(static_cast<uint32_t>(unsigned_or_zero(record, "flags")));
  out.set_trace_id(id_bytes(string_or_empty(record, "traceId")));
  out.set_span_id(id_bytes(string_or_empty(record, "spanId")));
}

}  // namespace cca::ingest
