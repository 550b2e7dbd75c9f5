#pragma once

#include <string>

#include "opentelemetry/proto/common/v1/common.pb.h"

namespace cca::ingest {

// Protobuf OTLP values written as the OTLP/JSON text the JSON path receives from Claude Code's
// exporter, so that both encodings store the same text: {"stringValue": ...} wrappers, 64-bit
// integers as JSON numbers, bytes as base64, strings escaped as simdjson's minify escapes them.

// A JSON string literal for `text`.
void append_json_string(std::string& out, std::string_view text);
// The value inside an AnyValue wrapper: "text", 42, true, {"values": [...]}; null when unset.
void append_any_value_inner(std::string& out,
                            const opentelemetry::proto::common::v1::AnyValue& value);
// A whole AnyValue: {"stringValue": "text"}, {} when unset.
void append_any_value(std::string& out, const opentelemetry::proto::common::v1::AnyValue& value);
// [{"key": k, "value": {...}}, ...]
void append_key_values(
    std::string& out,
    const google::protobuf::RepeatedPtrField<opentelemetry::proto::common::v1::KeyValue>& values);
// {"name": ..., "version": ..., "attributes": [...]}, fields left out when empty.
std::string scope_json(const opentelemetry::proto::common::v1::InstrumentationScope& scope);

}  // namespace cca::ingest
