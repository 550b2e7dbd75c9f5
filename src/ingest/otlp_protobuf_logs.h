#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ingest/event_batch.h"
#include "ingest/event_builder.h"

namespace cca::ingest {

// Walks a protobuf ExportLogsServiceRequest (OTLP/HTTP application/x-protobuf and OTLP/gRPC)
// into events with the semantics of the JSON path (OtlpParser): the same attributes reach the
// same EventBuilder, and the resource, scope and quarantined records are kept as the OTLP/JSON
// text a JSON sender would have posted.
class OtlpProtobufLogs {
 public:
  OtlpProtobufLogs();
  ~OtlpProtobufLogs();

  // Throws IngestError, filling nothing, when the body is not an ExportLogsServiceRequest.
  // Otherwise fills `out`; records that break an ingest rule go to out.rejected.
  void parse(std::string_view body, EventBatch& out);

 private:
  EventBuilder builder_;
  // The arena's first block, kept between requests: most requests then parse without a malloc.
  std::unique_ptr<char[]> arena_block_;
  std::string resource_json_, scope_json_, raw_, identity_, scratch_;
};

}  // namespace cca::ingest
