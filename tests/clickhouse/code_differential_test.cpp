// Code activity from the ClickHouse store against the embedded engine, both fed the same OTLP
// metrics exports through their own ingests: the real Claude Code captures (JSON and protobuf)
// and a seeded random fleet with redeliveries, cumulative series and refused points (some of its
// exports sent as protobuf). Every export is counted alike, and under random filter combinations
// all four answers agree, sums to 1e-9 relative.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>

#include "clickhouse/clickhouse_ingestor.h"
#include "clickhouse/code_queries.h"
#include "clickhouse/random_metrics.h"
#include "clickhouse/test_database.h"
#include "engine/code_activity.h"
#include "engine/engine.h"
#include "engine/otlp_metrics_fixture.h"
#include "engine/query_error.h"
#include "engine/random_store.h"
#include "engine/temp_store.h"
#include "ingest/ingestor.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"

namespace cca::clickhouse {
namespace {

using engine::CodeActivity;
using ingest::OtlpEncoding;
using testing::describe;

struct Delivery {
  std::string body;
  OtlpEncoding encoding;
};

std::string as_protobuf(const std::string& json_body) {
  opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest request;
  if (!google::protobuf::util::JsonStringToMessage(json_body, &request).ok()) return {};
  return request.SerializeAsString();
}

// What the embedded store holds, the engine over it, and a ClickHouse database fed alike.
struct CodeStores {
  static const CodeStores* get() {
    static const std::unique_ptr<CodeStores> stores = build();
    return stores.get();
  }

  std::unique_ptr<TestDatabase> database;
  std::unique_ptr<testing::TempStore> store;
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<ClickHouseClient> client;
  testing::RandomMetrics metrics;
  std::vector<std::string> miscounted;  // exports whose counts differ between the stores
  uint64_t accepted = 0, duplicates = 0, rejected = 0, protobuf = 0;

 private:
  static std::unique_ptr<CodeStores> build() {
    auto s = std::make_unique<CodeStores>();
    s->database = TestDatabase::create("code");
    if (!s->database) return nullptr;
    s->metrics = testing::make_random_metrics(20261205);
    std::vector<Delivery> deliveries;
    if (const auto dataset = testing::otlp_dataset()) {
      for (const std::string& body :
           testing::metric_requests(*dataset, {"metrics-1.json", "metrics-2.json"}))
        deliveries.push_back({body, OtlpEncoding::kJson});
      for (const std::string& body : testing::metric_requests(*dataset, {"metrics.pb"}))
        deliveries.push_back({body, OtlpEncoding::kProtobuf});
      for (const char* folder :
           {"full-run", "cumulative-temporality", "session-id-off-repository-on"})
        for (const std::string& body : testing::metric_requests(*dataset / folder))
          deliveries.push_back({body, OtlpEncoding::kJson});
    }
    for (size_t i = 0; i < s->metrics.requests.size(); ++i) {
      const std::string& body = s->metrics.requests[i];
      if (i % 5 == 4) {
        deliveries.push_back({as_protobuf(body), OtlpEncoding::kProtobuf});
      } else {
        deliveries.push_back({body, OtlpEncoding::kJson});
      }
    }

    s->store = std::make_unique<testing::TempStore>();
    ingest::Ingestor embedded(s->store->path());
    ClickHouseIngestor clickhouse(s->database->url());
    embedded.load_employees_csv(s->metrics.directory_csv, "directory.csv");
    clickhouse.load_employees_csv(s->metrics.directory_csv, "directory.csv");
    for (size_t i = 0; i < deliveries.size(); ++i) {
      const Delivery& d = deliveries[i];
      if (d.encoding == OtlpEncoding::kProtobuf) ++s->protobuf;
      const ingest::IngestReport expected = embedded.ingest_otlp_metrics(d.body, d.encoding);
      const ingest::IngestReport actual = clickhouse.ingest_otlp_metrics(d.body, d.encoding);
      if (expected.accepted != actual.accepted || expected.duplicates != actual.duplicates ||
          expected.rejected_events != actual.rejected_events ||
          expected.rejected_by_reason != actual.rejected_by_reason)
        s->miscounted.push_back(
            "export " + std::to_string(i) + ": accepted " + std::to_string(expected.accepted) +
            " vs " + std::to_string(actual.accepted) + ", duplicates " +
            std::to_string(expected.duplicates) + " vs " + std::to_string(actual.duplicates));
      s->accepted += expected.accepted;
      s->duplicates += expected.duplicates;
      s->rejected += expected.rejected_events;
    }
    s->engine = std::make_unique<engine::Engine>(s->store->path());
    s->client = std::make_unique<ClickHouseClient>(s->database->url());
    return s;
  }
};

::testing::AssertionResult same_number(double expected, double actual) {
  if (std::abs(expected - actual) <= 1e-9 * std::max(std::abs(expected), std::abs(actual)))
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << expected << " != " << actual;
}

void expect_same(const CodeActivity& expected, const CodeActivity& actual,
                 const std::string& context) {
  SCOPED_TRACE(context);
  EXPECT_TRUE(same_number(expected.lines_added, actual.lines_added)) << "lines_added";
  EXPECT_TRUE(same_number(expected.lines_removed, actual.lines_removed)) << "lines_removed";
  EXPECT_TRUE(same_number(expected.commits, actual.commits)) << "commits";
  EXPECT_TRUE(same_number(expected.pull_requests, actual.pull_requests)) << "pull_requests";
  EXPECT_TRUE(same_number(expected.active_time_s, actual.active_time_s)) << "active_time_s";
  EXPECT_TRUE(same_number(expected.sessions_started, actual.sessions_started))
      << "sessions_started";
  EXPECT_TRUE(same_number(expected.edit_decisions, actual.edit_decisions)) << "edit_decisions";
  EXPECT_TRUE(same_number(expected.edit_accepts, actual.edit_accepts)) << "edit_accepts";
}

class ClickHouseCodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stores_ = CodeStores::get();
    if (!stores_) GTEST_SKIP() << TestDatabase::kSkipReason;
    queries_ = std::make_unique<CodeQueries>(*stores_->client);
  }
  std::shared_ptr<const engine::Snapshot> snapshot() const { return stores_->engine->snapshot(); }

