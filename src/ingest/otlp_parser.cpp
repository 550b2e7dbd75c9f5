#include "ingest/otlp_parser.h"

#include <charconv>
#include <cmath>
#include <vector>

#include "ingest/ingestor.h"
#include "ingest/otlp_json_messages.h"
#include "ingest/otlp_record_json.h"
#include "ingest/otlp_value_json.h"
#include "ingest/rejection.h"

namespace cca::ingest {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

[[noreturn]] void invalid(const std::string& where, const std::string& why) {
  throw IngestError("not a valid OTLP logs request: " + where + " " + why);
}

// The elements of the optional array `key` of `parent` (none when absent or null);
// invalid() when present but not an array.
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

AttributeValue any_value(element value, std::string& scratch) {
  object any;
  if (value.get_object().get(any)) return AttributeValue::null();
  for (auto [kind, inner] : any) {
    if (kind == "stringValue") {
      std::string_view text;
      if (!inner.get_string().get(text)) return AttributeValue::string(text);
    } else if (kind == "intValue") {
      int64_t number;
      if (read_int64(inner, number)) {
        scratch = std::to_string(number);
        return AttributeValue::num(static_cast<double>(number), scratch);
      }
      std::string_view text;
      if (!inner.get_string().get(text)) return AttributeValue::string(text);  // rejected later
    } else if (kind == "doubleValue") {
      double number;
      if (!inner.get_double().get(number)) {
        scratch = simdjson::minify(inner);
        return AttributeValue::num(number, scratch);
      }
      std::string_view text;  // "NaN", "Infinity" are legal proto3 JSON doubles
      if (!inner.get_string().get(text)) return AttributeValue::string(text);
    } else if (kind == "boolValue") {
      bool b;
      if (!inner.get_bool().get(b)) return AttributeValue::boolean_value(b);
    } else {
      scratch = simdjson::minify(inner);
      return AttributeValue::composite(scratch);
    }
  }
  return AttributeValue::null();
}

int64_t unix_nano_to_ms(object record, std::string_view key) {
  element value;
  int64_t nanos = 0;
  if (record[key].get(value) || !read_int64(value, nanos) || nanos <= 0) return -1;
  return nanos / 1'000'000;
}

}  // namespace

void OtlpParser::parse(std::string_view body, EventBatch& out) {
  element root;
  if (parser_.parse(body.data(), body.size()).get(root)) invalid("the body", "is not valid JSON");
  object request = required_object(root, "the body");

  // Pass 1: the request's shape. Nothing is stored unless all of it is well formed.
  size_t r = 0;
  for (element resource_logs : optional_array(request, "resourceLogs", "request")) {
    const std::string at_r = "resourceLogs[" + std::to_string(r++) + "]";
    object rl = required_object(resource_logs, at_r);
    element resource;
    if (!rl["resource"].get(resource)) check_attributes(required_object(resource, at_r + ".resource"), at_r + ".resource");
    size_t s = 0;
    for (element scope_logs : optional_array(rl, "scopeLogs", at_r)) {
      const std::string at_s = at_r + ".scopeLogs[" + std::to_string(s++) + "]";
      object sl = required_object(scope_logs, at_s);
      size_t l = 0;
      for (element log_record : optional_array(sl, "logRecords", at_s)) {
        const std::string at_l = at_s + ".logRecords[" + std::to_string(l++) + "]";
        check_attributes(required_object(log_record, at_l), at_l);
      }
    }
  }

  // Pass 2: the records.
  std::string scratch;
  uint64_t record_number = 0;
  for (element resource_logs : optional_array(request, "resourceLogs", "request")) {
    object rl = resource_logs.get_object().value_unsafe();
    element resource_element;
    object resource;
    const bool has_resource = !rl["resource"].get(resource_element) &&
                              !resource_element.get_object().get(resource);
    // The resource, scope and record as protobuf messages: stored and hashed in the canonical
    // text the protobuf path uses, whatever the sender's spelling.
    resource_.Clear();
    if (has_resource) to_resource(resource, resource_);
    resource_as_object(resource_, resource_json_);
    for (element scope_logs : optional_array(rl, "scopeLogs", "")) {
      object sl = scope_logs.get_object().value_unsafe();
      object scope;
      scope_.Clear();
      const bool has_scope = !sl["scope"].get_object().get(scope);
      if (has_scope) to_scope(scope, scope_);
      const std::string scope_text = has_scope ? scope_json(scope_) : std::string();
      for (element log_record : optional_array(sl, "logRecords", "")) {
        ++record_number;
        object record = log_record.get_object().value_unsafe();
        const std::string raw = simdjson::minify(log_record);
        builder_.begin(out);
        if (!resource_json_.empty()) builder_.resource_json(resource_json_);
        if (!scope_text.empty()) builder_.scope_json(scope_text);
        if (has_resource) {
          for (element attribute : optional_array(resource, "attributes", "")) {
            object kv = attribute.get_object().value_unsafe();
            element value;
            if (kv["value"].get(value)) continue;
            builder_.resource_attribute(kv["key"].get_string().value_unsafe(), any_value(value, scratch));
          }
        }
        for (element attribute : optional_array(record, "attributes", "")) {
          object kv = attribute.get_object().value_unsafe();
          element value;
          builder_.attribute(kv["key"].get_string().value_unsafe(),
                             kv["value"].get(value) ? AttributeValue::null() : any_value(value, scratch));
        }
        element body;
        std::string_view body_text;
        if (!record["body"].get(body) && body.is_object() &&
            !body["stringValue"].get_string().get(body_text))
          builder_.body(body_text);
        int64_t time_ms = unix_nano_to_ms(record, "timeUnixNano");
        if (time_ms < 0) time_ms = unix_nano_to_ms(record, "observedTimeUnixNano");
        if (time_ms >= 0) builder_.fallback_time_ms(time_ms);
        // OTLP records carry no id: their identity is their content, resource and scope included,
        // in the canonical text (the protobuf path hashes the same), not as this sender spelled it.
        record_.Clear();
        to_log_record(record, record_);
        record_json(record_, identity_);
        const Hash128 key = hash128(resource_json_ + '\n' + scope_text + '\n' + identity_);
        builder_.finish(key, raw, record_number);
      }
    }
  }
}

}  // namespace cca::ingest
