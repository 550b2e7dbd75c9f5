// OTLP/HTTP transport of POST /v1/logs: JSON and protobuf requests, gzip, answers in the
// request's encoding, refused requests, and load shedding.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "engine/temp_store.h"
#include "google/rpc/status.pb.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "server/running_server.h"
#include "server/telemetry_text.h"
#include "support/test_support.h"

namespace cca::server {
namespace {

using nlohmann::json;
using opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
using opentelemetry::proto::collector::logs::v1::ExportLogsServiceResponse;

constexpr const char* kFixtures = "claude-code-2.1.328-otlp";
constexpr const char* kProtobuf = "application/x-protobuf";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string to_protobuf(const std::string& otlp_json) {
  ExportLogsServiceRequest request;
  const auto status = google::protobuf::util::JsonStringToMessage(otlp_json, &request);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return request.SerializeAsString();
}

json get_json(httplib::Client& client, const std::string& target) {
  const auto response = client.Get(target);
  if (!response) return json();
  EXPECT_EQ(200, response->status) << target << " " << response->body;
  return json::parse(response->body);
}

// What a request holds by the contract's definitions, read without the server's code: protobuf's
// own JSON printer, then plain JSON walking.
struct Expected {
  std::map<std::string, int64_t> events_by_name;
  std::set<std::string> sessions, users;
  double input_tokens = 0, output_tokens = 0, cache_read_tokens = 0, cache_creation_tokens = 0;
  double cost_usd = 0;
  int64_t events = 0;
};

double number_of(const json& value) {
  if (value.contains("intValue")) {
    const json& v = value["intValue"];
    return v.is_string() ? std::stod(v.get<std::string>()) : v.get<double>();
  }
  if (value.contains("doubleValue")) return value["doubleValue"].get<double>();
  if (value.contains("stringValue")) return std::stod(value["stringValue"].get<std::string>());
  return 0;
}

Expected expected_from(const std::string& protobuf_body) {
  ExportLogsServiceRequest request;
  EXPECT_TRUE(request.ParseFromString(protobuf_body));
  std::string text;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(request, &text).ok());
  Expected expected;
  const json document = json::parse(text);
  for (const json& resource_logs : document["resourceLogs"]) {
    for (const json& scope_logs : resource_logs["scopeLogs"]) {
      for (const json& record : scope_logs["logRecords"]) {
        std::map<std::string, json> attributes;
        for (const json& kv : record["attributes"]) attributes[kv["key"]] = kv["value"];
        const std::string name = attributes.at("event.name")["stringValue"];
        ++expected.events;
        ++expected.events_by_name[name];
        expected.sessions.insert(attributes.at("session.id")["stringValue"].get<std::string>());
        if (attributes.contains("user.email")) {
          std::string email = attributes["user.email"]["stringValue"];
          std::transform(email.begin(), email.end(), email.begin(), ::tolower);
          expected.users.insert(email);
        } else {
          expected.users.insert(attributes.at("user.id")["stringValue"].get<std::string>());
        }
        if (name != "api_request") continue;
        auto sum = [&](const char* key, double& into) {
          if (attributes.contains(key)) into += number_of(attributes[key]);
        };
        sum("input_tokens", expected.input_tokens);
        sum("output_tokens", expected.output_tokens);
        sum("cache_read_tokens", expected.cache_read_tokens);
        sum("cache_creation_tokens", expected.cache_creation_tokens);
        sum("cost_usd", expected.cost_usd);
      }
    }
  }
  return expected;
}

class OtlpHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto fixture = test::reference_file(std::string(kFixtures) + "/logs.pb");
    if (!fixture) GTEST_SKIP() << "reference dataset " << kFixtures << " absent";
    fixtures_ = fixture->parent_path();
  }
  std::filesystem::path fixtures_;
};

