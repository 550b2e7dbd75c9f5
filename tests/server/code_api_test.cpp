// POST /v1/metrics and the code-activity API over HTTP: the real Claude Code captures against
// figures computed from the request bodies, repeats, partial success, malformed requests, the
// directory's practices, parameters and the list of stored metrics.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/otlp_metrics_fixture.h"
#include "engine/temp_store.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "server/running_server.h"
#include "server/telemetry_text.h"

namespace cca::server {
namespace {

using nlohmann::json;
using testing::ExpectedCode;

json get_json(httplib::Client& client, const std::string& target) {
  const auto response = client.Get(target);
  if (!response) return json();
  EXPECT_EQ(200, response->status) << target << " " << response->body;
  return json::parse(response->body);
}

json post_metrics(httplib::Client& client, const std::string& body) {
  const auto response = client.Post("/v1/metrics", body, "application/json");
  if (!response) return json();
  EXPECT_EQ(200, response->status) << response->body;
  return json::parse(response->body);
}

void expect_same(const ExpectedCode& e, const json& actual, const std::string& what) {
  SCOPED_TRACE(what + ": " + actual.dump());
  EXPECT_DOUBLE_EQ(e.lines_added, actual["lines_added"].get<double>());
  EXPECT_DOUBLE_EQ(e.lines_removed, actual["lines_removed"].get<double>());
  EXPECT_DOUBLE_EQ(e.commits, actual["commits"].get<double>());
  EXPECT_DOUBLE_EQ(e.pull_requests, actual["pull_requests"].get<double>());
  EXPECT_NEAR(e.active_time_s, actual["active_time_s"].get<double>(), 1e-9);
  EXPECT_DOUBLE_EQ(e.sessions_started, actual["sessions_started"].get<double>());
  EXPECT_DOUBLE_EQ(e.edit_decisions, actual["edit_decisions"].get<double>());
  if (e.edit_decisions > 0) {
    EXPECT_DOUBLE_EQ(e.edit_accepts / e.edit_decisions, actual["edit_accept_rate"].get<double>());
  } else {
    EXPECT_TRUE(actual["edit_accept_rate"].is_null());
  }
}

TEST(CodeApiTest, CapturesTwiceCountOnce) {
  const auto dataset = testing::otlp_dataset();
  if (!dataset) GTEST_SKIP() << "claude-code-2.1.328-otlp dataset not found";
  testing::TempStore store;
  testing::RunningServer server(testing::test_options(store.path()));
  auto client = server.client();
  std::vector<std::string> all =
      testing::metric_requests(*dataset, {"metrics-1.json", "metrics-2.json"});
  for (const std::string folder :
       {"full-run", "cumulative-temporality", "session-id-off-repository-on"}) {
    const std::vector<std::string> requests = testing::metric_requests(*dataset / folder);
    all.insert(all.end(), requests.begin(), requests.end());
  }
  for (const std::string& body : all) EXPECT_EQ(json::object(), post_metrics(*client, body));
  server.wait_until_visible();
  const json first = get_json(*client, "/api/v1/code");
  expect_same(testing::expected_total(all), first, "total");
  for (const std::string& body : all) post_metrics(*client, body);
  server.wait_until_visible();
  EXPECT_EQ(first, get_json(*client, "/api/v1/code")) << "a redelivered request changes nothing";

  for (const std::string by : {"language", "model", "tool", "email"}) {
    const std::string attribute = by == "tool" ? "tool_name" : by == "email" ? "user.id" : by;
    const auto expected =
        testing::expected_code(all, [&](const json& a) -> std::optional<std::string> {
          if (!a.contains(attribute)) return std::nullopt;
          return a[attribute].get<std::string>();
        });
    const json answer = get_json(*client, "/api/v1/code/breakdown?by=" + by);
    EXPECT_EQ(by, answer["by"]);
    ASSERT_EQ(expected.size(), answer["rows"].size()) << by;
    for (const json& row : answer["rows"])
      expect_same(expected.at(row["key"].get<std::string>()), row, by);
  }

  // The model filter keeps the points that carry that model: lines of code only.
  const auto opus = testing::expected_code(all, [](const json& a) -> std::optional<std::string> {
    if (a.value("model", "") != "claude-opus-5-5") return std::nullopt;
    return std::string();
  });
  expect_same(opus.at(""), get_json(*client, "/api/v1/code?model=claude-opus-5-5"), "model filter");
  expect_same({}, get_json(*client, "/api/v1/code?to=2020-01-01"), "before the data");

  // attr.<key> keeps the points whose series carries that value.
  const auto by_repository =
      testing::expected_code(all, [](const json& a) -> std::optional<std::string> {
        if (!a.contains("vcs.repository.name")) return std::nullopt;
        return a["vcs.repository.name"].get<std::string>();
      });
  ASSERT_FALSE(by_repository.empty());
  for (const auto& [repository, figures] : by_repository)
    expect_same(figures, get_json(*client, "/api/v1/code?attr.vcs.repository.name=" + repository),
                "attr filter");
  expect_same({}, get_json(*client, "/api/v1/code?attr.vcs.repository.name=elsewhere"),
              "attr filter without a match");
}

// One delta lines_of_code point for a user, at a given time (seconds).
std::string lines_request(const std::string& email, int64_t time_s, double lines) {
  const auto kv = [](const std::string& key, const std::string& value) {
    return json{{"key", key}, {"value", {{"stringValue", value}}}};
  };
  const json point = {
      {"attributes", {kv("user.email", email), kv("type", "added"), kv("model", "m")}},
      {"startTimeUnixNano", std::to_string((time_s - 60) * 1'000'000'000)},
      {"timeUnixNano", std::to_string(time_s * 1'000'000'000)},
      {"asDouble", lines}};
  return json{{"resourceMetrics",
               {{{"scopeMetrics",
                  {{{"metrics",
                     {{{"name", "claude_code.lines_of_code.count"},
                       {"sum",
                        {{"aggregationTemporality", 1},
                         {"isMonotonic", true},
                         {"dataPoints", {point}}}}}}}}}}}}}}
      .dump();
}

TEST(CodeApiTest, DirectoryFiltersAndTimePlacement) {
  testing::TempStore store;
  testing::RunningServer server(testing::test_options(store.path()));
  auto client = server.client();
  const int64_t day = 1796256000;  // 2026-12-03T00:00:00Z
  post_metrics(*client, lines_request("Ana@Example.com", day + 3600, 10));
  post_metrics(*client, lines_request("bo@example.com", day + 7200, 4));
  post_metrics(*client, lines_request("bo@example.com", day + 86400, 1));  // the next day
  const auto put = client->Put("/api/v1/employees",
                               "email,full_name,practice,level,location\n"
                               "ana@example.com,Ana,Platform Engineering,L5,Poland\n"
                               "bo@example.com,Bo,ML Engineering,L3,Canada\n",
                               "text/csv");
  ASSERT_TRUE(put);
  ASSERT_EQ(200, put->status);

  server.wait_until_visible();
  EXPECT_EQ(15, get_json(*client, "/api/v1/code")["lines_added"]);
  EXPECT_EQ(10, get_json(*client, "/api/v1/code?practice=Platform%20Engineering")["lines_added"]);
  EXPECT_EQ(5, get_json(*client, "/api/v1/code?level=L3")["lines_added"]);
  EXPECT_EQ(5, get_json(*client, "/api/v1/code?location=Canada")["lines_added"]);
  EXPECT_EQ(10, get_json(*client, "/api/v1/code?email=ANA@example.com")["lines_added"]);
  EXPECT_EQ(14, get_json(*client, "/api/v1/code?from=2026-12-03&to=2026-12-03")["lines_added"]);
  EXPECT_EQ(1, get_json(*client, "/api/v1/code?from=2026-12-04")["lines_added"]);
  // timeUnixNano places a point: from is inclusive, to exclusive.
  EXPECT_EQ(
      4, get_json(*client,
                  "/api/v1/code?from=2026-12-03T02:00:00Z&to=2026-12-04T00:00:00Z")["lines_added"]);

  const json practices = get_json(*client, "/api/v1/code/breakdown?by=practice");
  ASSERT_EQ(2u, practices["rows"].size());
  EXPECT_EQ("ML Engineering", practices["rows"][0]["key"]);
  EXPECT_EQ(5, practices["rows"][0]["lines_added"]);
  EXPECT_EQ("Platform Engineering", practices["rows"][1]["key"]);
  EXPECT_EQ(10, practices["rows"][1]["lines_added"]);
}

TEST(CodeApiTest, PartialSuccessMalformedAndParameters) {
  testing::TempStore store;
  testing::RunningServer server(testing::test_options(store.path()));
  auto client = server.client();
  json mixed = json::parse(lines_request("a@example.com", 1796256000, 3));
  json& points = mixed["resourceMetrics"][0]["scopeMetrics"][0]["metrics"][0]["sum"]["dataPoints"];
  json negative = points[0];
  negative["asDouble"] = -1;
  negative["timeUnixNano"] = "1796256001000000000";
  points.push_back(negative);
  const json answer = post_metrics(*client, mixed.dump());
  ASSERT_TRUE(answer.contains("partialSuccess")) << answer;
  EXPECT_EQ(1, answer["partialSuccess"]["rejectedDataPoints"]);
  EXPECT_NE(std::string::npos,
            answer["partialSuccess"]["errorMessage"].get<std::string>().find("negative_counter"));
  server.wait_until_visible();
  EXPECT_EQ(3, get_json(*client, "/api/v1/code")["lines_added"]);

  for (const std::string bad :
       {"not json", R"({"resourceMetrics": 5})",
        R"({"resourceMetrics": [{"scopeMetrics": [{"metrics": [{"name": 1}]}]}]})"}) {
    const auto refused = client->Post("/v1/metrics", bad, "application/json");
    ASSERT_TRUE(refused);
    EXPECT_EQ(400, refused->status) << bad;
    EXPECT_TRUE(json::parse(refused->body).contains("error"));
  }
  server.wait_until_visible();
  EXPECT_EQ(3, get_json(*client, "/api/v1/code")["lines_added"]) << "refused bodies store nothing";

  for (const std::string target : {"/api/v1/code/breakdown", "/api/v1/code/breakdown?by=event_type",
                                   "/api/v1/code?by=model", "/api/v1/code?from=yesterday"}) {
    const auto response = client->Get(target);
    ASSERT_TRUE(response);
    EXPECT_EQ(400, response->status) << target;
  }

  // The ingest log lists metric ingests by their source; event totals do not count data points.
  const json quality = get_json(*client, "/api/v1/quality");
  EXPECT_EQ(0, quality["totals"]["accepted"]);
  EXPECT_EQ("otlp-metrics", quality["ingests"][0]["source"]);
  EXPECT_EQ(1, quality["ingests"][0]["accepted"]);

  const json metrics = get_json(*client, "/api/v1/code/metrics");
  ASSERT_EQ(1u, metrics["metrics"].size());
  EXPECT_EQ("claude_code.lines_of_code.count", metrics["metrics"][0]["name"]);
  EXPECT_EQ("sum", metrics["metrics"][0]["kind"]);
  EXPECT_EQ(1, metrics["metrics"][0]["points"]);
}

TEST(CodeApiTest, ProtobufPlainOrGzippedLikeJson) {
  const auto dataset = testing::otlp_dataset();
  if (!dataset) GTEST_SKIP() << "claude-code-2.1.328-otlp dataset not found";
  std::ifstream file(*dataset / "metrics.pb", std::ios::binary);
  std::ostringstream bytes;
  bytes << file.rdbuf();
  const std::string body = bytes.str();
  // The independent figures read the same request through protobuf's own JSON printer.
  opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest request;
  ASSERT_TRUE(request.ParseFromString(body));
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_enums_as_ints = true;
  std::string as_json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(request, &as_json, options).ok());

  testing::TempStore store;
  testing::RunningServer server(testing::test_options(store.path()));
  auto client = server.client();
  const httplib::Headers gzip{{"Content-Encoding", "gzip"}};
  const auto plain = client->Post("/v1/metrics", body, "application/x-protobuf");
  const auto zipped =
      client->Post("/v1/metrics", gzip, testing::gzip(body), "application/x-protobuf");
  for (const auto* response : {&plain, &zipped}) {
    ASSERT_TRUE(*response);
    ASSERT_EQ(200, (*response)->status);
    EXPECT_EQ("application/x-protobuf", (*response)->get_header_value("Content-Type"));
    opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceResponse answer;
    EXPECT_TRUE(answer.ParseFromString((*response)->body));
    EXPECT_FALSE(answer.has_partial_success());
  }
  const ExpectedCode expected = testing::expected_total({as_json});
  EXPECT_GT(expected.lines_added, 0);
  server.wait_until_visible();
  expect_same(expected, get_json(*client, "/api/v1/code"), "protobuf, sent twice");
  EXPECT_EQ(json::object(), post_metrics(*client, as_json));
  server.wait_until_visible();
  expect_same(expected, get_json(*client, "/api/v1/code"), "the same points as JSON");

  const auto refused = client->Post("/v1/metrics", "not protobuf at all", "application/x-protobuf");
  ASSERT_TRUE(refused);
  EXPECT_EQ(400, refused->status);
  const auto wrong_type = client->Post("/v1/metrics", as_json, "text/plain");
  ASSERT_TRUE(wrong_type);
  EXPECT_EQ(415, wrong_type->status);
}

}  // namespace
}  // namespace cca::server
