// A log event already stored counts as a duplicate and changes nothing.
#include <gtest/gtest.h>

#include "ingest/ingestor.h"
#include "support/test_support.h"

namespace cca::ingest {
namespace {

using nlohmann::json;
using test::base_attributes;
using test::batch_line;
using test::log_event;
using test::message;
using test::sql_int;

class Deduplication : public ::testing::Test {
 protected:
  test::TempDir dir_;
  std::string db_ = dir_.file("store.db");
};

TEST_F(Deduplication, TheSameIdTwiceInOneFileIsStoredOnce) {
  const json event = log_event("same", 1, message(base_attributes("user_prompt")));
  test::write_file(dir_.file("a.jsonl"), batch_line({event}) + "\n" + batch_line({event}) + "\n");
  const IngestReport report = Ingestor(db_).ingest_file(dir_.file("a.jsonl"));
  EXPECT_EQ(report.accepted, 1u);
  EXPECT_EQ(report.duplicates, 1u);
  EXPECT_EQ(sql_int(db_, "SELECT count(*) FROM events"), 1);
}

TEST_F(Deduplication, ReingestingAFileChangesNothing) {
  std::string jsonl;
  for (int i = 0; i < 50; ++i) {
    json attributes = base_attributes("api_request", std::string("s") + std::to_string(i % 7));
    attributes["cost_usd"] = std::to_string(0.01 * i);
    const std::string id = std::string("id") + std::to_string(i);
    jsonl += batch_line({log_event(id, 1000 + i, message(attributes))}) + "\n";
  }
  test::write_file(dir_.file("a.jsonl"), jsonl);
  {
    Ingestor ingestor(db_);
    EXPECT_EQ(ingestor.ingest_file(dir_.file("a.jsonl")).accepted, 50u);
  }
  const int64_t strings_before = sql_int(db_, "SELECT count(*) FROM strings");
  const double cost_before = test::sql_double(db_, "SELECT sum(cost_usd) FROM events");
  // A new process, so the dedup state comes from the store, not from memory.
  const IngestReport again = Ingestor(db_).ingest_file(dir_.file("a.jsonl"));
  EXPECT_EQ(again.accepted, 0u);
  EXPECT_EQ(again.duplicates, 50u);
  EXPECT_EQ(sql_int(db_, "SELECT count(*) FROM events"), 50);
  EXPECT_EQ(sql_int(db_, "SELECT count(*) FROM strings"), strings_before);
  EXPECT_DOUBLE_EQ(test::sql_double(db_, "SELECT sum(cost_usd) FROM events"), cost_before);
}

TEST_F(Deduplication, EventsWithoutIdsAreIdentifiedByContent) {
  const json msg = message(base_attributes("user_prompt"));
  const json no_id = {{"timestamp", 5}, {"message", msg.dump()}};
  const json no_id_later = {{"timestamp", 6}, {"message", msg.dump()}};
  test::write_file(dir_.file("a.jsonl"), batch_line({no_id, no_id, no_id_later}));
  const IngestReport report = Ingestor(db_).ingest_file(dir_.file("a.jsonl"));
  EXPECT_EQ(report.accepted, 2u);
  EXPECT_EQ(report.duplicates, 1u);
}

TEST_F(Deduplication, AnotherProcessesRowsCountAsStored) {
  // Two ingestors on one store, as a server and a CLI would be: the second sees the first's rows.
  const json event = log_event("shared", 1, message(base_attributes("user_prompt")));
  test::write_file(dir_.file("a.jsonl"), batch_line({event}));
  Ingestor server(db_);
  Ingestor cli(db_);
  EXPECT_EQ(server.ingest_file(dir_.file("a.jsonl")).accepted, 1u);
  EXPECT_EQ(cli.ingest_file(dir_.file("a.jsonl")).duplicates, 1u);
  EXPECT_EQ(server.ingest_file(dir_.file("a.jsonl")).duplicates, 1u);
}

TEST_F(Deduplication, RejectedRecordsAreQuarantinedOnceAcrossReingests) {
  test::write_file(dir_.file("a.jsonl"), "{broken\n");
  Ingestor ingestor(db_);
  EXPECT_EQ(ingestor.ingest_file(dir_.file("a.jsonl")).rejected_lines, 1u);
  EXPECT_EQ(ingestor.ingest_file(dir_.file("a.jsonl")).rejected_lines, 1u);
  EXPECT_EQ(sql_int(db_, "SELECT count(*) FROM quarantine"), 1);
}

}  // namespace
}  // namespace cca::ingest
