#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

#include "ingest/event_batch.h"
#include "ingest/event_builder.h"

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
  std::string resource_json_;
};

}  // namespace cca::ingest