TEST_F(OtlpHttp, ClaudeCodeProtobufExportIsCountedAsItsRecordsSay) {
  const std::string body = read_file(fixtures_ / "logs.pb");
  const Expected expected = expected_from(body);
  ASSERT_GT(expected.events, 0);
  ASSERT_GT(expected.cost_usd, 0);

  testing::TempStore store;
  testing::RunningServer server(testing::test_options(store.path()));
  auto client = server.client();
  const auto response = client->Post("/v1/logs", body, kProtobuf);
  ASSERT_TRUE(response);
  ASSERT_EQ(200, response->status) << response->body;
  EXPECT_EQ(kProtobuf, response->get_header_value("Content-Type"));
  ExportLogsServiceResponse answer;
  ASSERT_TRUE(answer.ParseFromString(response->body));
  EXPECT_FALSE(answer.has_partial_success());

  server.wait_until_visible();
  const json summary = get_json(*client, "/api/v1/summary");
  EXPECT_EQ(summary["events"], expected.events);
  EXPECT_EQ(summary["sessions"], expected.sessions.size());
  EXPECT_EQ(summary["users"], expected.users.size());
  auto count = [&](const char* name) {
    return expected.events_by_name.contains(name) ? expected.events_by_name.at(name) : 0;
  };
  EXPECT_EQ(summary["user_prompts"], count("user_prompt"));
  EXPECT_EQ(summary["api_requests"], count("api_request"));
  EXPECT_EQ(summary["tool_decisions"], count("tool_decision"));
  EXPECT_EQ(summary["tool_results"], count("tool_result"));
  EXPECT_DOUBLE_EQ(summary["input_tokens"].get<double>(), expected.input_tokens);
  EXPECT_DOUBLE_EQ(summary["output_tokens"].get<double>(), expected.output_tokens);
  EXPECT_DOUBLE_EQ(summary["cache_read_tokens"].get<double>(), expected.cache_read_tokens);
  EXPECT_DOUBLE_EQ(summary["cache_creation_tokens"].get<double>(), expected.cache_creation_tokens);
  EXPECT_NEAR(summary["cost_usd"].get<double>(), expected.cost_usd, 1e-9);

  std::map<std::string, int64_t> by_name;
  const json breakdown = get_json(*client, "/api/v1/breakdown?by=event_type");
  for (const json& row : breakdown["rows"]) by_name[row["key"]] = row["events"];
  EXPECT_EQ(by_name, expected.events_by_name);

  // Redelivered (an exporter retrying after a lost answer): counted once.
  const auto again = client->Post("/v1/logs", body, kProtobuf);
  ASSERT_TRUE(again);
  EXPECT_EQ(200, again->status);
  server.wait_until_visible();
  EXPECT_EQ(get_json(*client, "/api/v1/summary")["events"], expected.events);
}

TEST_F(OtlpHttp, JsonAndProtobufPlainOrGzippedGiveIdenticalAnswers) {
  testing::TempStore json_store, protobuf_store;
  testing::RunningServer json_server(testing::test_options(json_store.path()));
  testing::RunningServer protobuf_server(testing::test_options(protobuf_store.path()));
  auto json_client = json_server.client();
  auto protobuf_client = protobuf_server.client();
  const std::string first = read_file(fixtures_ / "logs-1.json");
  const std::string second = read_file(fixtures_ / "logs-2.json");

  const auto json_plain = json_client->Post("/v1/logs", first, "application/json");
  const auto protobuf_plain = protobuf_client->Post("/v1/logs", to_protobuf(first), kProtobuf);
  const httplib::Headers gzip{{"Content-Encoding", "gzip"}};
  const auto json_gzip =
      json_client->Post("/v1/logs", gzip, testing::gzip(second), "application/json; charset=utf-8");
  const auto protobuf_gzip =
      protobuf_client->Post("/v1/logs", gzip, testing::gzip(to_protobuf(second)), kProtobuf);
  for (const auto* response : {&json_plain, &protobuf_plain, &json_gzip, &protobuf_gzip}) {
    ASSERT_TRUE(*response);
    EXPECT_EQ(200, (*response)->status) << (*response)->body;
  }
  EXPECT_EQ("{}", json_plain->body);
  EXPECT_TRUE(json_plain->get_header_value("Content-Type").starts_with("application/json"));
  ExportLogsServiceResponse answer;
  EXPECT_TRUE(answer.ParseFromString(protobuf_gzip->body));
  EXPECT_FALSE(answer.has_partial_success());
  json_server.wait_until_visible();
  protobuf_server.wait_until_visible();

  EXPECT_GT(get_json(*json_client, "/api/v1/summary")["events"].get<int>(), 10);
  for (const char* target :
       {"/api/v1/summary", "/api/v1/breakdown?by=event_type", "/api/v1/breakdown?by=model",
        "/api/v1/breakdown?by=tool", "/api/v1/breakdown?by=version", "/api/v1/breakdown?by=os",
        "/api/v1/sessions", "/api/v1/users", "/api/v1/timeseries?bucket=hour", "/api/v1/facets",
        "/api/v1/latency"}) {
    const auto from_json = json_client->Get(target);
    const auto from_protobuf = protobuf_client->Get(target);
    ASSERT_TRUE(from_json && from_protobuf);
    EXPECT_EQ(200, from_json->status) << target;
    EXPECT_EQ(from_json->body, from_protobuf->body) << target;
  }
}

