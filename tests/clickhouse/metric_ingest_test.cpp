// OTLP metrics into ClickHouse beyond what the differential test shows: an export whose series
// write was lost counts right once delivered again, and a version-3 store gains the metric tables
// when a newer ccanalytics starts on it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "clickhouse/clickhouse_ingestor.h"
#include "clickhouse/code_queries.h"
#include "clickhouse/schema.h"
#include "clickhouse/test_database.h"
#include "engine/code_activity.h"
#include "engine/engine.h"
#include "engine/temp_store.h"
#include "ingest/ingestor.h"

namespace cca::clickhouse {
namespace {

using nlohmann::json;

// An export of one cumulative lines-of-code series: its total `value` at `time_s`.
std::string cumulative_lines(int64_t time_s, double value) {
  const auto kv = [](const std::string& key, const std::string& value) {
    return json{{"key", key}, {"value", {{"stringValue", value}}}};
  };
  json point = json::object();
  point["attributes"] = json::array({kv("user.email", "ana@example.com"), kv("type", "added")});
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
