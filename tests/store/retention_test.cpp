// Retention deletes exactly what is older than the cutoff, in bounded transactions, keeps the
// ingest log, the directory and the dictionary, and tells writers to read the store again when
// SQLite could hand deleted ids to new rows.
#include "store/retention.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "common/clock.h"
#include "store/employee_directory.h"
#include "store/event_writer.h"
#include "store/ingest_log.h"
#include "support/test_support.h"

namespace cca::store {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kNow = 1'780'000'000'000;  // an instant in 2026

EventRecord event_at(const std::string& id, int64_t time_ms) {
  EventRecord e;
  e.key = hash128(id);
  e.log_event_id = id;
  e.time_ms = time_ms;
  e.event_name = "api_request";
  e.session_id = "s";
  e.user = "a@example.com";
  compute_client_key(e);
  return e;
}

void insert_events(Database& db, const std::vector<std::string>& ids,
                   const std::vector<int64_t>& times) {
  EventWriter writer(db);
  std::vector<EventRecord> events;
  for (size_t i = 0; i < ids.size(); ++i) events.push_back(event_at(ids[i], times[i]));
  Transaction transaction(db);
  writer.catch_up();
  for (const EventRecord& e : events) writer.insert(e, 1);
  writer.flush();
  transaction.commit();
}

// A store with events, metric points and quarantined records spread over 60 days before kNow,
// in shuffled order (row ids say nothing about age), and what a 30-day retention must leave,
// counted here from the generated times.
struct SpreadStore {
  test::TempDir dir;
  std::string path = dir.file("store.db");
  int64_t cutoff = kNow - 30 * kDay;
  int64_t events_kept = 0, events_kept_time_sum = 0;
  int64_t points_kept = 0, series_kept = 0, quarantine_kept = 0;

