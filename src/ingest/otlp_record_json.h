#pragma once

#include <string>

#include "opentelemetry/proto/logs/v1/logs.pb.h"
#include "opentelemetry/proto/resource/v1/resource.pb.h"

namespace cca::ingest {

// The canonical text of an OTLP log record and of its resource, whichever encoding delivered
// them: what is stored, and what a record's identity is hashed over, so that a record sent twice
// is stored once however its sender spelled it.

// The resource as {"key": value, ...}, the shape a CloudWatch batch carries it in; empty when it
// has no attributes.
void resource_as_object(const opentelemetry::proto::resource::v1::Resource& resource,
                        std::string& out);

// The record as OTLP/JSON, fields in the order the OpenTelemetry JS exporter (Claude Code's)
// writes them and left out when it leaves them out.
void record_json(const opentelemetry::proto::logs::v1::LogRecord& record, std::string& out);

}  // namespace cca::ingest
