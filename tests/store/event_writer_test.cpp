#include "store/event_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

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
    const EventRecord one = event("1", "s1"), two = event("2", "s1");
    EXPECT_TRUE(writer.insert(one, 1));
    EXPECT_TRUE(writer.insert(two, 1));
    const EventRecord same_key = event("1", "s2");  // same key, other content: a duplicate
    EXPECT_FALSE(writer.insert(same_key, 1));
    writer.flush();
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
    const EventRecord x = event("x", "s");
    EXPECT_TRUE(first.insert(x, 1));
    first.flush();
    transaction.commit();
  }
  Transaction transaction(second_db);
  second.catch_up();
  const EventRecord x = event("x", "s"), y = event("y", "s");
  EXPECT_FALSE(second.insert(x, 1));
  EXPECT_TRUE(second.insert(y, 1));  // reuses the string ids the first one made
  second.flush();
  transaction.commit();
  EXPECT_EQ(test::sql_int(path, "SELECT count(*) FROM strings WHERE value = 's'"), 1);
}

TEST(EventWriter, WritesFullGroupsAndRemaindersAlike) {
  test::TempDir dir;
  const std::string path = dir.file("store.db");
  std::vector<std::string> ids;
  for (int i = 0; i < 100; ++i) ids.push_back("id" + std::to_string(i));
  std::vector<EventRecord> events;
  for (const std::string& id : ids) events.push_back(event(id, "s"));
  {
    Database db(path);
    EventWriter writer(db);
    Transaction transaction(db);
    for (const EventRecord& e : events) EXPECT_TRUE(writer.insert(e, 7));
    writer.flush();
    transaction.commit();
  }
  EXPECT_EQ(test::sql_int(path, "SELECT count(*) FROM events"), 100);
  EXPECT_EQ(test::sql_int(path, "SELECT count(DISTINCT log_event_id) FROM events"), 100);
  EXPECT_EQ(test::sql_text(path, "SELECT log_event_id FROM events WHERE seq = 100"), "id99");
  EXPECT_EQ(test::sql_int(path, "SELECT count(*) FROM events WHERE ingest_id = 7"), 100);
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
