#include "server/otlp_http.h"

#include <cctype>
#include <string>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "server/json_writer.h"
#include "server/rpc_status.h"

namespace cca::server {
namespace {

constexpr std::string_view kJsonType = "application/json; charset=utf-8";
constexpr std::string_view kProtobufType = "application/x-protobuf";
// An overloaded server's advice: exporters back off exponentially from there anyway.
constexpr int kRetryAfterSeconds = 1;

// The media type alone, lower case: "Application/JSON; charset=utf-8" is "application/json".
std::string media_type(std::string_view content_type) {
  content_type = content_type.substr(0, content_type.find(';'));
  std::string type;
  for (const char c : content_type)
    if (!std::isspace(static_cast<unsigned char>(c)))
      type += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type;
}

std::string rejection_message(OtlpSignal signal, const ingest::IngestReport& report) {
  std::string reasons;
  for (const auto& [reason, count] : report.rejected_by_reason) {
    if (!reasons.empty()) reasons += ", ";
    reasons += reason + " (" + std::to_string(count) + ")";
  }
  return (signal == OtlpSignal::kLogs ? "log records rejected: " : "data points rejected: ") +
         reasons;
}

template <class Response>
Answer protobuf_answer(const Response& message) {
  return {message.SerializeAsString(), kProtobufType};
}

}  // namespace

bool is_otlp_export(RouteId route) {
  return route == RouteId::kOtlpLogs || route == RouteId::kOtlpMetrics;
}

ingest::OtlpEncoding otlp_request_encoding(std::string_view content_type) {
  const std::string type = media_type(content_type);
  if (type == "application/json") return ingest::OtlpEncoding::kJson;
  if (type == "application/x-protobuf") return ingest::OtlpEncoding::kProtobuf;
  throw ApiError(415, "unsupported_media_type",
                 "an OTLP export takes Content-Type application/json or application/x-protobuf, "
                 "not '" +
                     std::string(content_type) + "'");
}

Answer otlp_export_answer(OtlpSignal signal, ingest::OtlpEncoding encoding,
                          const ingest::IngestReport& report) {
  const auto rejected = static_cast<int64_t>(report.rejected_events);
  if (encoding == ingest::OtlpEncoding::kProtobuf) {
    if (signal == OtlpSignal::kLogs) {
      opentelemetry::proto::collector::logs::v1::ExportLogsServiceResponse response;
      if (rejected > 0) {
        response.mutable_partial_success()->set_rejected_log_records(rejected);
        response.mutable_partial_success()->set_error_message(rejection_message(signal, report));
      }
      return protobuf_answer(response);
    }
    opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceResponse response;
    if (rejected > 0) {
      response.mutable_partial_success()->set_rejected_data_points(rejected);
      response.mutable_partial_success()->set_error_message(rejection_message(signal, report));
    }
    return protobuf_answer(response);
  }
  if (rejected == 0) return {"{}", kJsonType};
  JsonWriter json;
  json.begin_object().key("partialSuccess").begin_object();
  json.key(signal == OtlpSignal::kLogs ? "rejectedLogRecords" : "rejectedDataPoints")
      .value(report.rejected_events);
  json.key("errorMessage").value(rejection_message(signal, report));
  json.end_object().end_object();
  return {json.take(), kJsonType};
}

void send_otlp_error(const httplib::Request& request, httplib::Response& response,
                     const ApiError& error) {
  response.status = error.status();
  if (error.status() == 503) response.set_header("Retry-After", std::to_string(kRetryAfterSeconds));
  if (media_type(request.get_header_value("Content-Type")) == "application/x-protobuf") {
    response.set_content(rpc_status_bytes(error, kRetryAfterSeconds), std::string(kProtobufType));
    return;
  }
  response.set_content(error_body(error.code(), error.what()), std::string(kJsonType));
}

}  // namespace cca::server
