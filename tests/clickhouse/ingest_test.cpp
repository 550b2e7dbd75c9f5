// The ingest into ClickHouse: through the binary, from real data, with bad input and with no
// ClickHouse at all; and text that needs escaping, kept to the byte.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "clickhouse/clickhouse_analytics.h"
#include "clickhouse/clickhouse_ingestor.h"
#include "clickhouse/event_writer.h"
#include "clickhouse/history_stores.h"
#include "clickhouse/queries.h"
#include "clickhouse/rollups.h"
#include "clickhouse/same_answers.h"
#include "clickhouse/schema.h"
#include "clickhouse/sql_text.h"
#include "clickhouse/test_database.h"
#include "engine/metric_check.h"
#include "support/test_support.h"

namespace cca::clickhouse {
namespace {

class ClickHouseIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = TestDatabase::create("ingest");
    if (!database_) GTEST_SKIP() << TestDatabase::kSkipReason;
    client_ = std::make_unique<ClickHouseClient>(database_->url());
  }
  int64_t count(const std::string& sql) { return std::stoll(client_->query(sql)); }

  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<ClickHouseClient> client_;
  test::TempDir dir_;
};

nlohmann::json run_ingest(const std::string& arguments, int& exit_code) {
  const auto [status, output] = test::run_command(std::string(CCANALYTICS_BINARY) + " ingest " +
                                                  arguments + " --json 2>/dev/null");
  exit_code = status;
  const size_t last_line = output.find_last_of('\n', output.size() - 2);
  return nlohmann::json::parse(output.substr(last_line == std::string::npos ? 0 : last_line + 1));
}

TEST_F(ClickHouseIngestTest, TheBinaryStoresEachEventOnceAndQuarantinesWhatIsBad) {
  const std::string file = dir_.file("batch.jsonl");
  const int64_t t = 1767225600000;  // 2026-01-01
  std::string text =
      test::batch_line(
          {test::log_event("a", t, test::message(test::base_attributes("user_prompt"))),
           test::log_event("b", t + 1000, test::message(test::base_attributes("api_request")))}) +
      "\n{not json\n";
  nlohmann::json bad = test::base_attributes("api_request");
  bad["cost_usd"] = "-3";
  text += test::batch_line(
              {test::log_event("c", t + 2000, test::message(test::base_attributes("tool_result"))),
               test::log_event("d", t + 3000, test::message(bad))}) +
          "\n";
  test::write_file(file, text);
  const std::string arguments = "--clickhouse '" + database_->url_text() + "' --telemetry " + file;
  int exit_code = -1;
  const nlohmann::json first = run_ingest(arguments, exit_code);
  EXPECT_EQ(exit_code, 0) << first.dump();
  EXPECT_EQ(first["accepted"], 3);
  EXPECT_EQ(first["rejected_lines"], 1);
  EXPECT_EQ(first["rejected_events"], 1);
  const nlohmann::json second = run_ingest(arguments, exit_code);
  EXPECT_EQ(exit_code, 0);
  EXPECT_EQ(second["accepted"], 0);
  EXPECT_EQ(second["duplicates"], 3);

  EXPECT_EQ(count("SELECT count() FROM events"), 3);
  EXPECT_EQ(count("SELECT uniqExact(key_hi, key_lo) FROM quarantine"), 2);
  EXPECT_EQ(count("SELECT count() FROM quarantine FINAL WHERE reason != '' AND raw != ''"), 2);
  EXPECT_EQ(count("SELECT count() FROM ingests FINAL WHERE status = 'complete'"), 2);
  EXPECT_EQ(count("SELECT sum(accepted) FROM ingests FINAL"), 3);
}

// A file of hours already held leaves each of them in one part of the people table, and counts
// each person of an hour once.
TEST_F(ClickHouseIngestTest, AFileOfHoursAlreadyHeldLeavesThePeopleTableInOnePart) {
  const int64_t t = 1767225600000;  // 2026-01-01
  const auto file_of = [&](const std::string& name, const std::vector<std::string>& users) {
    std::vector<nlohmann::json> events;
    for (const std::string& user : users)
      events.push_back(
          test::log_event(name + user, t + static_cast<int64_t>(events.size()),
                          test::message(test::base_attributes("user_prompt", "s-" + user, user))));
    const std::string file = dir_.file(name + ".jsonl");
    test::write_file(file, test::batch_line(events) + "\n");
    return file;
  };
  ClickHouseIngestor ingestor(database_->url());
  ingestor.ingest_file(file_of("first", {"a@example.com", "b@example.com"}));
  ingestor.ingest_file(file_of("second", {"b@example.com", "c@example.com"}));
  const RollupTable& hours = kRollupTables[kHourRollup];
  EXPECT_EQ(client_->query("SELECT partition, count() FROM system.parts WHERE database = "
                           "currentDatabase() AND table = " +
                           quote(hours.people) + " AND active GROUP BY partition"),
            "202601\t1\n");
  EXPECT_EQ(count("SELECT count() FROM " + std::string(hours.people) + " WHERE dimension = ''"), 3);
  engine::Filter hour;  // the events' time is their event.timestamp, 2026-01-02T02:41
  hour.from_ms = t + kMsPerDay + 2 * kMsPerHour;
  hour.to_ms = *hour.from_ms + kMsPerHour;
  EXPECT_EQ(Queries(*client_).timeseries(hour, engine::Bucket::kHour).points.at(0).users, 3u);
}

