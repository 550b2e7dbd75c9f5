#include "replay/log_request.h"

#include <charconv>
#include <map>
#include <set>
#include <string_view>

namespace cca::replay {
namespace {

namespace common = opentelemetry::proto::common::v1;
namespace logs = opentelemetry::proto::logs::v1;
using opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;

// The attributes Claude Code 2.1.328 sends as intValue and doubleValue (see the captures in the
// shared datasets); `duration_ms` is a number on API events only, a string on tool results.
const std::set<std::string_view> kIntAttributes = {
    "input_tokens",    "output_tokens", "cache_read_tokens",        "cache_creation_tokens",
    "cost_usd_micros", "ttft_ms",       "cache_creation_5m_tokens", "cache_creation_1h_tokens",
    "event.sequence",  "attempt",       "response_length"};
const std::set<std::string_view> kApiEvents = {"api_request", "api_error"};

bool as_int(std::string_view text, int64_t& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

bool as_double(std::string_view text, double& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

void set_value(const SourceAttribute& attribute, bool numeric_duration, common::AnyValue& value) {
  int64_t integer = 0;
  double number = 0;
  switch (attribute.kind) {
    case SourceAttribute::Kind::kInt:
      if (as_int(attribute.text, integer)) return value.set_int_value(integer);
      break;
    case SourceAttribute::Kind::kDouble:
      if (as_double(attribute.text, number)) return value.set_double_value(number);
      break;
    case SourceAttribute::Kind::kBool:
      return value.set_bool_value(attribute.text == "true");
    case SourceAttribute::Kind::kString: {
      const bool int_key = kIntAttributes.contains(attribute.key) ||
                           (numeric_duration && attribute.key == "duration_ms");
      if (int_key && as_int(attribute.text, integer)) return value.set_int_value(integer);
      if (attribute.key == "cost_usd" && as_double(attribute.text, number))
        return value.set_double_value(number);
      break;
    }
  }
  value.set_string_value(attribute.text);
}

void add_attributes(const std::vector<SourceAttribute>& attributes, bool numeric_duration,
                    google::protobuf::RepeatedPtrField<common::KeyValue>& out) {
  for (const SourceAttribute& attribute : attributes) {
    common::KeyValue* kv = out.Add();
    kv->set_key(attribute.key);
    set_value(attribute, numeric_duration, *kv->mutable_value());
  }
}

std::string_view event_name(const ReplayEvent& event) {
  for (const SourceAttribute& attribute : event.attributes)
    if (attribute.key == "event.name") return attribute.text;
  return {};
}

}  // namespace

ExportLogsServiceRequest logs_request(const std::vector<ReplayEvent>& events) {
  ExportLogsServiceRequest request;
  std::map<std::string_view, logs::ResourceLogs*> by_resource;
  std::map<std::pair<logs::ResourceLogs*, std::string>, logs::ScopeLogs*> by_scope;
  for (const ReplayEvent& event : events) {
    const std::string_view identity =
        event.resource ? std::string_view(event.resource->identity) : std::string_view();
    logs::ResourceLogs*& resource_logs = by_resource[identity];
    if (!resource_logs) {
      resource_logs = request.add_resource_logs();
      if (event.resource)
        add_attributes(event.resource->attributes, false,
                       *resource_logs->mutable_resource()->mutable_attributes());
    }
    logs::ScopeLogs*& scope_logs =
        by_scope[{resource_logs, event.scope_name + '\n' + event.scope_version}];
    if (!scope_logs) {
      scope_logs = resource_logs->add_scope_logs();
      scope_logs->mutable_scope()->set_name(event.scope_name);
      scope_logs->mutable_scope()->set_version(event.scope_version);
    }
    logs::LogRecord* record = scope_logs->add_log_records();
    const uint64_t nanos = static_cast<uint64_t>(event.time_ms) * 1'000'000;
    record->set_time_unix_nano(nanos);
    record->set_observed_time_unix_nano(nanos);
    record->mutable_body()->set_string_value(event.body);
    add_attributes(event.attributes, kApiEvents.contains(event_name(event)),
                   *record->mutable_attributes());
  }
  return request;
}

}  // namespace cca::replay
