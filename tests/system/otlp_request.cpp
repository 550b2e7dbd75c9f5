#include "system/otlp_request.h"

#include <google/protobuf/util/json_util.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"

namespace cca::system_test {
namespace {

nlohmann::json string_attribute(const std::string& key, const std::string& value) {
  return {{"key", key}, {"value", {{"stringValue", value}}}};
}

}  // namespace

std::string otlp_logs_json(int first, int records) {
  nlohmann::json log_records = nlohmann::json::array();
  for (int i = first; i < first + records; ++i) {
    const int second = i % 60, minute = i / 60 % 60;
    char timestamp[32];
    std::snprintf(timestamp, sizeof timestamp, "2026-01-20T10:%02d:%02d.000Z", minute, second);
    log_records.push_back(
        {{"timeUnixNano", "1768903200000000000"},
         {"body", {{"stringValue", "claude_code.user_prompt"}}},
         {"attributes",
          {string_attribute("event.name", "user_prompt"),
           string_attribute("event.timestamp", timestamp),
           string_attribute("session.id", "otlp-session-" + std::to_string(i / 10)),
           string_attribute("user.email", "otlp.user@example.com"),
           {{"key", "prompt_length"}, {"value", {{"intValue", std::to_string(100 + i)}}}}}}});
  }
  const nlohmann::json request = {
      {"resourceLogs",
       {{{"resource", {{"attributes", {string_attribute("service.name", "claude-code")}}}},
         {"scopeLogs",
          {{{"scope", {{"name", "com.anthropic.claude_code.events"}}},
            {"logRecords", log_records}}}}}}}};
  return request.dump();
}

std::string otlp_logs_protobuf(int first, int records) {
  opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest request;
  const auto status =
      google::protobuf::util::JsonStringToMessage(otlp_logs_json(first, records), &request);
  if (!status.ok()) throw std::runtime_error("OTLP JSON to protobuf: " + status.ToString());
  return request.SerializeAsString();
}

}  // namespace cca::system_test