  SpreadStore() {
    std::mt19937_64 random(7);
    std::uniform_int_distribution<int64_t> age(0, 60 * kDay);
    Database db(path);
    std::vector<std::string> ids;
    std::vector<int64_t> times;
    for (int i = 0; i < 3000; ++i) {
      ids.push_back("event-" + std::to_string(i));
      times.push_back(kNow - age(random));
      if (times.back() >= cutoff) {
        ++events_kept;
        events_kept_time_sum += times.back();
      }
    }
    insert_events(db, ids, times);

    Transaction transaction(db);
    // 100 delta series of 5 points each: some wholly old, some wholly new, most mixed.
    db.exec("INSERT INTO strings (value) VALUES ('claude_code.cost.usage')");
    for (int series = 1; series <= 100; ++series) {
      db.exec(
          "INSERT INTO metric_series (id, key_hi, key_lo, name_id, kind, monotonic, user_id) "
          "VALUES (" +
          std::to_string(series) + ", " + std::to_string(series) + ", 0, 1, 'sum', 1, 1)");
      bool any_kept = false;
      for (int point = 0; point < 5; ++point) {
        const int64_t time_ms = series % 10 == 0   ? kNow - 45 * kDay - point
                                : series % 10 == 1 ? kNow - 2 * kDay - point
                                                   : kNow - age(random);
        const bool kept = time_ms >= cutoff;
        points_kept += kept;
        any_kept |= kept;
        db.exec(
            "INSERT INTO metric_points (series_id, ingest_id, temporality, start_ns, time_ns, "
            "value, delta) VALUES (" +
            std::to_string(series) + ", 1, 1, 0, " + std::to_string(time_ms * 1'000'000) +
            ", 1, 1)");
      }
      series_kept += any_kept;
    }
    transaction.commit();

    EventWriter writer(db);
    Transaction quarantine(db);
    for (int i = 0; i < 200; ++i) {
      const int64_t received = kNow - age(random);
      quarantine_kept += received >= cutoff;
      const std::string raw = "line " + std::to_string(i);
      writer.quarantine({"test", "line", "invalid_json", {}, "not JSON", raw, 1}, 1, received);
    }
    quarantine.commit();

    IngestLog log(db);
    log.fail(log.begin("test", "old.jsonl", 10), "kept");
    replace_employees(db, {{"a@example.com", "A", "ML", "L5", "US", ""}});
  }
};

TEST(Retention, DeletesExactlyWhatIsOlderThanTheCutoffAndKeepsTheRest) {
  SpreadStore store;
  const int64_t strings = test::sql_int(store.path, "SELECT count(*) FROM strings");
  const int64_t ingests = test::sql_int(store.path, "SELECT count(*) FROM ingests");
  ASSERT_LT(store.events_kept, 3000);
  ASSERT_GT(store.events_kept, 0);

  Database db(store.path);
  RetentionOptions options;
  options.rows_per_transaction = 256;
  options.pause = std::chrono::milliseconds(0);
  const RetentionReport report = apply_retention(db, store.cutoff, options);

  EXPECT_EQ(test::sql_int(store.path, "SELECT count(*) FROM events"), store.events_kept);
  EXPECT_EQ(test::sql_int(store.path, "SELECT sum(time_ms) FROM events"),
            store.events_kept_time_sum);
  EXPECT_EQ(test::sql_int(store.path, "SELECT count(*) FROM metric_points"), store.points_kept);
  EXPECT_EQ(test::sql_int(store.path, "SELECT count(*) FROM metric_series"), store.series_kept);
  EXPECT_EQ(test::sql_int(store.path, "SELECT count(*) FROM quarantine"), store.quarantine_kept);
  EXPECT_EQ(report.events, static_cast<uint64_t>(3000 - store.events_kept));
  EXPECT_EQ(report.metric_points, static_cast<uint64_t>(500 - store.points_kept));
  EXPECT_EQ(report.metric_series, static_cast<uint64_t>(100 - store.series_kept));
  EXPECT_EQ(report.quarantined, static_cast<uint64_t>(200 - store.quarantine_kept));
  EXPECT_EQ(report.cutoff_ms, store.cutoff);
  // 3000 events in ranges of 256 ids: at least 12 transactions for them alone.
  EXPECT_GE(report.transactions, 12u + 2u + 1u + 1u);

  // Kept: the ingest log, the directory, the dictionary.
  EXPECT_EQ(test::sql_int(store.path, "SELECT count(*) FROM ingests"), ingests);
  EXPECT_EQ(test::sql_int(store.path, "SELECT count(*) FROM employees"), 1);
  EXPECT_EQ(test::sql_int(store.path, "SELECT count(*) FROM strings"), strings);
  EXPECT_EQ(test::sql_text(store.path, "PRAGMA integrity_check"), "ok");
  const int64_t version = retention_version(db);
  EXPECT_GE(version, 1);

  // Nothing more is old: a second run deletes nothing and leaves the version alone.
  const RetentionReport again = apply_retention(db, store.cutoff, options);
  EXPECT_EQ(again.deleted(), 0u);
  EXPECT_EQ(retention_version(db), version);
}

TEST(Retention, ARunAskedToStopDeletesNothingMore) {
  SpreadStore store;
  Database db(store.path);
  const std::atomic<bool> stop{true};
  RetentionOptions options;
  options.stop = &stop;
  const RetentionReport report = apply_retention(db, store.cutoff, options);
  EXPECT_EQ(report.deleted(), 0u);
  EXPECT_EQ(test::sql_int(store.path, "SELECT count(*) FROM events"), 3000);
  EXPECT_EQ(retention_version(db), 0);
}

TEST(Retention, AnEmptyStoreHasNothingToDelete) {
  test::TempDir dir;
  Database db(dir.file("store.db"));
  const RetentionReport report = apply_retention(db, kNow);
  EXPECT_EQ(report.deleted(), 0u);
  EXPECT_EQ(retention_version(db), 0);
}

// SQLite gives a new row the largest id + 1: once the newest rows are deleted, a new row takes
// a deleted row's seq. A writer that had read up to that seq must not skip the new row, or it
// would store its event a second time.
TEST(Retention, WritersReadTheStoreAgainAfterDeletionsThatFreeIds) {
  test::TempDir dir;
  const std::string path = dir.file("store.db");
  Database writer_db(path);
  EventWriter writer(writer_db);
  {
    Transaction transaction(writer_db);
    const EventRecord recent = event_at("recent", kNow), old = event_at("old", kNow - 90 * kDay);
    ASSERT_TRUE(writer.insert(recent, 1));
    ASSERT_TRUE(writer.insert(old, 1));  // the largest seq
    writer.flush();
    transaction.commit();
  }
  {
    Database retention_db(path);
    const RetentionReport report = apply_retention(retention_db, kNow - 30 * kDay);
    ASSERT_EQ(report.events, 1u);
  }
  {
    Database other(path);
    insert_events(other, {"newcomer"}, {kNow});
  }
  ASSERT_EQ(test::sql_int(path, "SELECT count(*) FROM events"), 2);
  ASSERT_EQ(test::sql_text(path, "SELECT log_event_id FROM events WHERE seq = 2"), "newcomer");

  Transaction transaction(writer_db);
  writer.catch_up();
  const EventRecord newcomer = event_at("newcomer", kNow), old = event_at("old", kNow - 90 * kDay);
  EXPECT_FALSE(writer.insert(newcomer, 1)) << "the newcomer is stored already";
  EXPECT_TRUE(writer.insert(old, 1)) << "the deleted event is no longer stored";
  writer.flush();
  transaction.commit();
  EXPECT_EQ(test::sql_int(path, "SELECT count(DISTINCT log_event_id) FROM events"), 3);
  EXPECT_EQ(test::sql_int(path, "SELECT count(*) FROM events"), 3);
}

TEST(Retention, NowComesFromCcanalyticsNowWhenSet) {
  ::setenv("CCANALYTICS_NOW", "2026-03-01T12:00:00Z", 1);
  EXPECT_EQ(cca::now_ms(), 1'772'366'400'000);
  EXPECT_EQ(retention_cutoff_ms(10, cca::now_ms()), 1'772'366'400'000 - 10 * kDay);
  ::setenv("CCANALYTICS_NOW", "yesterday", 1);
  EXPECT_THROW(cca::now_ms(), std::invalid_argument);
  ::unsetenv("CCANALYTICS_NOW");
  const int64_t system_now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
  EXPECT_NEAR(static_cast<double>(cca::now_ms()), static_cast<double>(system_now), 60'000.0);
}

}  // namespace
}  // namespace cca::store
