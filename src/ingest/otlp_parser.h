#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

#include "ingest/event_batch.h"
#include "ingest/event_builder.h"
#include "opentelemetry/proto/common/v1/common.pb.h"
#include "opentelemetry/proto/logs/v1/logs.pb.h"
#include "opentelemetry/proto/resource/v1/resource.pb.h"

namespace cca::ingest {

// Parses an OTLP/HTTP JSON ExportLogsServiceRequest (resourceLogs / scopeLogs / logRecords,
// attribute values as stringValue / intValue / doubleValue / boolValue / ...).
class OtlpParser {
 public:
  // Validates the whole request first, so that a malformed one stores nothing: throws
  // IngestError saying where it is malformed. Then fills `out`; records that break an ingest
  // rule go to out.rejected.
  void parse(std::string_view body, EventBatch& out);

 private:
  simdjson::dom::parser parser_;
  EventBuilder builder_;
  std::string resource_json_, identity_;
  // Reused for each resource, scope and record read into its message (otlp_json_messages.h).
  opentelemetry::proto::resource::v1::Resource resource_;
  opentelemetry::proto::common::v1::InstrumentationScope scope_;
  opentelemetry::proto::logs::v1::LogRecord record_;
};

}  // namespace cca::ingest
