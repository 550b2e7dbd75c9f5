// Any bytes as a protobuf ExportLogsServiceRequest (OTLP/HTTP x-protobuf, OTLP/gRPC). Only
// IngestError may escape, and then nothing was filled. A request the parser takes parses with the
// generated message too, and every log record is accounted for once; written out as OTLP/JSON by
// protobuf's own JSON printer, the JSON path (OtlpParser) takes it and finds the same events.
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/json_util.h>

#include <climits>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "ingest/ingestor.h"
#include "ingest/otlp_parser.h"
#include "ingest/otlp_protobuf_logs.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"

using opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;

// Invalid UTF-8 in a string field makes protobuf log a line per input: silenced, the parse
// result says it all.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  static cca::ingest::OtlpProtobufLogs parser;
  static cca::ingest::OtlpParser json_parser;
  cca::ingest::EventBatch batch;
  try {
    parser.parse(body, batch);
  } catch (const cca::ingest::IngestError&) {
    FUZZ_REQUIRE(batch.events.empty() && batch.rejected.empty());
    return 0;
  }
  for (const auto& event : batch.events) cca::fuzz::check_accepted_event(event);
  std::set<uint64_t> rejected_numbers;
  for (const auto& r : batch.rejected) {
    FUZZ_REQUIRE(r.line >= 1 && rejected_numbers.insert(r.line).second);
    cca::fuzz::touch(r.raw);
  }

  ExportLogsServiceRequest request;
  FUZZ_REQUIRE(request.ParseFromArray(data, static_cast<int>(size)));
  size_t records = 0;
  for (const auto& resource_logs : request.resource_logs())
    for (const auto& scope_logs : resource_logs.scope_logs())
      records += scope_logs.log_records_size();
  FUZZ_REQUIRE(batch.events.size() + batch.rejected.size() == records);

  // The same request in the other encoding: the two paths share their rules.
  // OTLP/JSON writes enums as integers (the OTLP specification departs from proto3 JSON there);
  // empty strings and zeros are written too, as OTLP exporters do (the JSON path requires a
  // KeyValue's key even when it is empty).
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_enums_as_ints = true;
  options.always_print_primitive_fields = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(request, &json, options).ok()) return 0;
  cca::ingest::EventBatch from_json;
  try {
    json_parser.parse(json, from_json);
  } catch (const cca::ingest::IngestError& error) {
    std::fprintf(stderr, "JSON path refused %s: %s\n", json.c_str(), error.what());
    FUZZ_REQUIRE(!"the JSON path refuses a request the protobuf path took");
  }
  FUZZ_REQUIRE(from_json.events.size() == batch.events.size());
  FUZZ_REQUIRE(from_json.rejected.size() == batch.rejected.size());
  for (size_t i = 0; i < batch.events.size(); ++i) {
    FUZZ_REQUIRE(from_json.events[i].event_name == batch.events[i].event_name);
    FUZZ_REQUIRE(from_json.events[i].user == batch.events[i].user);
    FUZZ_REQUIRE(from_json.events[i].time_ms == batch.events[i].time_ms);
  }
  return 0;
}