TEST_F(OtlpHttp, RejectedRecordsAreAPartialSuccessInProtobuf) {
  json request = json::parse(read_file(fixtures_ / "logs-1.json"));
  json& records = request["resourceLogs"][0]["scopeLogs"][0]["logRecords"];
  const size_t total = records.size();
  for (int i : {0, 1}) {
    json& attributes = records[i]["attributes"];
    for (auto it = attributes.begin(); it != attributes.end(); ++it)
      if ((*it)["key"] == "user.id") {
        attributes.erase(it);
        break;
      }
  }
  testing::TempStore store;
  testing::RunningServer server(testing::test_options(store.path()));
  auto client = server.client();
  const auto response = client->Post("/v1/logs", to_protobuf(request.dump()), kProtobuf);
  ASSERT_TRUE(response);
  ASSERT_EQ(200, response->status);
  ExportLogsServiceResponse answer;
  ASSERT_TRUE(answer.ParseFromString(response->body));
  EXPECT_EQ(answer.partial_success().rejected_log_records(), 2);
  EXPECT_NE(answer.partial_success().error_message().find("missing_user (2)"), std::string::npos)
      << answer.partial_success().error_message();
  server.wait_until_visible();
  EXPECT_EQ(get_json(*client, "/api/v1/summary")["events"], total - 2);
}

// Each refused request: the status, an error body in the request's encoding, nothing stored.
TEST_F(OtlpHttp, RefusedRequestsStoreNothingAndTheServerCarriesOn) {
  testing::TempStore store;
  ServeOptions options = testing::test_options(store.path());
  options.max_body_mb = 1;
  testing::RunningServer server(options);
  const std::string valid = read_file(fixtures_ / "logs.pb");
  std::string bomb_text(8 << 20, '\0');  // 8 MiB of zeros: about 8 kB gzipped
  const httplib::Headers gzip{{"Content-Encoding", "gzip"}};
  struct Case {
    const char* what;
    httplib::Headers headers;
    std::string body;
    std::string content_type;
    int status;
  };
  const Case cases[] = {
      {"truncated protobuf", {}, valid.substr(0, valid.size() - 7), kProtobuf, 400},
      {"wrong wire type", {}, std::string("\x0d\x01\x02\x03\x04", 5), kProtobuf, 400},
      {"JSON labelled protobuf", {}, read_file(fixtures_ / "logs-1.json"), kProtobuf, 400},
      {"protobuf labelled JSON", {}, valid, "application/json", 400},
      {"garbage gzip", gzip, "this is not gzip at all", kProtobuf, 400},
      {"gzip bomb", gzip, testing::gzip(bomb_text), kProtobuf, 413},
      {"body over the limit", {}, std::string(3 << 20, 'x'), kProtobuf, 413},
      {"unknown content type", {}, valid, "text/plain", 415},
      {"form content type", {}, "a=b", "application/x-www-form-urlencoded", 415},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    auto client = server.client();  // a refused body may close the connection
    const auto response = client->Post("/v1/logs", c.headers, c.body, c.content_type.c_str());
    ASSERT_TRUE(response);
    EXPECT_EQ(c.status, response->status);
    if (c.content_type == kProtobuf) {
      EXPECT_EQ(kProtobuf, response->get_header_value("Content-Type"));
      google::rpc::Status status;
      ASSERT_TRUE(status.ParseFromString(response->body));
      EXPECT_EQ(status.code(), 3);  // INVALID_ARGUMENT
      EXPECT_FALSE(status.message().empty());
    } else {
      EXPECT_TRUE(json::parse(response->body)["error"].contains("message")) << response->body;
    }
  }
  auto client = server.client();
  EXPECT_EQ(get_json(*client, "/health")["status"], "ok");
  EXPECT_EQ(get_json(*client, "/api/v1/summary")["events"], 0);
  EXPECT_EQ(test::sql_int(store.path(), "SELECT count(*) FROM quarantine"), 0);
  const auto accepted = client->Post("/v1/logs", valid, kProtobuf);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(200, accepted->status);
}

