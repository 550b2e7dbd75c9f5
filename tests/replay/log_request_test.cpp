// The OTLP request built for a batch of CloudWatch events, checked by decoding its protobuf
// encoding back.
#include "replay/log_request.h"

#include <gtest/gtest.h>

#include <map>

namespace cca::replay {
namespace {

using opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
using opentelemetry::proto::common::v1::AnyValue;

ReplayEvent event(const std::string& name, std::shared_ptr<const SharedAttributes> resource,
                  std::vector<SourceAttribute> own) {
  ReplayEvent e;
  e.time_ms = 1767321660123;
  e.body = "claude_code." + name;
  e.session = "s-1";
  e.scope_name = "com.anthropic.claude_code.events";
  e.scope_version = "2.1.39";
  e.resource = std::move(resource);
  e.attributes = {{"event.name", name}, {"session.id", "s-1"}};
  for (auto& attribute : own) e.attributes.push_back(std::move(attribute));
  return e;
}

std::shared_ptr<const SharedAttributes> resource(const std::string& host) {
  auto shared = std::make_shared<SharedAttributes>();
  shared->identity = "{\"host.name\":\"" + host + "\"}";
  shared->attributes = {{"host.name", host}, {"user.practice", "Data Engineering"}};
  return shared;
}

std::map<std::string, AnyValue> attributes_of(
    const opentelemetry::proto::logs::v1::LogRecord& record) {
  std::map<std::string, AnyValue> out;
  for (const auto& kv : record.attributes()) out[kv.key()] = kv.value();
  return out;
}

TEST(LogRequestTest, TypesAttributesAsClaudeCodeSendsThem) {
  const auto laptop = resource("laptop");
  const std::vector<ReplayEvent> events = {
      event("api_request", laptop,
            {{"input_tokens", "123"},
             {"cost_usd", "0.0936937347300842"},
             {"duration_ms", "27262"},
             {"model", "claude-sonnet-4-5-20250929"}}),
      event("tool_result", laptop,
            {{"duration_ms", "12"}, {"success", "true"}, {"tool_name", "Edit"}}),
      event("api_error", laptop, {{"status_code", "undefined"}, {"attempt", "2"}}),
  };
  ExportLogsServiceRequest decoded;
  ASSERT_TRUE(decoded.ParseFromString(logs_request(events).SerializeAsString()));
  ASSERT_EQ(1, decoded.resource_logs_size());
  const auto& scope = decoded.resource_logs(0).scope_logs(0);
  EXPECT_EQ("com.anthropic.claude_code.events", scope.scope().name());
  EXPECT_EQ("2.1.39", scope.scope().version());
  ASSERT_EQ(3, scope.log_records_size());

  const auto& api = scope.log_records(0);
  EXPECT_EQ(1767321660123000000ULL, api.time_unix_nano());
  EXPECT_EQ("claude_code.api_request", api.body().string_value());
  auto values = attributes_of(api);
  EXPECT_EQ(123, values["input_tokens"].int_value());
  EXPECT_DOUBLE_EQ(0.0936937347300842, values["cost_usd"].double_value());
  EXPECT_EQ(27262, values["duration_ms"].int_value());
  EXPECT_EQ("claude-sonnet-4-5-20250929", values["model"].string_value());
  EXPECT_EQ("s-1", values["session.id"].string_value());

  values = attributes_of(scope.log_records(1));
  EXPECT_EQ("12", values["duration_ms"].string_value());  // a string on tool results
  EXPECT_EQ("true", values["success"].string_value());

  values = attributes_of(scope.log_records(2));
  EXPECT_EQ("undefined", values["status_code"].string_value());
  EXPECT_EQ(2, values["attempt"].int_value());
}

TEST(LogRequestTest, OneResourceLogsPerResourceRecordsInOrder) {
  const auto laptop = resource("laptop");
  const auto desktop = resource("desktop");
  const std::vector<ReplayEvent> events = {
      event("user_prompt", laptop, {{"prompt_length", "10"}}),
      event("user_prompt", desktop, {{"prompt_length", "20"}}),
      event("user_prompt", laptop, {{"prompt_length", "30"}}),
  };
  ExportLogsServiceRequest decoded;
  ASSERT_TRUE(decoded.ParseFromString(logs_request(events).SerializeAsString()));
  ASSERT_EQ(2, decoded.resource_logs_size());
  std::map<std::string, std::vector<std::string>> lengths;
  for (const auto& resource_logs : decoded.resource_logs()) {
    std::string host;
    for (const auto& kv : resource_logs.resource().attributes())
      if (kv.key() == "host.name") host = kv.value().string_value();
    EXPECT_EQ(2, resource_logs.resource().attributes_size());
    for (const auto& scope : resource_logs.scope_logs())
      for (const auto& record : scope.log_records())
        lengths[host].push_back(attributes_of(record)["prompt_length"].string_value());
  }
  EXPECT_EQ((std::vector<std::string>{"10", "30"}), lengths["laptop"]);
  EXPECT_EQ((std::vector<std::string>{"20"}), lengths["desktop"]);
}

}  // namespace
}  // namespace cca::replay
