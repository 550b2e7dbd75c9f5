// Upgrading a store made by an older version in place: the tables it lacks are created and
// filled from its events, and the answers read from them are the original store's.
#include "clickhouse/schema.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "clickhouse/facet_values.h"
#include "clickhouse/history_stores.h"
#include "clickhouse/latency_rollups.h"
#include "clickhouse/people_queries.h"
#include "clickhouse/queries.h"
#include "clickhouse/rollups.h"
#include "clickhouse/session_days.h"
#include "clickhouse/session_opens.h"
#include "clickhouse/shape_queries.h"
#include "clickhouse/sql_text.h"
#include "engine/metric_check.h"

namespace cca::clickhouse {
namespace {

using engine::Dimension;
using testing::expect_same_metrics;

// A database holding the history's events and directory as `version` left it: the tables,
// views and columns it did not have are dropped (version 1: the rollups, session_days, the metric
// tables and the latency rollups; version 2: session_days and what came after; version 3: the
// metric tables and the latency rollups; version 4: the latency rollups; before version 6: the
// month rollup, the session marks of the events, the other rollups' opened counts,
// spanning_cells and session_cells; before version 7: the latency buckets; before version 8:
// the latency rollups without each value's bucket, ordered by day, the rollups without people's
// numbers, and no totals tables; before version 9: no people tables; before version 10: no
// facet_values; before version 11: no rows or views of the rollups' sparse dimensions, 32-bit
// session marks, session_cells without the sparse dimensions' values, and status codes and
// errors in facet_values too; before version 12: session_days without `first_ms` and
// `opened`; before version 13: without `session_key`; before version 14: no latency_day_all;
// before version 15: session_days in granules of 8,192 rows), and schema_version says `version`.
void make_older_store(const ClickHouseClient& client, const std::string& source, int version) {
  ensure_schema(client);
  client.query("INSERT INTO events SELECT * FROM " + source + ".events");
  client.query("INSERT INTO employees SELECT * FROM " + source + ".employees");
  if (version < 11) {
    std::string sparse;
    for (size_t d = kFirstSparseDimension; d < kRollupDimensionCount; ++d)
      sparse +=
          std::string(sparse.empty() ? "" : ", ") + quote(rollup_dimension_column(d)->dimension);
    for (const RollupTable& rollup : kRollupTables)
      for (const char* table : {rollup.name, rollup.totals, rollup.people}) {
        if (!table) continue;
        for (size_t d = kFirstSparseDimension; d < kRollupDimensionCount; ++d)
          client.query("DROP TABLE " + std::string(table) + "_" +
                       rollup_dimension_column(d)->dimension + "_view");
        const std::string older = std::string(table) + "_older";
        client.query("CREATE TABLE " + older + " AS " + table);
        client.query("INSERT INTO " + older + " SELECT * FROM " + table +
                     " WHERE dimension NOT IN (" + sparse + ")");
        client.query("DROP TABLE " + std::string(table));
        client.query("RENAME TABLE " + older + " TO " + table);
      }
    client.query("ALTER TABLE events MODIFY COLUMN opens UInt32");
    const std::string cell =
        "session_id, start_ms, user, practice_hint, model, terminal, tool_name, event_name, "
        "version, os_type";
    client.query(
        "CREATE TABLE session_cells_older ENGINE = ReplacingMergeTree PARTITION BY "
        "toYYYYMM(day) ORDER BY (" +
        cell + ") AS SELECT day, " + cell + " FROM " + kSessionCells);
    client.query("DROP TABLE " + std::string(kSessionCells) + "_view");
    client.query("DROP TABLE " + std::string(kSessionCells));
    client.query("RENAME TABLE session_cells_older TO " + std::string(kSessionCells));
    for (const char* former : kFormerFacetValueFacets) {
      const std::string rows = "SELECT " + quote(former) + " AS facet, '' AS key, " + former +
                               " AS value, day, user, practice_hint, count() AS events FROM " +
                               "events WHERE value != '' GROUP BY facet, key, value, day, user, " +
                               "practice_hint";
      client.query("CREATE MATERIALIZED VIEW " + facet_values_view(former) + " TO " + kFacetValues +
                   " AS " + rows);
      client.query("INSERT INTO " + std::string(kFacetValues) + " " + rows);
    }
  }
  std::vector<std::string> newer;
  if (version < 10) newer.push_back(kFacetValues);
  if (version < 9)
    for (const RollupTable& rollup : kRollupTables)
      if (rollup.people) newer.push_back(rollup.people);
  // The table made again in granules of ClickHouse's default size, ordered by `order`, without
  // `column` (with every column when it is empty).
  const auto rebuild_without = [&](const std::string& table, const std::string& column,
                                   const std::string& order) {
    std::string kept;
    for (const auto& row : rows_of(client.query(
             "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = " +
             quote(table) + " AND name != " + quote(column))))
      kept += (kept.empty() ? "" : ", ") + row.at(0);
    const std::string older = table + "_older";
    client.query("CREATE TABLE " + older +
                 " ENGINE = SummingMergeTree PARTITION BY toYYYYMM(day) ORDER BY (" + order +
                 ") AS SELECT " + kept + " FROM " + table);
    client.query("DROP TABLE " + table);
    client.query("RENAME TABLE " + older + " TO " + table);
  };
  if (version >= 3 && version < 15) {
    // In granules of ClickHouse's default size; before version 13 without session_key, in its
    // sorting key too, and before version 12 without `opened` and `first_ms`.
    client.query("DROP TABLE " + std::string(kSessionDays) + "_view");
    if (version >= 13) {
      rebuild_without(kSessionDays, "", kSessionDaysKey);
    } else {
      const std::string key = "day, session_id, user, practice_hint, terminal";
      rebuild_without(kSessionDays, "session_key", key);
      if (version < 12)
        for (const char* column : {"opened", "first_ms"})
          rebuild_without(kSessionDays, column, key);
    }
  }
  if (version < 8)
    for (const RollupTable& rollup : kRollupTables) {
      newer.push_back(rollup.totals);
      if (version >= rollup.since_version)
        rebuild_without(rollup.name, "user_key",
                        "dimension, value, day, start_ms, user, practice_hint");
    }
  // Every version before 14 lacks latency_day_all; the older latency tables below are the others.
  if (version < 14)
    newer.insert(newer.end(), {kLatencyDaysOfAllKeys.table, kLatencyDaysOfAllKeys.buckets});
  const LatencyRollup* const older_latency[] = {&kLatencyDays, &kLatencyMonths};
  if (version < 7)
    for (const LatencyRollup* rollup : older_latency) newer.push_back(rollup->buckets);
  if (version >= 5 && version < 8)
    for (const LatencyRollup* rollup : older_latency)
      rebuild_without(rollup->table, "bucket", "measure, day, key, value");
  if (version < 6) {
    std::string marks;
    for (const auto& [name, type] : kOpensColumns)
      marks += std::string(marks.empty() ? "" : ", ") + "DROP COLUMN " + name;
    client.query("ALTER TABLE events " + marks);
    for (const RollupTable& rollup : kRollupTables)
      client.query("ALTER TABLE " + std::string(rollup.name) + " DROP COLUMN opened");
    newer.insert(newer.end(), {kSpanningCells, kSessionCells});
  }
  if (version < 5)
    for (const LatencyRollup* rollup : older_latency) newer.push_back(rollup->table);
  if (version < 4) newer.insert(newer.end(), {"metric_series", "metric_points"});
  if (version < 3) newer.push_back(kSessionDays);
  for (const RollupTable& rollup : kRollupTables)
    if (version < rollup.since_version) newer.push_back(rollup.name);
  for (const auto& view : rows_of(client.query(
           "SELECT name FROM system.tables WHERE database = currentDatabase() AND engine = "
           "'MaterializedView'")))
    if (std::any_of(newer.begin(), newer.end(),
                    [&](const std::string& table) { return view.at(0).starts_with(table + "_"); }))
      client.query("DROP TABLE " + view.at(0));
  for (const std::string& table : newer) client.query("DROP TABLE " + table);
  client.query("DROP TABLE schema_version");
  client.query(
      "CREATE TABLE schema_version (version UInt32, applied_ms Int64) ENGINE = "
      "MergeTree ORDER BY version");
  client.query("INSERT INTO schema_version VALUES (" + std::to_string(version) + ", 0)");
}

// The summary, the breakdowns by model and by the sparse dimensions and the hourly series (from
// the rollups), the first sessions page and the sessions' distributions (from session_days), the
// latency percentiles and daily series (from the latency rollups without a filter) and the status
// code and error facets (from the rollups) and attribute facets (from facet_values), with and
// without a practice filter.
void expect_same_answers(const ClickHouseClient& original, const ClickHouseClient& upgraded,
                         const std::string& context) {
  engine::Filter practice;
  practice.practice = {"Platform Engineering"};
  for (const engine::Filter& filter : {engine::Filter(), practice}) {
    const std::string where = context + " " + testing::describe(filter);
    const Queries expected(original), actual(upgraded);
    expect_same_metrics(expected.summarize(filter).metrics, actual.summarize(filter).metrics,
                        where);
    for (const Dimension by :
         {Dimension::kModel, Dimension::kStatusCode, Dimension::kDecisionSource,
          Dimension::kAttempt, Dimension::kError}) {
      const auto expected_rows = expected.breakdown(filter, by);
      const auto actual_rows = actual.breakdown(filter, by);
      ASSERT_EQ(expected_rows.size(), actual_rows.size()) << where;
      EXPECT_FALSE(actual_rows.empty()) << where << " " << engine::dimension_name(by);
      for (size_t r = 0; r < actual_rows.size(); ++r)
        expect_same_metrics(
            expected_rows[r].metrics, actual_rows[r].metrics,
            where + " " + std::string(engine::dimension_name(by)) + " " + actual_rows[r].key);
    }
    const auto expected_hours = expected.timeseries(filter, engine::Bucket::kHour);
    const auto actual_hours = actual.timeseries(filter, engine::Bucket::kHour);
    ASSERT_EQ(expected_hours.points.size(), actual_hours.points.size()) << where;
    for (size_t b = 0; b < actual_hours.points.size(); ++b)
      expect_same_metrics(expected_hours.points[b], actual_hours.points[b],
                          where + " hour " + std::to_string(b));
    const engine::Facets expected_facets = ShapeQueries(original).facets(filter);
    const engine::Facets actual_facets = ShapeQueries(upgraded).facets(filter);
    for (const auto list : {&engine::Facets::status_code, &engine::Facets::error}) {
      ASSERT_EQ((expected_facets.*list).size(), (actual_facets.*list).size()) << where;
      for (size_t v = 0; v < (actual_facets.*list).size(); ++v) {
        EXPECT_EQ((expected_facets.*list)[v].value, (actual_facets.*list)[v].value) << where;
        EXPECT_EQ((expected_facets.*list)[v].events, (actual_facets.*list)[v].events) << where;
      }
    }
    ASSERT_EQ(expected_facets.attributes.size(), actual_facets.attributes.size()) << where;
    for (size_t k = 0; k < actual_facets.attributes.size(); ++k)
      EXPECT_EQ(expected_facets.attributes[k].second.size(),
                actual_facets.attributes[k].second.size())
          << where << " attribute " << actual_facets.attributes[k].first;
    const auto expected_page =
        PeopleQueries(original).list_sessions(filter, {engine::SessionField::kStart}, 50, 0);
    const auto actual_page =
        PeopleQueries(upgraded).list_sessions(filter, {engine::SessionField::kStart}, 50, 0);
    ASSERT_EQ(expected_page.total, actual_page.total) << where;
    ASSERT_EQ(expected_page.rows.size(), actual_page.rows.size()) << where;
    for (size_t r = 0; r < actual_page.rows.size(); ++r) {
      EXPECT_EQ(expected_page.rows[r].session_id, actual_page.rows[r].session_id) << where;
      expect_same_metrics(expected_page.rows[r].metrics, actual_page.rows[r].metrics,
                          where + " session " + actual_page.rows[r].session_id);
    }
    for (const auto of : {engine::SessionQuantity::kDurationS, engine::SessionQuantity::kPrompts}) {
      const auto expected_spread = ShapeQueries(original).session_distribution(filter, of);
      const auto actual_spread = ShapeQueries(upgraded).session_distribution(filter, of);
      const std::string quantity = where + " " + std::string(engine::session_quantity_name(of));
      EXPECT_EQ(expected_spread.stats.count, actual_spread.stats.count) << quantity;
      EXPECT_EQ(expected_spread.stats.p90, actual_spread.stats.p90) << quantity;
      EXPECT_EQ(expected_spread.stats.max, actual_spread.stats.max) << quantity;
      ASSERT_EQ(expected_spread.bins.size(), actual_spread.bins.size()) << quantity;
      for (size_t b = 0; b < actual_spread.bins.size(); ++b)
        EXPECT_EQ(expected_spread.bins[b].count, actual_spread.bins[b].count) << quantity;
    }
    for (const engine::LatencyBy by : {engine::LatencyBy::kModel, engine::LatencyBy::kTool}) {
      const auto expected_latency = ShapeQueries(original).latency(filter, by);
      const auto actual_latency = ShapeQueries(upgraded).latency(filter, by);
      ASSERT_EQ(expected_latency.size(), actual_latency.size()) << where;
      for (size_t r = 0; r < actual_latency.size(); ++r) {
        EXPECT_EQ(expected_latency[r].key, actual_latency[r].key) << where;
        EXPECT_EQ(expected_latency[r].duration_ms.count, actual_latency[r].duration_ms.count)
            << where << " " << actual_latency[r].key;
        EXPECT_EQ(expected_latency[r].duration_ms.p90, actual_latency[r].duration_ms.p90)
            << where << " " << actual_latency[r].key;
      }
      const auto expected_days =
          ShapeQueries(original).latency_timeseries(filter, by, {}, engine::Bucket::kDay);
      const auto actual_days =
          ShapeQueries(upgraded).latency_timeseries(filter, by, {}, engine::Bucket::kDay);
      ASSERT_EQ(expected_days.duration_ms.size(), actual_days.duration_ms.size()) << where;
      for (size_t d = 0; d < actual_days.duration_ms.size(); ++d) {
        EXPECT_EQ(expected_days.duration_ms[d].count, actual_days.duration_ms[d].count)
            << where << " day " << d;
        EXPECT_EQ(expected_days.duration_ms[d].p50, actual_days.duration_ms[d].p50)
            << where << " day " << d;
      }
    }
  }
}

TEST(ClickHouseSchemaTest, UpgradingAnOlderStoreFillsWhatItLacksFromItsEvents) {
  const HistoryStores* stores = HistoryStores::get();
  if (!stores) GTEST_SKIP() << TestDatabase::kSkipReason;
  for (const int version : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}) {
    SCOPED_TRACE("from version " + std::to_string(version));
    const auto database = TestDatabase::create("upgrade");
    ASSERT_NE(database, nullptr);
    const ClickHouseClient client(database->url());
    make_older_store(client, stores->client->url().database, version);

    ensure_schema(client);
    EXPECT_EQ(client.query("SELECT max(version) FROM schema_version"),
              std::to_string(kSchemaVersion) + "\n");
    expect_same_answers(*stores->client, client, "upgraded");
    EXPECT_NE(client
                  .query("SELECT engine_full FROM system.tables WHERE database = "
                         "currentDatabase() AND name = " +
                         quote(kSessionDays))
                  .find("index_granularity = " + std::to_string(kSessionDaysGranule)),
              std::string::npos);
    // Later ingests ask session_cells: the upgrade fills it as the inserts would have.
    std::string cell = "session_id, start_ms, user, practice_hint";
    for (const RolledUpColumn& column : kRolledUpColumns)
      cell += std::string(", ") + column.dimension;
    const std::string cells = "SELECT count(), sum(cityHash64(" + cell +
                              ")) FROM (SELECT DISTINCT " + cell + " FROM " + kSessionCells + ")";
    EXPECT_EQ(client.query(cells), stores->client->query(cells));
    EXPECT_NE(client.query(cells), "0\t0\n");
    // Only the custom attributes stay in facet_values (their rows deleted by a mutation, which
    // ClickHouse runs in the background).
    EXPECT_EQ(client.query("SELECT count() FROM system.tables WHERE database = currentDatabase() "
                           "AND name LIKE 'facet_values_%_view'"),
              "1\n");
    for (int wait = 0;
         wait < 60 && client.query("SELECT count() FROM " + std::string(kFacetValues) +
                                   " WHERE facet != 'attribute'") != "0\n";
         ++wait)
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(client.query("SELECT count() FROM " + std::string(kFacetValues) +
                           " WHERE facet != 'attribute'"),
              "0\n");
    // Another start finds the current version and adds nothing.
    ensure_schema(client);
    expect_same_answers(*stores->client, client, "started again");
  }
}

// A migration cut short once its copy of a rollup's rows aside was whole, and after it had
// emptied the rollup: started again, it takes the rows from the copy.
TEST(ClickHouseSchemaTest, AMigrationCutShortStartsAgainFromItsCopyAside) {
  const HistoryStores* stores = HistoryStores::get();
  if (!stores) GTEST_SKIP() << TestDatabase::kSkipReason;
  const auto database = TestDatabase::create("resumed");
  ASSERT_NE(database, nullptr);
  const ClickHouseClient client(database->url());
  make_older_store(client, stores->client->url().database, 7);
  const std::string day_rollup = kRollupTables[kDayRollup].name;
  client.query("CREATE TABLE " + day_rollup + "_older ENGINE = Log AS SELECT * FROM " + day_rollup);
  client.query("TRUNCATE TABLE " + day_rollup);

  ensure_schema(client);
  expect_same_answers(*stores->client, client, "resumed");
  const std::string day_rows = "SELECT sum(events), sum(opened) FROM " + day_rollup;
  EXPECT_EQ(client.query(day_rows), stores->client->query(day_rows));
  EXPECT_EQ(client.query("EXISTS TABLE " + day_rollup + "_older"), "0\n");
}

}  // namespace
}  // namespace cca::clickhouse