  const CodeStores* stores_ = nullptr;
  std::unique_ptr<CodeQueries> queries_;
};

TEST_F(ClickHouseCodeTest, EveryExportIsCountedAlike) {
  EXPECT_TRUE(stores_->miscounted.empty())
      << stores_->miscounted.size() << " exports, first " << stores_->miscounted.front();
  // The fleet has all the cases it is meant to have.
  EXPECT_GT(stores_->accepted, 1000u);
  EXPECT_GT(stores_->duplicates, 100u);
  EXPECT_GT(stores_->rejected, 5u);
  EXPECT_GT(stores_->protobuf, 10u);
  EXPECT_EQ(std::to_string(stores_->accepted) + "\n",
            stores_->client->query("SELECT count() FROM metric_points"));
  EXPECT_NE("0\n",
            stores_->client->query(
                "SELECT count() FROM ingests WHERE source = 'otlp-metrics' AND accepted > 0"));
  EXPECT_NE("0\n", stores_->client->query(
                       "SELECT count() FROM quarantine WHERE source = 'otlp-metrics' AND kind = "
                       "'data_point'"));
}

TEST_F(ClickHouseCodeTest, TotalsUnderRandomFilters) {
  std::mt19937_64 random(1);
  const CodeActivity all = engine::code_activity(*snapshot(), {});
  EXPECT_GT(all.lines_added, 0);
  EXPECT_GT(all.edit_accepts, 0);
  EXPECT_GT(all.active_time_s, 0);
  expect_same(all, queries_->code_activity({}), "no filter");
  for (int i = 0; i < 300; ++i) {
    const engine::Filter filter = testing::random_code_filter(stores_->metrics, random);
    expect_same(engine::code_activity(*snapshot(), filter), queries_->code_activity(filter),
                describe(filter));
  }
}

TEST_F(ClickHouseCodeTest, TimelinesUnderRandomFilters) {
  std::mt19937_64 random(2);
  const engine::Bucket buckets[] = {engine::Bucket::kHour, engine::Bucket::kDay,
                                    engine::Bucket::kWeek};
  for (int i = 0; i < 90; ++i) {
    const engine::Filter filter = testing::random_code_filter(stores_->metrics, random);
    const engine::Bucket bucket = buckets[i % 3];
    const std::string context =
        describe(filter) + " bucket=" + std::string(engine::bucket_name(bucket));
    engine::CodeTimeline expected;
    try {
      expected = engine::code_timeline(*snapshot(), filter, bucket);
    } catch (const engine::QueryError&) {
      EXPECT_THROW(queries_->code_timeline(filter, bucket), engine::QueryError) << context;
      continue;
    }
    const engine::CodeTimeline actual = queries_->code_timeline(filter, bucket);
    ASSERT_EQ(expected.starts, actual.starts) << context;
    ASSERT_EQ(expected.points.size(), actual.points.size()) << context;
    for (size_t b = 0; b < expected.points.size(); ++b)
      expect_same(expected.points[b], actual.points[b], context + " bucket " + std::to_string(b));
  }
}

TEST_F(ClickHouseCodeTest, BreakdownsUnderRandomFilters) {
  std::mt19937_64 random(3);
  const char* groupings[] = {"language",
                             "model",
                             "tool",
                             "email",
                             "practice",
                             "attr.team.id",
                             "attr.cost_center",
                             "attr.session.id",
                             "attr.user.email",
                             "attr.empty.tag",
                             "attr.build.number",
                             "attr.repo",
                             "attr.no.such.key",
                             "attr.service.name",
                             "attr.decision"};
  for (int i = 0; i < 40; ++i) {
    const engine::Filter filter =
        i == 0 ? engine::Filter() : testing::random_code_filter(stores_->metrics, random);
    for (const char* name : groupings) {
      const std::string context = describe(filter) + " by=" + name;
      const engine::CodeGrouping by = *engine::parse_code_grouping(name);
      const auto expected = engine::code_breakdown(*snapshot(), filter, by);
      const auto actual = queries_->code_breakdown(filter, by);
      if (i == 0 && std::string_view(name).substr(0, 5) != "attr.") {
        EXPECT_FALSE(expected.empty()) << context;
      }
      ASSERT_EQ(expected.size(), actual.size()) << context;
      for (size_t r = 0; r < expected.size(); ++r) {
        EXPECT_EQ(expected[r].key, actual[r].key) << context;
        expect_same(expected[r].activity, actual[r].activity, context + " row " + expected[r].key);
      }
    }
  }
}

TEST_F(ClickHouseCodeTest, MetricNamesAlike) {
  const auto expected = engine::metric_names(*snapshot());
  const auto actual = queries_->metric_names();
  ASSERT_EQ(expected.size(), actual.size());
  EXPECT_GT(expected.size(), 8u);
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(expected[i].name);
    EXPECT_EQ(expected[i].name, actual[i].name);
    EXPECT_EQ(expected[i].kind, actual[i].kind);
    EXPECT_EQ(expected[i].unit, actual[i].unit);
    EXPECT_EQ(expected[i].series, actual[i].series);
    EXPECT_EQ(expected[i].points, actual[i].points);
  }
}

}  // namespace
}  // namespace cca::clickhouse
