#pragma once

#include <httplib.h>

#include <string_view>

#include "ingest/ingest_report.h"
#include "ingest/otlp_encoding.h"
#include "server/analytics_endpoints.h"
#include "server/api_error.h"
#include "server/routes.h"

namespace cca::server {

// OTLP/HTTP transport, shared by every OTLP export endpoint (/v1/logs, /v1/metrics): which
// encoding a request is in, and the answers in that encoding. The body reaches the endpoint
// already inflated: httplib decodes Content-Encoding gzip (and deflate, br) while the server
// reads it, and the server's body limit (--max-body-mb) applies to the inflated bytes.

enum class OtlpSignal { kLogs, kMetrics };

// The OTLP export routes, whose answers and errors follow the OTLP/HTTP specification.
bool is_otlp_export(RouteId route);

// The encoding a Content-Type names (parameters such as charset ignored, case-insensitive):
// application/json or application/x-protobuf. Throws ApiError 415 for any other.
ingest::OtlpEncoding otlp_request_encoding(std::string_view content_type);

// A successful export's answer: an Export<Signal>ServiceResponse, as OTLP/JSON ("{}" or
// {"partialSuccess": ...}) or protobuf, with partial_success set when records were rejected.
Answer otlp_export_answer(OtlpSignal signal, ingest::OtlpEncoding encoding,
                          const ingest::IngestReport& report);

// Answers a refused OTLP export: a protobuf request gets a google.rpc.Status (the OTLP/HTTP
// specification's error body for protobuf; with RetryInfo for a 503), any other the API's JSON
// error body. A 503 carries Retry-After, which OTLP exporters honour.
void send_otlp_error(const httplib::Request& request, httplib::Response& response,
                     const ApiError& error);

}  // namespace cca::server
