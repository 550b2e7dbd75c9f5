#pragma once

#include <simdjson.h>

#include <cstdint>

#include "opentelemetry/proto/common/v1/common.pb.h"
#include "opentelemetry/proto/logs/v1/logs.pb.h"
#include "opentelemetry/proto/resource/v1/resource.pb.h"

namespace cca::ingest {

// OTLP/JSON read into the protobuf messages it stands for, so that the JSON path stores and
// hashes a record in the canonical text of otlp_record_json.h: the same record gets the same
// identity however its sender spelled it (field order, defaults left out, 64-bit integers as
// numbers or strings, enums by number or name). Lenient: the request's shape is checked before;
// a value of the wrong JSON type is kept as text where it can be, else left out.

// proto3 JSON spells 64-bit integers as strings; accepts both spellings.
bool read_int64(simdjson::dom::element value, int64_t& out);

void to_any_value(simdjson::dom::element value, opentelemetry::proto::common::v1::AnyValue& out);
void to_resource(simdjson::dom::object resource, opentelemetry::proto::resource::v1::Resource& out);
void to_scope(simdjson::dom::object scope,
              opentelemetry::proto::common::v1::InstrumentationScope& out);
void to_log_record(simdjson::dom::object record, opentelemetry::proto::logs::v1::LogRecord& out);

}  // namespace cca::ingest
