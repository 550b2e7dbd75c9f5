#include "server/telemetry_text.h"

#include <zlib.h>

#include <random>
#include <stdexcept>

#include "common/time_util.h"

namespace cca::testing {
namespace {

nlohmann::json message_of(const TelemetryEvent& e) {
  nlohmann::json attributes = e.attributes;
  attributes["event.name"] = e.name;
  attributes["event.timestamp"] = format_rfc3339_ms(e.time_ms);
  attributes["session.id"] = e.session_id;
  attributes["user.email"] = e.email;
  attributes["terminal.type"] = "vscode";
  for (auto& [key, value] : attributes.items())
    if (!value.is_string()) value = value.dump();  // CloudWatch messages carry strings only
  return {{"body", "claude_code." + e.name},
          {"attributes", attributes},
          {"scope", {{"name", "com.anthropic.claude_code.events"}, {"version", "2.1.50"}}},
          {"resource",
           {{"service.version", "2.1.50"}, {"os.type", "linux"}, {"user.practice", e.practice}}}};
}

nlohmann::json otlp_value(const nlohmann::json& value) {
  if (value.is_string()) return {{"stringValue", value}};
  if (value.is_number_integer()) return {{"intValue", std::to_string(value.get<int64_t>())}};
  if (value.is_boolean()) return {{"boolValue", value}};
  return {{"doubleValue", value}};
}

}  // namespace

std::string cloudwatch_line(const std::vector<TelemetryEvent>& events) {
  nlohmann::json log_events = nlohmann::json::array();
  for (const TelemetryEvent& e : events)
    log_events.push_back(
        {{"id", e.id}, {"timestamp", e.time_ms}, {"message", message_of(e).dump()}});
  return nlohmann::json{{"messageType", "DATA_MESSAGE"},
                        {"owner", "123456789012"},
                        {"logGroup", "/claude-code/telemetry"},
                        {"logStream", "otel-collector"},
                        {"logEvents", log_events}}
      .dump();
}

std::string otlp_request(const std::vector<TelemetryEvent>& events) {
  nlohmann::json records = nlohmann::json::array();
  for (const TelemetryEvent& e : events) {
    nlohmann::json attributes = nlohmann::json::array();
    nlohmann::json all = e.attributes;
    all["event.name"] = e.name;
    all["event.timestamp"] = format_rfc3339_ms(e.time_ms);
    all["session.id"] = e.session_id;
    all["user.email"] = e.email;
    for (const auto& [key, value] : all.items())
      attributes.push_back({{"key", key}, {"value", otlp_value(value)}});
    records.push_back({{"timeUnixNano", std::to_string(e.time_ms * 1'000'000)},
                       {"body", {{"stringValue", "claude_code." + e.name}}},
                       {"attributes", attributes}});
  }
  nlohmann::json resource = {
      {"attributes",
       nlohmann::json::array({{{"key", "service.version"}, {"value", {{"stringValue", "2.1.50"}}}},
                              {{"key", "user.practice"}, {"value", {{"stringValue", "Data"}}}}})}};
  return nlohmann::json{
      {"resourceLogs", nlohmann::json::array(
                           {{{"resource", resource},
                             {"scopeLogs", nlohmann::json::array({{{"logRecords", records}}})}}})}}
      .dump();
}

std::vector<TelemetryEvent> telemetry_events(uint64_t seed, int sessions, int64_t start_ms) {
  std::mt19937_64 random(seed);
  std::vector<TelemetryEvent> events;
  const char* models[] = {"claude-opus-4-6", "claude-haiku-4-5"};
  for (int s = 0; s < sessions; ++s) {
    int64_t t = start_ms + static_cast<int64_t>(random() % (3 * kMsPerDay));
    const std::string session = "http-" + std::to_string(seed) + "-" + std::to_string(s);
    const std::string email = "dev" + std::to_string(random() % 5) + "@example.com";
    const int count = 3 + static_cast<int>(random() % 20);
    for (int n = 0; n < count; ++n) {
      TelemetryEvent e;
      e.id = std::to_string(seed) + std::to_string(1'000'000 + events.size());
      e.time_ms = t;
      e.session_id = session;
      e.email = email;
      e.practice = "Data Engineering";
      switch (random() % 3) {
        case 0:
          e.name = "api_request";
          e.attributes = {{"model", models[random() % 2]},
                          {"input_tokens", static_cast<int64_t>(random() % 1000)},
                          {"output_tokens", static_cast<int64_t>(random() % 500)},
                          {"cache_read_tokens", static_cast<int64_t>(random() % 10000)},
                          {"cache_creation_tokens", static_cast<int64_t>(random() % 900)},
                          {"cost_usd", static_cast<double>(random() % 100000) / 1e6},
                          {"duration_ms", static_cast<int64_t>(random() % 20000)}};
          break;
        case 1:
          e.name = "tool_result";
          e.attributes = {{"tool_name", "Bash"},
                          {"success", random() % 10 == 0 ? "false" : "true"},
                          {"duration_ms", static_cast<int64_t>(random() % 3000)}};
          break;
        default:
          e.name = "user_prompt";
          e.attributes = {{"prompt", "<REDACTED>"},
                          {"prompt_length", static_cast<int64_t>(random() % 400)}};
      }
      events.push_back(std::move(e));
      t += 1000 + static_cast<int64_t>(random() % 60000);
    }
  }
  return events;
}

std::string gzip(const std::string& bytes) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&stream, bytes.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

}  // namespace cca::testing
