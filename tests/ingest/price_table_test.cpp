// The price table against what the real client computed: every api_request the fixtures hold
// carries Claude Code's own cost_usd beside its tokens.
#include "ingest/price_table.h"

#include <gtest/gtest.h>

#include <fstream>

#include "ingest/ingestor.h"
#include "support/test_support.h"

namespace cca::ingest {
namespace {

using nlohmann::json;

double number_of(const json& any_value) {
  const json& v = any_value.begin().value();
  return v.is_string() ? std::stod(v.get<std::string>()) : v.get<double>();
}

// Every api_request of the fixtures, as {attribute: value} with values as sent.
std::vector<json> fixture_api_requests() {
  std::vector<json> requests;
  const auto fixtures = test::claude_code_otlp_fixtures();
  if (!fixtures) return requests;
  for (const auto& path : test::otlp_fixture_files(*fixtures, "logs")) {
    std::ifstream in(path);
    const json request = json::parse(in);
    for (const json& resource_logs : request["resourceLogs"])
      for (const json& scope_logs : resource_logs["scopeLogs"])
        for (const json& record : scope_logs["logRecords"]) {
          json attributes = json::object();
          for (const json& kv : record["attributes"])
            attributes[kv["key"].get<std::string>()] = kv["value"];
          if (attributes["event.name"]["stringValue"] == "api_request")
            requests.push_back(attributes);
        }
  }
  return requests;
}

TEST(PriceTable, EstimatesWhatTheRealClientCharged) {
  const std::vector<json> requests = fixture_api_requests();
  if (requests.empty()) GTEST_SKIP() << "the claude-code-2.1.328-otlp fixtures are absent";
  std::set<std::string> models;
  for (const json& a : requests) {
    const std::string model = a["model"]["stringValue"];
    models.insert(model);
    TokenCounts tokens;
    tokens.input = number_of(a["input_tokens"]);
    tokens.output = number_of(a["output_tokens"]);
    tokens.cache_read = number_of(a["cache_read_tokens"]);
    tokens.cache_creation = number_of(a["cache_creation_tokens"]);
    tokens.cache_creation_5m = number_of(a["cache_creation_5m_tokens"]);
    tokens.cache_creation_1h = number_of(a["cache_creation_1h_tokens"]);
    const std::optional<double> estimate = estimate_cost_usd(model, tokens);
    ASSERT_TRUE(estimate) << model;
    EXPECT_NEAR(*estimate, number_of(a["cost_usd"]), 1e-12) << a.dump();
  }
  EXPECT_GE(models.size(), 2u);
}

TEST(PriceTable, ReadsEveryProvidersSpellingAndNoUnknownModel) {
  const auto family = [](std::string_view model) {
    const ModelPrice* price = find_model_price(model);
    return price ? std::string(price->family) : std::string("unknown");
  };
  EXPECT_EQ(family("claude-sonnet-4-5-20250929"), "sonnet-4-5");
  EXPECT_EQ(family("claude-sonnet-4-5"), "sonnet-4-5");
  EXPECT_EQ(family("us.anthropic.claude-sonnet-4-5-20250929-v1:0"), "sonnet-4-5");
  EXPECT_EQ(family("claude-opus-4-5@20251101"), "opus-4-5");
  EXPECT_EQ(family("claude-opus-4-20250514"), "opus-4");
  EXPECT_EQ(family("claude-opus-4-1-20250805"), "opus-4-1");
  EXPECT_EQ(family("claude-sonnet-4-6[1m]"), "sonnet-4-6");
  EXPECT_EQ(family("claude-3-5-haiku-20241022"), "3-5-haiku");
  EXPECT_EQ(family("claude-3-haiku-20240307"), "3-haiku");
  EXPECT_EQ(family("claude-opus-4-7"), "unknown");
  EXPECT_EQ(family("claude-opus-45"), "unknown");
  EXPECT_EQ(family("gpt-4o"), "unknown");
  EXPECT_FALSE(estimate_cost_usd("gpt-4o", {1000, 100, 0, 0, 0, 0}));
}

// Without cost_usd, the stored cost is cost_usd_micros when sent, else the table's estimate,
// marked as estimated; the newer fields are stored in their columns.
TEST(PriceTable, IngestCompletesAMissingCost) {
  const std::vector<json> requests = fixture_api_requests();
  if (requests.empty()) GTEST_SKIP() << "the claude-code-2.1.328-otlp fixtures are absent";
  json record_attributes = json::array();
  const json& sent = requests.front();
  for (const auto& [key, value] : sent.items()) record_attributes.push_back({{"key", key}, {"value", value}});
  const auto request_without = [&](std::vector<std::string> dropped, const std::string& session) {
    json attributes = json::array();
    for (const json& kv : record_attributes) {
      if (std::find(dropped.begin(), dropped.end(), kv["key"]) != dropped.end()) continue;
      attributes.push_back(kv["key"] == "session.id"
                               ? json{{"key", "session.id"}, {"value", {{"stringValue", session}}}}
                               : kv);
    }
    return json{{"resourceLogs",
                 {{{"scopeLogs", {{{"logRecords", {{{"attributes", attributes}}}}}}}}}}}
        .dump();
  };
  test::TempDir dir;
  const std::string db = dir.file("store.db");
  Ingestor ingestor(db);
  EXPECT_EQ(ingestor.ingest_otlp_logs(request_without({}, "as-sent")).accepted, 1u);
  EXPECT_EQ(ingestor.ingest_otlp_logs(request_without({"cost_usd"}, "micros")).accepted, 1u);
  EXPECT_EQ(
      ingestor.ingest_otlp_logs(request_without({"cost_usd", "cost_usd_micros"}, "table")).accepted,
      1u);
  const double charged = number_of(sent["cost_usd"]);
  const auto stored = [&](const std::string& session, const std::string& column) {
    return test::sql_double(
        db, "SELECT " + column + " FROM events_decoded WHERE session_id = '" + session + "'");
  };
  EXPECT_DOUBLE_EQ(stored("as-sent", "cost_usd"), charged);
  EXPECT_EQ(stored("as-sent", "cost_estimated"), 0);
  EXPECT_DOUBLE_EQ(stored("micros", "cost_usd"), number_of(sent["cost_usd_micros"]) / 1e6);
  EXPECT_EQ(stored("micros", "cost_estimated"), 0);
  EXPECT_NEAR(stored("table", "cost_usd"), charged, 1e-12);
  EXPECT_EQ(stored("table", "cost_estimated"), 1);
  EXPECT_DOUBLE_EQ(stored("as-sent", "ttft_ms"), number_of(sent["ttft_ms"]));
  EXPECT_DOUBLE_EQ(stored("as-sent", "cache_creation_5m_tokens"),
                   number_of(sent["cache_creation_5m_tokens"]));
  EXPECT_DOUBLE_EQ(stored("as-sent", "cache_creation_1h_tokens"),
                   number_of(sent["cache_creation_1h_tokens"]));
  EXPECT_EQ(test::sql_text(db, "SELECT query_source FROM events_decoded WHERE session_id = 'as-sent'"),
            sent["query_source"]["stringValue"].get<std::string>());
  EXPECT_EQ(test::sql_text(db, "SELECT speed FROM events_decoded WHERE session_id = 'as-sent'"),
            sent["speed"]["stringValue"].get<std::string>());
  // The fields with columns no longer ride in extra.
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM events WHERE extra LIKE '%ttft_ms%' OR extra "
                              "LIKE '%query_source%' OR extra LIKE '%cost_usd_micros%'"),
            0);
}

}  // namespace
}  // namespace cca::ingest
