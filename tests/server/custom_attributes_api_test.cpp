// Custom attributes over HTTP: `by=attr.<key>`, `attr.<key>=` filters, facets, malformed names,
// and serve --practice-attribute; answers checked against SQLite's json_extract over the store.
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/random_store.h"
#include "engine/sql_oracle.h"
#include "engine/temp_store.h"
#include "server/running_server.h"

namespace cca::server {
namespace {

using nlohmann::json;

class CustomAttributesApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store_ = std::make_unique<testing::TempStore>();
    db_ = std::make_unique<store::Database>(store_->path());
    history_ = testing::make_random_history(11, 40);
    testing::StoreWriter writer(*db_);
    writer.replace_directory(history_.directory);
    writer.insert(history_.events);
    server_ = std::make_unique<testing::RunningServer>(testing::test_options(store_->path()));
    oracle_ = std::make_unique<testing::SqlOracle>(*db_);
  }
  static void TearDownTestSuite() {
    server_.reset();
    oracle_.reset();
    db_.reset();
    store_.reset();
  }

  static json get(const testing::RunningServer& server, const std::string& target,
                  int status = 200) {
    auto client = server.client();
    const auto response = client->Get(target);
    EXPECT_TRUE(response) << target;
    if (!response) return json();
    EXPECT_EQ(status, response->status) << target << " -> " << response->body;
    return json::parse(response->body);
  }
  static json get(const std::string& target, int status = 200) {
    return get(*server_, target, status);
  }

  // A breakdown's rows as key -> events, checked against the oracle's grouping.
  static void expect_breakdown(const json& answer,
                               const std::map<std::string, testing::SqlMetrics>& want,
                               const std::string& context) {
    ASSERT_EQ(want.size(), answer["rows"].size()) << context;
    for (const json& row : answer["rows"]) {
      const std::string key = row["key"];
      ASSERT_TRUE(want.count(key)) << context << " " << key;
      EXPECT_EQ(want.at(key).events, row["events"].get<int64_t>()) << context << " " << key;
      EXPECT_EQ(want.at(key).sessions, row["sessions"].get<int64_t>()) << context << " " << key;
    }
  }

  static std::unique_ptr<testing::TempStore> store_;
  static std::unique_ptr<store::Database> db_;
  static testing::RandomHistory history_;
  static std::unique_ptr<testing::RunningServer> server_;
  static std::unique_ptr<testing::SqlOracle> oracle_;
};

std::unique_ptr<testing::TempStore> CustomAttributesApi::store_;
std::unique_ptr<store::Database> CustomAttributesApi::db_;
testing::RandomHistory CustomAttributesApi::history_;
std::unique_ptr<testing::RunningServer> CustomAttributesApi::server_;
std::unique_ptr<testing::SqlOracle> CustomAttributesApi::oracle_;

TEST_F(CustomAttributesApi, BreakdownByAnAttribute) {
  const json answer = get("/api/v1/breakdown?by=attr.team.id");
  EXPECT_EQ("attr.team.id", answer["by"]);
  const auto want = oracle_->grouped({}, testing::SqlOracle::attribute_sql("team.id"));
  ASSERT_GE(want.size(), 2u);
  expect_breakdown(answer, want, "by=attr.team.id");
  // A key no event carries is a valid question with no rows.
  EXPECT_TRUE(get("/api/v1/breakdown?by=attr.never.sent")["rows"].empty());
}

