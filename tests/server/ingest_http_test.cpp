// The write endpoints: CloudWatch JSONL (plain and gzip), the employee directory, OTLP/HTTP JSON,
// the ingest token and the body limit; and rows another process commits appearing while serving.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "common/time_util.h"
#include "engine/temp_store.h"
#include "ingest/ingestor.h"
#include "server/running_server.h"
#include "server/telemetry_text.h"

namespace cca::server {
namespace {

using nlohmann::json;
using testing::TelemetryEvent;

const int64_t kStart = days_from_civil(2026, 3, 2) * kMsPerDay;

std::string jsonl(const std::vector<TelemetryEvent>& events, size_t per_line = 7) {
  std::string text;
  for (size_t i = 0; i < events.size(); i += per_line) {
    const std::vector<TelemetryEvent> batch(events.begin() + i,
                                            events.begin() + std::min(events.size(), i + per_line));
    text += testing::cloudwatch_line(batch) + "\n";
  }
  return text;
}

json get_json(httplib::Client& client, const std::string& target) {
  const auto response = client.Get(target);
  if (!response) return json();
  EXPECT_EQ(200, response->status) << target << " " << response->body;
  return json::parse(response->body);
}

double total_cost(const std::vector<TelemetryEvent>& events) {
  double cost = 0;
  for (const auto& e : events)
    if (e.attributes.contains("cost_usd")) cost += e.attributes["cost_usd"].get<double>();
  return cost;
}

TEST(IngestHttpTest, JsonlPlainAndGzipAndDuplicates) {
  testing::TempStore store;
  testing::RunningServer server(testing::test_options(store.path()));
  auto client = server.client();
  const auto events = testing::telemetry_events(1, 12, kStart);
  const std::string body = jsonl(events);

  const auto first = client->Post("/api/v1/ingest", body, "application/x-ndjson");
  ASSERT_TRUE(first);
  ASSERT_EQ(200, first->status) << first->body;
  const json report = json::parse(first->body);
  EXPECT_EQ(events.size(), report["accepted"].get<size_t>());
  EXPECT_EQ(0, report["duplicates"]);
  // Visible to the very next query.
  const json summary = get_json(*client, "/api/v1/summary");
  EXPECT_EQ(events.size(), summary["events"].get<size_t>());
  EXPECT_NEAR(total_cost(events), summary["cost_usd"].get<double>(), 1e-9);

  httplib::Headers gzip{{"Content-Encoding", "gzip"}};
  const auto again =
      client->Post("/api/v1/ingest", gzip, testing::gzip(body), "application/x-ndjson");
  ASSERT_TRUE(again);
  ASSERT_EQ(200, again->status) << again->body;
  EXPECT_EQ(0, json::parse(again->body)["accepted"]);
  EXPECT_EQ(events.size(), json::parse(again->body)["duplicates"].get<size_t>());
  EXPECT_EQ(summary, get_json(*client, "/api/v1/summary"));

  const auto more = testing::telemetry_events(2, 5, kStart);
  const auto zipped = client->Post(
      "/api/v1/ingest", gzip, testing::gzip(jsonl(more) + "not json\n\n"), "application/x-ndjson");
  ASSERT_TRUE(zipped);
  const json zipped_report = json::parse(zipped->body);
  EXPECT_EQ(more.size(), zipped_report["accepted"].get<size_t>());
  EXPECT_EQ(1, zipped_report["rejected_lines"]);
  EXPECT_EQ(events.size() + more.size(),
            get_json(*client, "/api/v1/summary")["events"].get<size_t>());
}

TEST(IngestHttpTest, DirectoryLoadRelabelsEventsAlreadyStored) {
  testing::TempStore store;
  testing::RunningServer server(testing::test_options(store.path()));
  auto client = server.client();
  const auto events = testing::telemetry_events(3, 10, kStart);
  ASSERT_EQ(200, client->Post("/api/v1/ingest", jsonl(events), "application/x-ndjson")->status);
  json practices = get_json(*client, "/api/v1/breakdown?by=practice");
  ASSERT_EQ(1u, practices["rows"].size());
  EXPECT_EQ("Data Engineering", practices["rows"][0]["key"]) << "the resource hint";

  const std::string csv =
      "email,full_name,practice,level,location\r\n"
      "DEV0@example.com,\"Doe, Jo\",Platform Engineering,L5,Poland\r\n"
      "dev1@example.com,Sam Roe,ML Engineering,L3,Canada\r\n";
  const auto put = client->Put("/api/v1/employees", csv, "text/csv");
  ASSERT_TRUE(put);
  ASSERT_EQ(200, put->status) << put->body;
  EXPECT_EQ(2, json::parse(put->body)["employees"]);
  practices = get_json(*client, "/api/v1/breakdown?by=practice");
  std::set<std::string> keys;
  for (const json& row : practices["rows"]) keys.insert(row["key"]);
  EXPECT_TRUE(keys.count("Platform Engineering"));
  EXPECT_TRUE(keys.count("ML Engineering"));
  const json employees = get_json(*client, "/api/v1/employees");
  EXPECT_EQ(2, employees["total"]);
  EXPECT_EQ("Doe, Jo", employees["rows"][0]["full_name"]);
  const json user = get_json(*client, "/api/v1/users/dev0@example.com");
  EXPECT_EQ("L5", user["level"]);
}

// Claude Code omits session.id under OTEL_METRICS_INCLUDE_SESSION_ID=false: the contract keeps
// such events in no session.
TEST(IngestHttpTest, OtlpEventsWithoutASessionCountEverywhereButInSessions) {
  testing::TempStore store;
  testing::RunningServer server(testing::test_options(store.path()));
  auto client = server.client();
  TelemetryEvent in_session;
  in_session.time_ms = kStart;
  in_session.name = "api_request";
  in_session.session_id = "s-1";
  in_session.email = "a@example.com";
  in_session.attributes = {{"model", "claude-opus-4-6"}, {"cost_usd", 0.5}};
  TelemetryEvent no_session = in_session;
  no_session.time_ms = kStart + 1000;
  no_session.session_id = "";
  no_session.attributes = {{"model", "claude-opus-4-6"}, {"cost_usd", 0.25}};
  TelemetryEvent other_user = no_session;
  other_user.email = "b@example.com";
  const auto response = client->Post(
      "/v1/logs", testing::otlp_request({in_session, no_session, other_user}), "application/json");
  ASSERT_TRUE(response);
  ASSERT_EQ(200, response->status) << response->body;
  EXPECT_EQ("{}", response->body);
  server.wait_until_visible();

  const json summary = get_json(*client, "/api/v1/summary");
  EXPECT_EQ(3, summary["events"]);
  EXPECT_EQ(3, summary["api_requests"]);
  EXPECT_EQ(2, summary["users"]);
  EXPECT_EQ(1, summary["sessions"]);
  EXPECT_DOUBLE_EQ(1.0, summary["cost_usd"].get<double>());
  const json sessions = get_json(*client, "/api/v1/sessions");
  EXPECT_EQ(1, sessions["total"]);
  ASSERT_EQ(1u, sessions["rows"].size());
  EXPECT_EQ("s-1", sessions["rows"][0]["session_id"]);
  EXPECT_DOUBLE_EQ(0.5, sessions["rows"][0]["cost_usd"].get<double>());
  const json by_user = get_json(*client, "/api/v1/breakdown?by=email");
  ASSERT_EQ(2u, by_user["rows"].size());
  for (const json& row : by_user["rows"])
    EXPECT_EQ(row["key"] == "a@example.com" ? 1 : 0, row["sessions"]) << row;
  const json daily = get_json(*client, "/api/v1/timeseries?bucket=day");
  int64_t sessions_in_points = 0, events_in_points = 0;
  for (const json& point : daily["points"]) {
    sessions_in_points += point["sessions"].get<int64_t>();
    events_in_points += point["events"].get<int64_t>();
  }
  EXPECT_EQ(1, sessions_in_points);
  EXPECT_EQ(3, events_in_points);
}

// An api_request without cost_usd gets its cost from the price table (contract v1.1), and the
// summary says how much of the cost was estimated.
TEST(IngestHttpTest, AMissingCostIsEstimatedAndReportedApart) {
  testing::TempStore store;
  testing::RunningServer server(testing::test_options(store.path()));
  auto client = server.client();
  TelemetryEvent charged;
  charged.time_ms = kStart;
  charged.name = "api_request";
  charged.session_id = "s-1";
  charged.email = "a@example.com";
  charged.attributes = {{"model", "claude-sonnet-4-5-20250929"}, {"cost_usd", 0.5},
                        {"input_tokens", int64_t{10}}, {"output_tokens", int64_t{10}}};
  TelemetryEvent uncharged = charged;
  uncharged.time_ms = kStart + 1000;
  // Sonnet 4.5 at $3 / $15 / $0.30 / $3.75 per million input, output, cache-read, cache-write tokens.
  uncharged.attributes = {{"model", "claude-sonnet-4-5-20250929"},
                          {"input_tokens", int64_t{1000}},
                          {"output_tokens", int64_t{200}},
                          {"cache_read_tokens", int64_t{10000}},
                          {"cache_creation_tokens", int64_t{400}}};
  const double expected = (1000 * 3 + 200 * 15 + 10000 * 0.30 + 400 * 3.75) / 1e6;
  TelemetryEvent unknown_model = uncharged;
  unknown_model.time_ms = kStart + 2000;
  unknown_model.attributes = {{"model", "some-other-model"}, {"input_tokens", int64_t{1000}}};
  const auto response =
      client->Post("/v1/logs", testing::otlp_request({charged, uncharged, unknown_model}),
                   "application/json");
  ASSERT_TRUE(response);
  ASSERT_EQ(200, response->status) << response->body;

  server.wait_until_visible();
  const json summary = get_json(*client, "/api/v1/summary");
  EXPECT_EQ(3, summary["api_requests"]);
  EXPECT_NEAR(0.5 + expected, summary["cost_usd"].get<double>(), 1e-12);
  EXPECT_NEAR(expected, summary["cost_estimated_usd"].get<double>(), 1e-12);
  const json charged_only = get_json(*client, "/api/v1/summary?to=" + format_rfc3339_s(kStart + 1000));
  EXPECT_EQ(0, charged_only["cost_estimated_usd"]);
}

// With API-key sign-in Claude Code sends no email, only a user.id hash: the employees CSV's
// user_id column maps it to the person of that row.
TEST(IngestHttpTest, TheDirectoryMapsAUserIdToItsPerson) {
  testing::TempStore store;
  testing::RunningServer server(testing::test_options(store.path()));
  auto client = server.client();
  const std::string hash = "aa0265e62a6b8bb53d768b86df362165f7628e601c258cf24a10488bd10cdc06";
  TelemetryEvent e;
  e.time_ms = kStart;
  e.name = "user_prompt";
  e.session_id = "s-1";
  e.email = "";
  e.attributes = {{"user.id", hash}};
  const auto posted = client->Post("/v1/logs", testing::otlp_request({e}), "application/json");
  ASSERT_TRUE(posted);
  ASSERT_EQ(200, posted->status) << posted->body;
  server.wait_until_visible();
  EXPECT_NE("Platform Engineering",
            get_json(*client, "/api/v1/breakdown?by=practice")["rows"][0]["key"]);

  const std::string csv =
      "email,full_name,practice,level,location,user_id\n"
      "jo@example.com,Jo Doe,Platform Engineering,L5,Poland, " +
      hash +
      " \n"
      "sam@example.com,Sam Roe,ML Engineering,L3,Canada,\n";
  const auto put = client->Put("/api/v1/employees", csv, "text/csv");
  ASSERT_TRUE(put);
  ASSERT_EQ(200, put->status) << put->body;
  const json practices = get_json(*client, "/api/v1/breakdown?by=practice");
  ASSERT_EQ(1u, practices["rows"].size());
  EXPECT_EQ("Platform Engineering", practices["rows"][0]["key"]);
  const json user = get_json(*client, "/api/v1/users/" + hash);
  EXPECT_EQ(hash, user["email"]);
  EXPECT_EQ("Jo Doe", user["full_name"]);
  EXPECT_EQ("jo@example.com", user["directory_email"]);
  EXPECT_EQ("L5", user["level"]);
  const json employees = get_json(*client, "/api/v1/employees");
  std::map<std::string, json> by_email;
  for (const json& row : employees["rows"]) by_email[row["email"]] = row["user_id"];
  EXPECT_EQ(hash, by_email["jo@example.com"]);
  EXPECT_TRUE(by_email["sam@example.com"].is_null());
}

// query_source and ttft_ms (Claude Code 2.1+) are answered: cost and requests by query source,
// and time-to-first-token percentiles beside the latency ones. The second request arrives earlier
// in time than the first, so the engine merges segments and must keep both fields through it.
TEST(IngestHttpTest, QuerySourceAndTimeToFirstTokenAreAnswered) {
  testing::TempStore store;
  testing::RunningServer server(testing::test_options(store.path()));
  auto client = server.client();
  std::vector<TelemetryEvent> late, early;
  std::vector<double> ttft;
  for (int i = 0; i < 40; ++i) {
    TelemetryEvent e;
    e.time_ms = kStart + 3'600'000 - i * 60'000;
    e.name = "api_request";
    e.session_id = "s-" + std::to_string(i % 3);
    e.email = "a@example.com";
    const bool main_thread = i % 4 != 0;
    const double first_token = 100 + (i * 37) % 900;
    if (main_thread) ttft.push_back(first_token);
    e.attributes = {{"model", "claude-sonnet-4-5"},
                    {"cost_usd", main_thread ? 0.25 : 0.01},
                    {"query_source", main_thread ? "repl_main_thread" : "generate_session_title"}};
    if (main_thread) e.attributes["ttft_ms"] = static_cast<int64_t>(first_token);
    (i < 20 ? late : early).push_back(e);
  }
  for (const auto* batch : {&late, &early}) {
    const auto posted = client->Post("/v1/logs", testing::otlp_request(*batch), "application/json");
    ASSERT_TRUE(posted);
    ASSERT_EQ(200, posted->status) << posted->body;
  }
  server.wait_until_visible();

  const json by_source = get_json(*client, "/api/v1/breakdown?by=query_source&sort=cost_usd");
  ASSERT_EQ(2u, by_source["rows"].size()) << by_source;
  EXPECT_EQ("repl_main_thread", by_source["rows"][0]["key"]);
  EXPECT_EQ(30, by_source["rows"][0]["api_requests"]);
  EXPECT_NEAR(7.5, by_source["rows"][0]["cost_usd"].get<double>(), 1e-9);
  EXPECT_EQ("generate_session_title", by_source["rows"][1]["key"]);
  EXPECT_EQ(10, by_source["rows"][1]["api_requests"]);

  std::sort(ttft.begin(), ttft.end());
  const auto nearest_rank = [&](double p) {
    return ttft[static_cast<size_t>(std::ceil(p / 100 * static_cast<double>(ttft.size()))) - 1];
  };
  const json first_token = get_json(*client, "/api/v1/latency?by=model&measure=ttft_ms");
  EXPECT_EQ("ttft_ms", first_token["measure"]);
  ASSERT_EQ(1u, first_token["rows"].size()) << first_token;
  const json& row = first_token["rows"][0];
  EXPECT_EQ(30, row["count"]);
  EXPECT_EQ(nearest_rank(50), row["p50"]);
  EXPECT_EQ(nearest_rank(95), row["p95"]);
  EXPECT_EQ(ttft.back(), row["max"]);
  EXPECT_EQ(400, client->Get("/api/v1/latency?by=tool&measure=ttft_ms")->status);
  EXPECT_EQ(400, client->Get("/api/v1/latency?measure=speed")->status);
}

TEST(IngestHttpTest, OtlpTypedValuesAndPartialSuccess) {
  testing::TempStore store;
  testing::RunningServer server(testing::test_options(store.path()));
  auto client = server.client();
  TelemetryEvent e;
  e.time_ms = kStart + 5000;
  e.name = "api_request";
  e.session_id = "otlp-session";
  e.email = "Otlp.User@Example.com";
  e.attributes = {{"model", "claude-opus-4-6"},
                  {"input_tokens", int64_t{1234}},  // intValue
                  {"output_tokens", "56"},          // stringValue
                  {"cache_read_tokens", 789.0},     // doubleValue
                  {"cache_creation_tokens", int64_t{0}},
                  {"cost_usd", 0.125},
                  {"duration_ms", int64_t{4321}}};
  TelemetryEvent no_user = e;
  no_user.email = "";
  const auto response =
      client->Post("/v1/logs", testing::otlp_request({e, no_user}), "application/json");
  ASSERT_TRUE(response);
  ASSERT_EQ(200, response->status) << response->body;
  const json answer = json::parse(response->body);
  ASSERT_TRUE(answer.contains("partialSuccess")) << answer;
  EXPECT_EQ(1, answer["partialSuccess"]["rejectedLogRecords"]);

  server.wait_until_visible();
  const json summary = get_json(*client, "/api/v1/summary?email=otlp.user@example.com");
  EXPECT_EQ(1, summary["events"]);
  EXPECT_EQ(1234, summary["input_tokens"]);
  EXPECT_EQ(56, summary["output_tokens"]);
  EXPECT_EQ(789, summary["cache_read_tokens"]);
  EXPECT_DOUBLE_EQ(0.125, summary["cost_usd"].get<double>());
  const json latency = get_json(*client, "/api/v1/latency?by=model");
  EXPECT_EQ(4321, latency["rows"][0]["p50"]);

  const auto clean = client->Post("/v1/logs", testing::otlp_request({}), "application/json");
  ASSERT_TRUE(clean);
  EXPECT_EQ(200, clean->status);
  EXPECT_EQ(json::object(), json::parse(clean->body));

  for (const std::string& bad :
       {std::string("not json"), std::string("[1, 2]"), std::string(R"({"resourceLogs": 5})")}) {
    const auto refused = client->Post("/v1/logs", bad, "application/json");
    ASSERT_TRUE(refused);
    EXPECT_EQ(400, refused->status) << bad;
    EXPECT_TRUE(json::parse(refused->body).contains("error"));
  }
  server.wait_until_visible();
  EXPECT_EQ(1, get_json(*client, "/api/v1/summary")["events"]) << "refused bodies store nothing";
}

TEST(IngestHttpTest, TokenGuardsEveryIngestEndpoint) {
  testing::TempStore store;
  server::ServeOptions options = testing::test_options(store.path());
  options.ingest_token = "s3cret-token";
  testing::RunningServer server(options);
  auto client = server.client();
  const std::string body = jsonl(testing::telemetry_events(4, 2, kStart));
  const std::pair<const char*, const char*> endpoints[] = {{"/api/v1/ingest", "POST"},
                                                           {"/v1/logs", "POST"},
                                                           {"/v1/metrics", "POST"},
                                                           {"/api/v1/employees", "PUT"}};
  for (const auto& [path, method] : endpoints) {
    for (const httplib::Headers& headers :
         {httplib::Headers{}, httplib::Headers{{"Authorization", "Bearer wrong"}},
          httplib::Headers{{"Authorization", "s3cret-token"}}}) {
      const auto response = std::string(method) == "PUT"
                                ? client->Put(path, headers, body, "text/csv")
                                : client->Post(path, headers, body, "text/plain");
      ASSERT_TRUE(response);
      EXPECT_EQ(401, response->status) << path;
      EXPECT_TRUE(json::parse(response->body).contains("error"));
    }
  }
  const auto allowed = client->Post("/api/v1/ingest", {{"Authorization", "Bearer s3cret-token"}},
                                    body, "application/x-ndjson");
  ASSERT_TRUE(allowed);
  EXPECT_EQ(200, allowed->status);
  EXPECT_GT(get_json(*client, "/api/v1/summary")["events"].get<int>(), 0) << "reads need no token";
}

TEST(IngestHttpTest, BodiesOverTheLimitAre413EvenWhenCompressed) {
  testing::TempStore store;
  server::ServeOptions options = testing::test_options(store.path());
  options.max_body_mb = 1;
  testing::RunningServer server(options);
  auto client = server.client();
  const std::string big(3 << 20, '\n');
  const auto plain = client->Post("/api/v1/ingest", big, "application/x-ndjson");
  ASSERT_TRUE(plain);
  EXPECT_EQ(413, plain->status);
  EXPECT_TRUE(json::parse(plain->body).contains("error"));

  // 1.2 MB of real lines, a few kB once compressed: the limit applies to what it expands to.
  std::string lines;
  const std::string line = jsonl(testing::telemetry_events(5, 1, kStart), 100);
  while (lines.size() < (1 << 20) + 200'000) lines += line;
  auto fresh = server.client();
  const auto bomb = fresh->Post("/api/v1/ingest", {{"Content-Encoding", "gzip"}},
                                testing::gzip(lines), "application/x-ndjson");
  ASSERT_TRUE(bomb);
  EXPECT_EQ(413, bomb->status);
  auto after = server.client();
  EXPECT_EQ(0, get_json(*after, "/api/v1/summary")["events"]);
}

TEST(IngestHttpTest, RowsAnotherProcessCommitsAppearWithinSeconds) {
  testing::TempStore store;
  testing::RunningServer server(testing::test_options(store.path()));
  auto client = server.client();
  EXPECT_EQ(0, get_json(*client, "/api/v1/summary")["events"]);
  // What `ccanalytics ingest` does, on its own connection.
  const auto events = testing::telemetry_events(6, 8, kStart);
  ingest::Ingestor other_writer(store.path());
  other_writer.ingest_jsonl(jsonl(events), "cli");
  other_writer.load_employees_csv(
      "email,full_name,practice,level,location\ndev2@example.com,A B,Data,L2,Poland\n", "cli");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  json summary;
  while (std::chrono::steady_clock::now() < deadline) {
    summary = get_json(*client, "/api/v1/summary");
    if (summary["events"].get<size_t>() == events.size()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(events.size(), summary["events"].get<size_t>());
  while (std::chrono::steady_clock::now() < deadline &&
         get_json(*client, "/api/v1/employees")["total"] != 1)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(1, get_json(*client, "/api/v1/employees")["total"]);
}

TEST(IngestHttpTest, QueriesDuringIngestSeeWholeBatchesOnly) {
  testing::TempStore store;
  testing::RunningServer server(testing::test_options(store.path()));
  // Each batch commits atomically; a query must see a prefix of whole batches, never part of one.
  std::vector<std::string> batches;
  std::set<int64_t> prefix_totals = {0};
  int64_t total = 0;
  for (int b = 0; b < 12; ++b) {
    const auto events = testing::telemetry_events(100 + b, 6, kStart + b * kMsPerDay);
    batches.push_back(jsonl(events));
    total += static_cast<int64_t>(events.size());
    prefix_totals.insert(total);
  }
  std::atomic<bool> done{false};
  std::atomic<int> violations{0}, reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&, r] {
      auto client = server.client();
      int64_t last_seen = 0;
      while (!done.load()) {
        const char* target = r == 0   ? "/api/v1/summary"
                             : r == 1 ? "/api/v1/breakdown?by=event_type"
                                      : "/api/v1/timeseries?bucket=hour";
        const auto response = client->Get(target);
        if (!response || response->status != 200) {
          ++violations;
          continue;
        }
        const json body = json::parse(response->body);
        int64_t events = 0;
        if (r == 0) events = body["events"];
        if (r == 1)
          for (const json& row : body["rows"]) events += row["events"].get<int64_t>();
        if (r == 2)
          for (const json& point : body["points"]) events += point["events"].get<int64_t>();
        if (!prefix_totals.count(events) || events < last_seen) ++violations;
        last_seen = events;
        ++reads;
      }
    });
  }
  auto writer = server.client();
  for (const std::string& batch : batches)
    ASSERT_EQ(200, writer->Post("/api/v1/ingest", batch, "application/x-ndjson")->status);
  done = true;
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(0, violations.load());
  EXPECT_GT(reads.load(), 10);
  EXPECT_EQ(total, get_json(*writer, "/api/v1/summary")["events"].get<int64_t>());
}

}  // namespace
}  // namespace cca::server
