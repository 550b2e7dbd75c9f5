// OTLP metrics into ClickHouse beyond what the differential test shows: a metrics file, its
// exports written many at a time, stores what its exports one by one store; an export whose series
// write was lost counts right once delivered again; and a version-3 store gains the metric tables
// when a newer ccanalytics starts on it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "clickhouse/clickhouse_ingestor.h"
#include "clickhouse/code_queries.h"
#include "clickhouse/random_metrics.h"
#include "clickhouse/schema.h"
#include "clickhouse/test_database.h"
#include "engine/code_activity.h"
#include "engine/engine.h"
#include "engine/temp_store.h"
#include "ingest/ingestor.h"
#include "support/test_support.h"

namespace cca::clickhouse {
namespace {

using nlohmann::json;

// An export of one cumulative lines-of-code series: its total `value` at `time_s`.
std::string cumulative_lines(int64_t time_s, double value,
                             const std::string& email = "ana@example.com") {
  const auto kv = [](const std::string& key, const std::string& value) {
    return json{{"key", key}, {"value", {{"stringValue", value}}}};
  };
  json point = json::object();
  point["attributes"] = json::array({kv("user.email", email), kv("type", "added")});
  point["startTimeUnixNano"] = "1793491200000000000";
  point["timeUnixNano"] = std::to_string(time_s * 1'000'000'000);
  point["asDouble"] = value;
  json sum = json::object();
  sum["aggregationTemporality"] = 2;
  sum["isMonotonic"] = true;
  sum["dataPoints"] = json::array({point});
  json metric = json::object();
  metric["name"] = std::string(engine::code_metric::kLinesOfCode);
  metric["sum"] = sum;
  json scope = json::object();
  scope["metrics"] = json::array({metric});
  json resource = json::object();
  resource["scopeMetrics"] = json::array({scope});
  json request = json::object();
  request["resourceMetrics"] = json::array({resource});
  return request.dump();
}

// What a database holds of metrics: each point with its delta, each series' latest state, and
// what was quarantined.
std::string stored_metrics(const ClickHouseClient& client) {
  return client.query(
             "SELECT series_hi, series_lo, start_ns, time_ns, name, kind, unit, value, delta, "
             "delta_count, user, attr_keys, attr_values FROM metric_points ORDER BY series_hi, "
             "series_lo, start_ns, time_ns") +
         "--\n" +
         client.query(
             "SELECT key_hi, key_lo, argMax(kind, version), argMax(unit, version), "
             "argMax(has_last, version), argMax(last_start_ns, version), "
             "argMax(last_time_ns, version), argMax(last_value, version), "
             "argMax(last_count, version) FROM metric_series GROUP BY key_hi, key_lo "
             "ORDER BY key_hi, key_lo") +
         "--\n" + client.query("SELECT DISTINCT reason, raw FROM quarantine ORDER BY reason, raw");
}

TEST(ClickHouseMetricIngest, AMetricsFileStoresWhatItsExportsOneByOneStore) {
  const auto one_by_one = TestDatabase::create("metrics_one_by_one");
  if (!one_by_one) GTEST_SKIP() << TestDatabase::kSkipReason;
  const auto from_file = TestDatabase::create("metrics_file");
  ASSERT_NE(from_file, nullptr);
  const testing::RandomMetrics metrics = testing::make_random_metrics(20261206);
  ingest::IngestReport expected;
  {
    ClickHouseIngestor ingestor(one_by_one->url());
    for (const std::string& body : metrics.requests)
      expected.merge(ingestor.ingest_otlp_metrics(body, ingest::OtlpEncoding::kJson));
  }
  ASSERT_GT(expected.duplicates, 0u);
  ASSERT_GT(expected.rejected_events, 0u);

  test::TempDir dir;
  const std::string path = dir.file("otlp_metrics.jsonl");
  std::string file;
  for (const std::string& body : metrics.requests) file += body + "\n";
  test::write_file(path, file);
  // 37 points a write: a cumulative series' points, a redelivery and what it repeats fall into
  // different writes as often as into the same one.
  const ingest::IngestReport actual =
      ClickHouseIngestor(from_file->url()).ingest_metrics_file(path, 37);
  EXPECT_EQ(expected.accepted, actual.accepted);
  EXPECT_EQ(expected.duplicates, actual.duplicates);
  EXPECT_EQ(expected.rejected_by_reason, actual.rejected_by_reason);
  EXPECT_EQ(metrics.requests.size(), actual.lines);
  EXPECT_EQ(stored_metrics(ClickHouseClient(one_by_one->url())),
            stored_metrics(ClickHouseClient(from_file->url())));
}

// One write of a file's exports from 2,000 people over 60 days: what is stored of them is asked
// with the people and days as external data, not as lists in the query's URL.
TEST(ClickHouseMetricIngest, AWriteOfManyPeopleAndDaysIsOneQuery) {
  const auto database = TestDatabase::create("metrics_many_people");
  if (!database) GTEST_SKIP() << TestDatabase::kSkipReason;
  test::TempDir dir;
  const std::string path = dir.file("otlp_metrics.jsonl");
  std::string file;
  for (int person = 0; person < 2000; ++person)
    file += cumulative_lines(1793500000 + person % 60 * 86400, 1,
                             "engineer-with-a-long-address-" + std::to_string(person) +
                                 "@a-company-with-a-long-domain.example.com") +
            "\n";
  test::write_file(path, file);
  ClickHouseIngestor ingestor(database->url());
  EXPECT_EQ(2000u, ingestor.ingest_metrics_file(path).accepted);
  EXPECT_EQ(2000u, ingestor.ingest_metrics_file(path).duplicates);
}

TEST(ClickHouseMetricIngest, AnExportWhoseSeriesWriteWasLostCountsOnceDeliveredAgain) {
  const auto database = TestDatabase::create("lost_series");
  if (!database) GTEST_SKIP() << TestDatabase::kSkipReason;
  const auto scratch = TestDatabase::create("lost_series_scratch");
  ASSERT_NE(scratch, nullptr);
  const std::string first = cumulative_lines(1793500000, 5),
                    second = cumulative_lines(1793500060, 8);

  // The embedded store: the first export, delivered twice, then the second.
  testing::TempStore store;
  {
    ingest::Ingestor embedded(store.path());
    for (const std::string* body : {&first, &first, &second})
      embedded.ingest_otlp_metrics(*body, ingest::OtlpEncoding::kJson);
  }
  const double expected =
      engine::code_activity(*engine::Engine(store.path()).snapshot(), {}).lines_added;
  ASSERT_EQ(8, expected);

  // ClickHouse as a failed first delivery leaves it: the points stored, their series not.
  ClickHouseIngestor(scratch->url()).ingest_otlp_metrics(first, ingest::OtlpEncoding::kJson);
  ClickHouseIngestor clickhouse(database->url());
  const ClickHouseClient client(database->url());
  client.query("INSERT INTO metric_points SELECT * FROM " + scratch->url().database +
               ".metric_points");
  const ingest::IngestReport again =
      clickhouse.ingest_otlp_metrics(first, ingest::OtlpEncoding::kJson);
  EXPECT_EQ(0u, again.accepted);
  EXPECT_EQ(1u, again.duplicates);
  clickhouse.ingest_otlp_metrics(second, ingest::OtlpEncoding::kJson);
  EXPECT_EQ(expected, CodeQueries(client).code_activity({}).lines_added);
}

TEST(ClickHouseMetricIngest, AVersionThreeStoreGainsTheMetricTablesOnStart) {
  const auto database = TestDatabase::create("metric_upgrade");
  if (!database) GTEST_SKIP() << TestDatabase::kSkipReason;
  const ClickHouseClient client(database->url());
  ensure_schema(client);
  for (const char* table : {"metric_series", "metric_points", "schema_version"})
    client.query(std::string("DROP TABLE ") + table);
  client.query(
      "CREATE TABLE schema_version (version UInt32, applied_ms Int64) ENGINE = MergeTree ORDER BY "
      "version");
  client.query("INSERT INTO schema_version VALUES (3, 0)");

  ClickHouseIngestor ingestor(database->url());
  EXPECT_EQ(std::to_string(kSchemaVersion) + "\n",
            client.query("SELECT max(version) FROM schema_version"));
  EXPECT_EQ(
      1u, ingestor.ingest_otlp_metrics(cumulative_lines(1793500000, 5), ingest::OtlpEncoding::kJson)
              .accepted);
  EXPECT_EQ(5, CodeQueries(client).code_activity({}).lines_added);
}

}  // namespace
}  // namespace cca::clickhouse