TEST_F(CustomAttributesApi, AttributeFiltersOnEveryAnalyticsEndpoint) {
  engine::Filter cc42;
  cc42.attributes = {{"cost_center", {"cc-42"}}};
  const int64_t want = oracle_->summary(cc42).events;
  ASSERT_GT(want, 0);
  ASSERT_LT(want, oracle_->summary({}).events);
  EXPECT_EQ(want, get("/api/v1/summary?attr.cost_center=cc-42")["events"].get<int64_t>());

  // Comma = any of; repeats add up; two keys both apply; unknown values match nothing.
  engine::Filter two;
  two.attributes = {{"cost_center", {"cc-42"}}, {"team.id", {"platform", "ml"}}};
  const int64_t want_two = oracle_->summary(two).events;
  EXPECT_EQ(want_two,
            get("/api/v1/summary?attr.cost_center=cc-42&attr.team.id=platform,ml")["events"]
                .get<int64_t>());
  EXPECT_EQ(
      want_two,
      get("/api/v1/summary?attr.team.id=platform&attr.cost_center=cc-42&attr.team.id=ml")["events"]
          .get<int64_t>());
  EXPECT_EQ(0, get("/api/v1/summary?attr.cost_center=cc-nope")["events"].get<int64_t>());

  expect_breakdown(get("/api/v1/breakdown?by=model&attr.cost_center=cc-42"),
                   oracle_->grouped(cc42, "e.model"), "by=model attr.cost_center=cc-42");
  for (const std::string path :
       {"/api/v1/timeseries?bucket=day", "/api/v1/heatmap?metrics=events",
        "/api/v1/sessions?limit=5", "/api/v1/users?limit=5", "/api/v1/latency?by=model",
        "/api/v1/distribution?of=session_cost_usd",
        "/api/v1/export.csv?view=breakdown&by=attr.team.id"}) {
    const std::string target = path + "&attr.cost_center=cc-42";
    auto client = server_->client();
    const auto response = client->Get(target);
    ASSERT_TRUE(response) << target;
    EXPECT_EQ(200, response->status) << target << " -> " << response->body;
  }
  auto client = server_->client();
  const auto csv = client->Get("/api/v1/export.csv?view=breakdown&by=attr.cost_center");
  ASSERT_TRUE(csv);
  EXPECT_NE(std::string::npos, csv->body.find("cc-42"));
}

TEST_F(CustomAttributesApi, FacetsListEachAttributeWithItsValues) {
  const json facets = get("/api/v1/facets");
  for (const auto& [key, values] : history_.attributes) {
    const std::vector<std::string> want =
        oracle_->distinct({}, testing::SqlOracle::attribute_sql(key));
    if (want.empty()) {
      EXPECT_FALSE(facets.contains("attr." + key)) << key;
    } else {
      EXPECT_EQ(want, facets["attr." + key].get<std::vector<std::string>>()) << key;
    }
  }
  // Under its own filter a key still lists its alternatives; other keys narrow.
  engine::Filter cc42;
  cc42.attributes = {{"cost_center", {"cc-42"}}};
  const json narrowed = get("/api/v1/facets?attr.cost_center=cc-42");
  EXPECT_EQ(facets["attr.cost_center"], narrowed["attr.cost_center"]);
  EXPECT_EQ(oracle_->distinct(cc42, testing::SqlOracle::attribute_sql("team.id")),
            narrowed["attr.team.id"].get<std::vector<std::string>>());
}

TEST_F(CustomAttributesApi, MalformedAttributeNamesAre400) {
  for (const char* target :
       {"/api/v1/summary?attr.=x", "/api/v1/summary?attr.%01key=x", "/api/v1/breakdown?by=attr.",
        "/api/v1/breakdown?by=attribute.team.id"}) {
    const json body = get(target, 400);
    EXPECT_TRUE(body["error"]["message"].is_string()) << target;
  }
  // Endpoints without filters take no attribute either.
  EXPECT_EQ("unknown_parameter",
            get("/api/v1/quality?attr.team.id=x", 400)["error"]["code"].get<std::string>());
}

TEST_F(CustomAttributesApi, PracticeFromAnAttribute) {
  server::ServeOptions options = testing::test_options(store_->path());
  options.practice_attribute = "department";
  const testing::RunningServer by_department(options);
  const auto want = oracle_->grouped({}, testing::SqlOracle::practice_sql("department"));
  ASSERT_TRUE(want.count("research") || want.count("engineering"));
  expect_breakdown(get(by_department, "/api/v1/breakdown?by=practice"), want,
                   "--practice-attribute department");
  // Without the option the attribute is no practice.
  const json plain = get("/api/v1/breakdown?by=practice");
  for (const json& row : plain["rows"]) EXPECT_NE("research", row["key"]);
}

}  // namespace
}  // namespace cca::server
