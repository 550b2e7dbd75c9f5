#include "store/event_writer.h"

#include <gtest/gtest.h>

#include "store/ingest_log.h"
#include "support/test_support.h"

namespace cca::store {
namespace {

EventRecord event(std::string_view id, std::string_view session) {
  EventRecord e;
  e.key = hash128(id);
  e.log_event_id = id;
  e.time_ms = 1000;
  e.event_name = "api_request";
  e.session_id = session;
  e.user = "a@example.com";
  e.model = "claude-opus-4-6";
  e.cost_usd.set(0.5);
  compute_client_key(e);
  return e;
}

TEST(EventWriter, StoresStringsOnceAndDeduplicatesByKey) {
  test::TempDir dir;
  const std::string path = dir.file("store.db");
  {
    Database db(path);
    EventWriter writer(db);
    Transaction transaction(db);
    EXPECT_TRUE(writer.insert(event("1", "s1"), 1));
    EXPECT_TRUE(writer.insert(event("2", "s1"), 1));
    EXPECT_FALSE(writer.insert(event("1", "s2"), 1));  // same key, other content: a duplicate
    transaction.commit();
  }
  EXPECT_EQ(test::sql_int(path, "SELECT count(*) FROM events"), 2);
  EXPECT_EQ(test::sql_int(path, "SELECT count(*) FROM strings WHERE value = 's1'"), 1);
  EXPECT_EQ(test::sql_int(path, "SELECT count(*) FROM events_decoded WHERE session_id = 's2'"), 0);
  EXPECT_DOUBLE_EQ(test::sql_double(path, "SELECT sum(cost_usd) FROM events"), 1.0);
}

TEST(EventWriter, CatchUpSeesRowsOtherConnectionsCommitted) {
  test::TempDir dir;
  const std::string path = dir.file("store.db");
  Database first_db(path);
  Database second_db(path);
  EventWriter first(first_db);
  EventWriter second(second_db);
  {
    Transaction transaction(first_db);
    EXPECT_TRUE(first.insert(event("x", "s"), 1));
    transaction.commit();
  }
  Transaction transaction(second_db);
  second.catch_up();
  EXPECT_FALSE(second.insert(event("x", "s"), 1));
  EXPECT_TRUE(second.insert(event("y", "s"), 1));  // reuses the string ids the first one made
  transaction.commit();
  EXPECT_EQ(test::sql_int(path, "SELECT count(*) FROM strings WHERE value = 's'"), 1);
}

TEST(IngestLog, MarksStaleRunningIngestsInterrupted) {
  test::TempDir dir;
  const std::string path = dir.file("store.db");
  Database db(path);
  IngestLog log(db);
  db.exec("INSERT INTO ingests (source, started_ms, status) VALUES ('old', 1, 'running')");
  const int64_t id = log.begin("new", "file.jsonl", 10);
  EXPECT_EQ(test::sql_text(path, "SELECT status FROM ingests WHERE source = 'old'"), "interrupted");
  EXPECT_EQ(test::sql_text(path, "SELECT status FROM ingests WHERE id = " + std::to_string(id)),
            "running");
  log.fail(id, "disk full");
  EXPECT_EQ(test::sql_text(path, "SELECT message FROM ingests WHERE id = " + std::to_string(id)),
            "disk full");
}

}  // namespace
}  // namespace cca::store
