#include "ingest/otlp_record_json.h"

#include "common/hex.h"
#include "ingest/otlp_value_json.h"

namespace cca::ingest {
namespace {

using opentelemetry::proto::common::v1::KeyValue;
using opentelemetry::proto::logs::v1::LogRecord;
using opentelemetry::proto::resource::v1::Resource;

}  // namespace

void resource_as_object(const Resource& resource, std::string& out) {
  out.clear();
  for (const KeyValue& kv : resource.attributes()) {
    out += out.empty() ? '{' : ',';
    append_json_string(out, kv.key());
    out += ':';
    append_any_value_inner(out, kv.value());
  }
  if (!out.empty()) out += '}';
}

void record_json(const LogRecord& record, std::string& out) {
  out.clear();
  out += '{';
  auto field = [&](std::string_view name) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += name;
    out += "\":";
  };
  if (record.time_unix_nano() != 0) {
    field("timeUnixNano");
    out += '"';
    out += std::to_string(record.time_unix_nano());
    out += '"';
  }
  if (record.observed_time_unix_nano() != 0) {
    field("observedTimeUnixNano");
    out += '"';
    out += std::to_string(record.observed_time_unix_nano());
    out += '"';
  }
  if (record.severity_number() != 0) {
    field("severityNumber");
    out += std::to_string(record.severity_number());
  }
  if (!record.severity_text().empty()) {
    field("severityText");
    append_json_string(out, record.severity_text());
  }
  if (record.has_body()) {
    field("body");
    append_any_value(out, record.body());
  }
  if (!record.event_name().empty()) {
    field("eventName");
    append_json_string(out, record.event_name());
  }
  field("attributes");
  append_key_values(out, record.attributes());
  field("droppedAttributesCount");
  out += std::to_string(record.dropped_attributes_count());
  if (record.flags() != 0) {
    field("flags");
    out += std::to_string(record.flags());
  }
  if (!record.trace_id().empty()) {
    field("traceId");
    out += '"';
    append_hex(out, record.trace_id());
    out += '"';
  }
  if (!record.span_id().empty()) {
    field("spanId");
    out += '"';
    append_hex(out, record.span_id());
    out += '"';
  }
  out += '}';
}

}  // namespace cca::ingest