// The server keeps the store's people between questions (PeopleCache): once it has seen the store
// change, a filter on a practice counts the events of a person who was not there before.
TEST_F(ClickHouseIngestTest, AServerCountsThePeopleOfEventsStoredSinceItsLastQuestion) {
  const int64_t t = 1767225600000;  // 2026-01-01
  const auto file_of = [&](const std::string& user) {
    const std::string file = dir_.file(user + ".jsonl");
    test::write_file(
        file,
        test::batch_line({test::log_event(
            user, t, test::message(test::base_attributes("user_prompt", "s-" + user, user)))}) +
            "\n");
    return file;
  };
  ClickHouseIngestor ingestor(database_->url());
  ingestor.ingest_file(file_of("a@example.com"));
  ClickHouseSource source(database_->url());
  engine::Filter practice;  // every event's hint (test::message)
  practice.practice = {"ML Engineering"};
  EXPECT_EQ(source.analytics()->summarize(practice).metrics.events, 1u);
  ingestor.ingest_file(file_of("b@example.com"));
  EXPECT_TRUE(source.refresh());
  EXPECT_EQ(source.analytics()->summarize(practice).metrics.events, 2u);
  EXPECT_EQ(source.analytics()->summarize(engine::Filter()).metrics.events, 2u);
}

TEST_F(ClickHouseIngestTest, NoClickHouseFailsTheIngestSayingSo) {
  const std::string file = dir_.file("one.jsonl");
  test::write_file(file,
                   test::batch_line({test::log_event(
                       "a", 1767225600000, test::message(test::base_attributes("user_prompt")))}));
  const auto [status, output] = test::run_command(std::string(CCANALYTICS_BINARY) +
                                                  " ingest --clickhouse http://127.0.0.1:9/ "
                                                  "--telemetry " +
                                                  file + " 2>&1");
  EXPECT_EQ(status, 2) << output;
  EXPECT_NE(output.find("ClickHouse at http://127.0.0.1:9"), std::string::npos) << output;
  EXPECT_NE(output.find("unreachable"), std::string::npos) << output;
}

TEST_F(ClickHouseIngestTest, AStoreIsNamedOnce) {
  const auto [neither, neither_output] =
      test::run_command(std::string(CCANALYTICS_BINARY) + " ingest --telemetry x 2>&1");
  EXPECT_NE(neither, 0);
  EXPECT_NE(neither_output.find("--db PATH or --clickhouse URL"), std::string::npos);
  const auto [bad_url, bad_url_output] = test::run_command(
      std::string(CCANALYTICS_BINARY) + " ingest --clickhouse ftp://x/ --telemetry x 2>&1");
  EXPECT_NE(bad_url, 0);
  EXPECT_NE(bad_url_output.find("http://"), std::string::npos) << bad_url_output;
}

TEST_F(ClickHouseIngestTest, TextThatNeedsEscapingIsKeptToTheByte) {
  const std::string nasty = "tab\there, line\nbreak, 'quote', back\\slash, \x01\x1f, caf\xc3\xa9";
  const std::string attributes = nlohmann::json{{"k\tey", nasty}}.dump();
  EventRecord event;
  event.key = hash128("nasty");
  event.time_ms = 1767225600000;
  event.event_name = "user_prompt";
  event.session_id = nasty;
  event.user = "dev@example.com";
  event.model = nasty;
  event.attributes_json = attributes;
  ensure_schema(*client_);
  EventWriter writer(*client_);
  ASSERT_TRUE(writer.add(event, 1));
  EXPECT_EQ(writer.flush().inserted, 1u);
  const std::string answer = client_->query(
      "SELECT session_id, model, attr_keys[1], attr_values[1], attributes FROM events");
  std::vector<std::string> fields;
  for_each_tsv_row(answer, [&](std::vector<std::string> row) {
    if (row.size() > 1) fields = std::move(row);
  });
  ASSERT_EQ(fields.size(), 5u) << answer;
  EXPECT_EQ(fields[0], nasty);
  EXPECT_EQ(fields[1], nasty);
  EXPECT_EQ(fields[2], "k\tey");
  EXPECT_EQ(fields[3], nasty);
  EXPECT_EQ(fields[4], attributes);
  const Queries queries(*client_);
  engine::Filter filter;
  filter.model = {nasty};
  EXPECT_EQ(queries.summarize(filter).metrics.events, 1u);
  const std::string key = "attr.k\tey";
  const auto rows = queries.breakdown({}, engine::Dimension::attribute(key));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].key, nasty);
}

// The reference dataset through both ingests, directory included: the same answers.
TEST_F(ClickHouseIngestTest, TheReferenceDatasetAnswersAsInTheEmbeddedStore) {
  const ReferenceStores* reference = ReferenceStores::get();
  if (!reference) GTEST_SKIP() << ReferenceStores::kSkipReason;
  EXPECT_GT(reference->clickhouse_accepted, 10000u);
  expect_same_store_answers(*reference->engine->snapshot(), Queries(*reference->client));
}

}  // namespace
}  // namespace cca::clickhouse
