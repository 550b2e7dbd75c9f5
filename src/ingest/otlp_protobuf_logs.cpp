#include "ingest/otlp_protobuf_logs.h"

#include <google/protobuf/arena.h>
#include <google/protobuf/unknown_field_set.h>

#include <climits>
#include <cmath>

#include "common/hash128.h"
#include "ingest/ingestor.h"
#include "ingest/otlp_record_json.h"
#include "ingest/otlp_value_json.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"

namespace cca::ingest {
namespace {

using opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
using opentelemetry::proto::common::v1::AnyValue;
using opentelemetry::proto::common::v1::KeyValue;
using opentelemetry::proto::logs::v1::LogRecord;
using opentelemetry::proto::resource::v1::Resource;

constexpr size_t kArenaBlockBytes = 256 << 10;

[[noreturn]] void invalid(const std::string& why) {
  throw IngestError("not a valid OTLP logs request: " + why);
}

// Protobuf parsers keep a field whose wire type contradicts its declaration as an unknown field.
// Unknown numbers are a newer schema's fields and are ignored; a known number in the wrong wire
// type is a malformed request.
template <class Message>
void check_wire_types(const Message& message) {
  const auto& unknown = message.GetReflection()->GetUnknownFields(message);
  if (unknown.empty()) return;
  for (int i = 0; i < unknown.field_count(); ++i) {
    if (const auto* field = Message::descriptor()->FindFieldByNumber(unknown.field(i).number()))
      invalid(std::string(Message::descriptor()->name()) + "." + field->name() +
              " has the wrong wire type");
  }
}

void check_value(const AnyValue& value);

void check_key_values(const google::protobuf::RepeatedPtrField<KeyValue>& values) {
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

// Pass 1, before anything is read into events: every message of the request is well formed.
void check_request(const ExportLogsServiceRequest& request) {
  check_wire_types(request);
  for (const auto& resource_logs : request.resource_logs()) {
    check_wire_types(resource_logs);
    check_wire_types(resource_logs.resource());
    check_key_values(resource_logs.resource().attributes());
    for (const auto& entity : resource_logs.resource().entity_refs()) check_wire_types(entity);
    for (const auto& scope_logs : resource_logs.scope_logs()) {
      check_wire_types(scope_logs);
      check_wire_types(scope_logs.scope());
      check_key_values(scope_logs.scope().attributes());
      for (const LogRecord& record : scope_logs.log_records()) {
        check_wire_types(record);
        check_value(record.body());
        check_key_values(record.attributes());
      }
    }
  }
}

// The value as the JSON path's any_value() reads the same value from OTLP/JSON.
AttributeValue attribute_value(const AnyValue& value, std::string& scratch) {
  switch (value.value_case()) {
    case AnyValue::kStringValue:
      return AttributeValue::string(value.string_value());
    case AnyValue::kBoolValue:
      return AttributeValue::boolean_value(value.bool_value());
    case AnyValue::kIntValue:
      scratch = std::to_string(value.int_value());
      return AttributeValue::num(static_cast<double>(value.int_value()), scratch);
    case AnyValue::kDoubleValue: {
      const double number = value.double_value();
      scratch.clear();
      append_any_value_inner(scratch, value);
      // JSON carries NaN and the infinities as the strings "NaN", "Infinity", "-Infinity".
      if (!std::isfinite(number))
        return AttributeValue::string(std::string_view(scratch).substr(1, scratch.size() - 2));
      return AttributeValue::num(number, scratch);
    }
    case AnyValue::kArrayValue:
    case AnyValue::kKvlistValue:
    case AnyValue::kBytesValue:
      scratch.clear();
      append_any_value_inner(scratch, value);
      return AttributeValue::composite(scratch);
    case AnyValue::VALUE_NOT_SET:
      break;
  }
  return AttributeValue::null();
}

int64_t unix_nano_to_ms(uint64_t nanos) {
  return nanos == 0 || nanos > static_cast<uint64_t>(INT64_MAX)
             ? -1
             : static_cast<int64_t>(nanos / 1'000'000);
}

}  // namespace

OtlpProtobufLogs::OtlpProtobufLogs() : arena_block_(new char[kArenaBlockBytes]) {}
OtlpProtobufLogs::~OtlpProtobufLogs() = default;

void OtlpProtobufLogs::parse(std::string_view body, EventBatch& out) {
  google::protobuf::ArenaOptions options;
  options.initial_block = arena_block_.get();
  options.initial_block_size = kArenaBlockBytes;
  google::protobuf::Arena arena(options);
  auto* request = google::protobuf::Arena::CreateMessage<ExportLogsServiceRequest>(&arena);
  if (body.size() > static_cast<size_t>(INT_MAX) ||
      !request->ParseFromArray(body.data(), static_cast<int>(body.size())))
    invalid("the body does not parse as a protobuf ExportLogsServiceRequest");
  check_request(*request);

  uint64_t record_number = 0;
  for (const auto& resource_logs : request->resource_logs()) {
    const bool has_resource = resource_logs.has_resource();
    const Resource& resource = resource_logs.resource();
    resource_as_object(resource, resource_json_);
    for (const auto& scope_logs : resource_logs.scope_logs()) {
      if (scope_logs.has_scope()) {
        scope_json_ = scope_json(scope_logs.scope());
      } else {
        scope_json_.clear();
      }
      for (const LogRecord& record : scope_logs.log_records()) {
        ++record_number;
        record_json(record, raw_);
        builder_.begin(out);
        if (!resource_json_.empty()) builder_.resource_json(resource_json_);
        if (!scope_json_.empty()) builder_.scope_json(scope_json_);
        if (has_resource) {
          for (const KeyValue& kv : resource.attributes()) {
            if (!kv.has_value()) continue;
            builder_.resource_attribute(kv.key(), attribute_value(kv.value(), scratch_));
          }
        }
        for (const KeyValue& kv : record.attributes()) {
          builder_.attribute(kv.key(), kv.has_value() ? attribute_value(kv.value(), scratch_)
                                                      : AttributeValue::null());
        }
        if (record.body().value_case() == AnyValue::kStringValue)
          builder_.body(record.body().string_value());
        int64_t time_ms = unix_nano_to_ms(record.time_unix_nano());
        if (time_ms < 0) time_ms = unix_nano_to_ms(record.observed_time_unix_nano());
        if (time_ms >= 0) builder_.fallback_time_ms(time_ms);
        // Records carry no id: their identity is their content, resource and scope included,
        // in the canonical text the JSON path hashes too.
        identity_ = resource_json_;
        identity_ += '\n';
        identity_ += scope_json_;
        identity_ += '\n';
        identity_ += raw_;
        builder_.finish(hash128(identity_), raw_, record_number);
      }
    }
  }
}

}  // namespace cca::ingest