TEST_F(OtlpHttp, AProtobufRequestWithoutTheTokenGetsAProtobufStatus) {
  testing::TempStore store;
  ServeOptions options = testing::test_options(store.path());
  options.ingest_token = "fleet-token";
  testing::RunningServer server(options);
  auto client = server.client();
  const std::string body = read_file(fixtures_ / "logs.pb");
  const auto refused =
      client->Post("/v1/logs", {{"Authorization", "Bearer wrong"}}, body, kProtobuf);
  ASSERT_TRUE(refused);
  EXPECT_EQ(401, refused->status);
  google::rpc::Status status;
  ASSERT_TRUE(status.ParseFromString(refused->body));
  EXPECT_EQ(status.code(), 16);  // UNAUTHENTICATED
  const auto allowed =
      client->Post("/v1/logs", {{"Authorization", "Bearer fleet-token"}}, body, kProtobuf);
  ASSERT_TRUE(allowed);
  EXPECT_EQ(200, allowed->status);
}

// An export past the in-flight bound is refused at once, to be retried, rather than queued.
TEST_F(OtlpHttp, ExportsPastTheInFlightBoundAre503WithRetryAfter) {
  testing::TempStore store;
  ServeOptions options = testing::test_options(store.path());
  options.otlp_max_in_flight = 1;
  testing::RunningServer server(options);
  const std::string body = read_file(fixtures_ / "logs.pb");

  // Another writer holds the store, so the first export waits inside its ingest.
  sqlite3* writer = nullptr;
  ASSERT_EQ(SQLITE_OK, sqlite3_open(store.path().c_str(), &writer));
  ASSERT_EQ(SQLITE_OK, sqlite3_exec(writer, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr));
  int first_status = 0;
  std::thread first([&] {
    auto client = server.client();
    const auto response = client->Post("/v1/logs", body, kProtobuf);
    first_status = response ? response->status : -1;
  });
  auto client = server.client();
  for (;;) {
    const auto metrics = client->Get("/metrics");
    ASSERT_TRUE(metrics);
    if (metrics->body.find("ccanalytics_otlp_exports_in_flight 1\n") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const auto shed = client->Post("/v1/logs", body, kProtobuf);
  ASSERT_TRUE(shed);
  EXPECT_EQ(503, shed->status);
  EXPECT_EQ("1", shed->get_header_value("Retry-After"));
  google::rpc::Status status;
  ASSERT_TRUE(status.ParseFromString(shed->body));
  EXPECT_EQ(status.code(), 14);  // UNAVAILABLE

  ASSERT_EQ(SQLITE_OK, sqlite3_exec(writer, "COMMIT", nullptr, nullptr, nullptr));
  sqlite3_close(writer);
  first.join();
  EXPECT_EQ(200, first_status);
  const auto retried = client->Post("/v1/logs", body, kProtobuf);
  ASSERT_TRUE(retried);
  EXPECT_EQ(200, retried->status);
  server.wait_until_visible();
  EXPECT_EQ(get_json(*client, "/api/v1/summary")["events"], expected_from(body).events);
}

}  // namespace
}  // namespace cca::server
