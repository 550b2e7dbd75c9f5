// Every rule of the contract's "Ingest semantics" for CloudWatch-batch JSONL, one test each:
// what is accepted, what is rejected (and counted how), and what lands in the store.
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
using test::sql_double;
using test::sql_int;
using test::sql_text;

class CloudWatchIngest : public ::testing::Test {
 protected:
  IngestReport ingest(const std::string& jsonl) {
    const std::string path = dir_.file("input-" + std::to_string(files_++) + ".jsonl");
    test::write_file(path, jsonl);
    Ingestor ingestor(db_);
    return ingestor.ingest_file(path);
  }

  // One line, one event with the given attributes.
  IngestReport ingest_event(const json& attributes, int64_t timestamp_ms = 1767321660685) {
    return ingest(batch_line({log_event("id-" + std::to_string(ids_++), timestamp_ms,
                                        message(attributes))}) + "\n");
  }

  test::TempDir dir_;
  std::string db_ = dir_.file("store.db");
  int files_ = 0;
  int ids_ = 0;
};

TEST_F(CloudWatchIngest, AcceptsAValidEventAndStoresItsTypedColumns) {
  json attributes = base_attributes("api_request");
  attributes.update({{"model", "claude-opus-4-6"},
                     {"input_tokens", "123"},
                     {"output_tokens", "184"},
                     {"cache_read_tokens", "13670"},
                     {"cache_creation_tokens", "0"},
                     {"cost_usd", "0.0936937347300842"},
                     {"duration_ms", "27262"}});
  const IngestReport report = ingest_event(attributes);
  EXPECT_EQ(report.accepted, 1u);
  EXPECT_EQ(report.rejected_events + report.rejected_lines + report.duplicates, 0u);
  EXPECT_EQ(sql_text(db_, "SELECT event_name FROM events_decoded"), "api_request");
  EXPECT_EQ(sql_text(db_, "SELECT model FROM events_decoded"), "claude-opus-4-6");
  EXPECT_EQ(sql_int(db_, "SELECT time_ms FROM events"), 1767321660685);
  EXPECT_EQ(sql_int(db_, "SELECT input_tokens FROM events"), 123);
  EXPECT_EQ(sql_int(db_, "SELECT cache_read_tokens FROM events"), 13670);
  EXPECT_DOUBLE_EQ(sql_double(db_, "SELECT cost_usd FROM events"), 0.0936937347300842);
  EXPECT_EQ(sql_text(db_, "SELECT os_type FROM events_decoded"), "linux");
  EXPECT_EQ(sql_text(db_, "SELECT version FROM events_decoded"), "2.1.39");
  EXPECT_EQ(sql_text(db_, "SELECT practice_hint FROM events_decoded"), "ML Engineering");
  EXPECT_EQ(sql_text(db_, "SELECT log_event_id FROM events"), "id-0");
  EXPECT_EQ(sql_text(db_, "SELECT status FROM ingests"), "complete");
  EXPECT_EQ(sql_int(db_, "SELECT accepted FROM ingests"), 1);
}

TEST_F(CloudWatchIngest, SkipsBlankAndWhitespaceOnlyLinesSilently) {
  const std::string line = batch_line({log_event("a", 1, message(base_attributes("user_prompt")))});
  const IngestReport report = ingest("\n   \n\t\r\n" + line + "\n\n  \n");
  EXPECT_EQ(report.accepted, 1u);
  EXPECT_EQ(report.lines, 1u);
  EXPECT_EQ(report.rejected_lines, 0u);
}

TEST_F(CloudWatchIngest, RejectsLinesThatAreNotBatchObjectsAndReadsOn) {
  const std::string good = batch_line({log_event("a", 1, message(base_attributes("user_prompt")))});
  const std::string good2 = batch_line({log_event("b", 1, message(base_attributes("user_prompt")))});
  const std::string input = "{not json\n" + good + "\n[1,2,3]\n\"text\"\n{\"logEvents\": 5}\n" +
                            "{\"owner\": \"x\"}\n" + good.substr(0, good.size() / 2) + "\n" +
                            good + " trailing\n" + good2 + "\n";
  const IngestReport report = ingest(input);
  EXPECT_EQ(report.rejected_lines, 7u);
  EXPECT_EQ(report.accepted, 2u);
  EXPECT_EQ(report.rejected_events, 0u);
  EXPECT_EQ(report.rejected_by_reason.at("invalid_json"), 3u);  // broken, truncated, trailing
  EXPECT_EQ(report.rejected_by_reason.at("not_an_object"), 2u);
  EXPECT_EQ(report.rejected_by_reason.at("no_log_events_array"), 2u);
  EXPECT_EQ(sql_int(db_, "SELECT count(*) FROM quarantine WHERE kind = 'line'"), 7);
  // Line numbers are the source's: the broken line is line 1, the array line 3.
  EXPECT_EQ(sql_int(db_, "SELECT line FROM quarantine WHERE raw = '{not json'"), 1);
  EXPECT_EQ(sql_int(db_, "SELECT line FROM quarantine WHERE raw = '[1,2,3]'"), 3);
}

TEST_F(CloudWatchIngest, ATruncatedLineStoresNoneOfItsEvents) {
  std::string line = batch_line({log_event("a", 1, message(base_attributes("user_prompt"))),
                                 log_event("b", 1, message(base_attributes("user_prompt")))});
  line.resize(line.size() - 3);  // cut inside the closing brackets
  const IngestReport report = ingest(line + "\n");
  EXPECT_EQ(report.accepted, 0u);
  EXPECT_EQ(report.rejected_lines, 1u);
  EXPECT_EQ(sql_int(db_, "SELECT count(*) FROM events"), 0);
}

TEST_F(CloudWatchIngest, RejectsAnEventWhoseMessageIsNotAJsonObject) {
  const json not_object = {{"id", "m1"}, {"timestamp", 1}, {"message", "plain text"}};
  const json array_message = {{"id", "m2"}, {"timestamp", 1}, {"message", "[1]"}};
  const json numeric_message = {{"id", "m3"}, {"timestamp", 1}, {"message", 42}};
  const json good = log_event("m4", 1, message(base_attributes("user_prompt")));
  const IngestReport report = ingest(batch_line({not_object, array_message, numeric_message, good}));
  EXPECT_EQ(report.rejected_events, 3u);
  EXPECT_EQ(report.rejected_by_reason.at("message_not_object"), 3u);
  EXPECT_EQ(report.accepted, 1u);
  EXPECT_EQ(sql_text(db_, "SELECT raw FROM quarantine WHERE detail LIKE '%not a JSON object%' "
                          "ORDER BY id LIMIT 1"),
            "plain text");
}

TEST_F(CloudWatchIngest, NamesTheEventFromTheBodyWhenTheAttributeIsMissing) {
  json attributes = base_attributes("api_error");
  attributes.erase("event.name");
  json msg = message(attributes);
  msg["body"] = "claude_code.api_error";
  EXPECT_EQ(ingest(batch_line({log_event("x", 1, msg)})).accepted, 1u);
  EXPECT_EQ(sql_text(db_, "SELECT event_name FROM events_decoded"), "api_error");
}

TEST_F(CloudWatchIngest, RejectsAnEventWithoutAnyName) {
  json attributes = base_attributes("api_error");
  attributes.erase("event.name");
  json msg = message(attributes);
  msg.erase("body");
  const IngestReport report = ingest(batch_line({log_event("x", 1, msg)}));
  EXPECT_EQ(report.rejected_events, 1u);
  EXPECT_EQ(report.rejected_by_reason.at("missing_event_name"), 1u);
  EXPECT_EQ(sql_text(db_, "SELECT field FROM quarantine"), "event.name");
}

TEST_F(CloudWatchIngest, KeepsAnEventWithoutASessionIdInNoSession) {
  json absent = base_attributes("user_prompt");
  absent.erase("session.id");
  json blank = base_attributes("api_request");
  blank["session.id"] = "  ";
  EXPECT_EQ(ingest_event(absent).accepted, 1u);
  EXPECT_EQ(ingest_event(blank).accepted, 1u);
  EXPECT_EQ(sql_int(db_, "SELECT count(*) FROM events WHERE session_id = 0"), 2);
  EXPECT_EQ(sql_int(db_, "SELECT count(*) FROM events_decoded WHERE session_id IS NULL"), 2);
}

TEST_F(CloudWatchIngest, RejectsAnEventWithoutAUser) {
  json no_user = base_attributes("user_prompt");
  no_user["user.email"] = "";
  no_user["user.id"] = "";
  json absent = base_attributes("user_prompt");
  absent.erase("user.email");
  absent.erase("user.id");
  EXPECT_EQ(ingest_event(no_user).rejected_by_reason.at("missing_user"), 1u);
  EXPECT_EQ(ingest_event(absent).rejected_by_reason.at("missing_user"), 1u);
  EXPECT_EQ(sql_int(db_, "SELECT count(*) FROM events"), 0);
}

TEST_F(CloudWatchIngest, TheUserIsTheTrimmedLowercaseEmailElseTheUserId) {
  json mixed_case = base_attributes("user_prompt", "s1", "  Alice.Smith@Example.COM ");
  json no_email = base_attributes("user_prompt", "s2");
  no_email["user.email"] = "";
  no_email["user.id"] = "abc123";
  ingest_event(mixed_case);
  ingest_event(no_email);
  EXPECT_EQ(sql_text(db_, "SELECT user FROM events_decoded WHERE session_id = 's1'"),
            "alice.smith@example.com");
  EXPECT_EQ(sql_text(db_, "SELECT user FROM events_decoded WHERE session_id = 's2'"), "abc123");
}

TEST_F(CloudWatchIngest, ConvertsTimestampOffsetsToUtc) {
  json attributes = base_attributes("user_prompt");
  attributes["event.timestamp"] = "2026-01-02T04:41:00.5+02:00";
  ingest_event(attributes);
  // 2026-01-02T02:41:00.500Z
  EXPECT_EQ(sql_int(db_, "SELECT time_ms FROM events"), 1767321660500);
}

TEST_F(CloudWatchIngest, FallsBackToTheLogEventTimestamp) {
  json invalid = base_attributes("user_prompt", "s1");
  invalid["event.timestamp"] = "yesterday";
  json absent = base_attributes("user_prompt", "s2");
  absent.erase("event.timestamp");
  ingest_event(invalid, 1767000000123);
  ingest_event(absent, 1767000000456);
  EXPECT_EQ(sql_int(db_, "SELECT time_ms FROM events_decoded WHERE session_id = 's1'"),
            1767000000123);
  EXPECT_EQ(sql_int(db_, "SELECT time_ms FROM events_decoded WHERE session_id = 's2'"),
            1767000000456);
}

TEST_F(CloudWatchIngest, RejectsAnEventWithNoUsableTime) {
  json invalid = base_attributes("user_prompt");
  invalid["event.timestamp"] = "2026-13-45T99:00:00Z";
  json msg = message(invalid);
  const json without_epoch = {{"id", "t1"}, {"message", msg.dump()}};
  const json text_epoch = {{"id", "t2"}, {"timestamp", "soon"}, {"message", msg.dump()}};
  const IngestReport report = ingest(batch_line({without_epoch, text_epoch}));
  EXPECT_EQ(report.rejected_by_reason.at("missing_timestamp"), 2u);
}

TEST_F(CloudWatchIngest, AcceptsNumbersAsStringsAndAsJsonNumbers) {
  json as_numbers = base_attributes("api_request", "s1");
  as_numbers.update({{"input_tokens", 10}, {"output_tokens", 2.5}, {"cost_usd", 0.25},
                     {"duration_ms", 1e3}});
  json as_strings = base_attributes("api_request", "s2");
  as_strings.update({{"input_tokens", "10"}, {"output_tokens", " 2.5"}, {"cost_usd", "0.25"},
                     {"duration_ms", "1e3"}});
  EXPECT_EQ(ingest_event(as_numbers).accepted, 1u);
  EXPECT_EQ(ingest_event(as_strings).accepted, 1u);
  EXPECT_EQ(sql_double(db_, "SELECT sum(output_tokens) FROM events"), 5.0);
  EXPECT_EQ(sql_double(db_, "SELECT sum(duration_ms) FROM events"), 2000.0);
}

TEST_F(CloudWatchIngest, RejectsEveryNumericAttributeThatIsNotAFiniteNonNegativeNumber) {
  const char* fields[] = {"input_tokens", "output_tokens", "cache_read_tokens",
                          "cache_creation_tokens", "cost_usd", "duration_ms", "prompt_length",
                          "attempt", "tool_result_size_bytes"};
  const json bad_values[] = {"NaN", "nan", "-1", "abc", "Infinity", "1e999", "", "12abc",
                             -5, true, json::object()};
  uint64_t expected = 0;
  for (const char* field : fields) {
    for (const json& bad : bad_values) {
      json attributes = base_attributes("api_request");
      attributes[field] = bad;
      const IngestReport report = ingest_event(attributes);
      ++expected;
      EXPECT_EQ(report.rejected_events, 1u) << field << " = " << bad.dump();
      EXPECT_EQ(report.accepted, 0u) << field << " = " << bad.dump();
    }
  }
  EXPECT_EQ(sql_int(db_, "SELECT count(*) FROM quarantine WHERE reason = 'invalid_number'"),
            static_cast<int64_t>(expected));
  EXPECT_EQ(sql_text(db_, "SELECT field FROM quarantine ORDER BY id LIMIT 1"), "input_tokens");
  EXPECT_EQ(sql_int(db_, "SELECT count(*) FROM events"), 0);
}

TEST_F(CloudWatchIngest, KeepsUnknownEventNamesAsTheyAre) {
  EXPECT_EQ(ingest_event(base_attributes("session_summary")).accepted, 1u);
  EXPECT_EQ(sql_text(db_, "SELECT event_name FROM events_decoded"), "session_summary");
}

TEST_F(CloudWatchIngest, KeepsAttributesWithoutAColumnInExtra) {
  json attributes = base_attributes("tool_result");
  attributes["mcp_server"] = "github";
  attributes["nested"] = {{"a", 1}};
  ingest_event(attributes);
  const json extra = json::parse(sql_text(db_, "SELECT extra FROM events"));
  EXPECT_EQ(extra["mcp_server"], "github");
  EXPECT_EQ(extra["nested"]["a"], 1);
}

TEST_F(CloudWatchIngest, KeepsTheEnvelopeAndResourceSoNothingIsLost) {
  ingest_event(base_attributes("user_prompt"));
  const json envelope = json::parse(sql_text(db_, "SELECT envelope FROM events_decoded"));
  EXPECT_EQ(envelope["logGroup"], "/claude-code/telemetry");
  EXPECT_EQ(envelope["subscriptionFilters"][0], "logs-to-s3");
  const json resource = json::parse(sql_text(db_, "SELECT resource FROM events_decoded"));
  EXPECT_EQ(resource["host.arch"], "x86_64");
}

TEST_F(CloudWatchIngest, ReadsGzipInput) {
  const std::string path = dir_.file("input.jsonl.gz");
  test::write_gzip_file(path, batch_line({log_event("g", 1, message(base_attributes("user_prompt")))}));
  Ingestor ingestor(db_);
  EXPECT_EQ(ingestor.ingest_file(path).accepted, 1u);
}

TEST_F(CloudWatchIngest, AnUnreadableFileIsAnErrorAndLeavesAFailedLogRow) {
  Ingestor ingestor(db_);
  EXPECT_THROW(ingestor.ingest_file(dir_.file("missing.jsonl")), IngestError);
  EXPECT_THROW(ingestor.ingest_file(dir_.path().string()), IngestError);
}

TEST_F(CloudWatchIngest, LinesLongerThanAChunkAndCrlfEndingsParse) {
  std::vector<json> events;
  for (int i = 0; i < 3000; ++i)  // about 2 MB on one line, more than a 1 MB chunk
    events.push_back(log_event("big-" + std::to_string(i), 1, message(base_attributes("user_prompt"))));
  const IngestReport report = ingest(batch_line(events) + "\r\n" +
                                     batch_line({log_event("z", 1, message(base_attributes("x")))}));
  EXPECT_EQ(report.accepted, 3001u);
  EXPECT_EQ(report.rejected_lines, 0u);
}

}  // namespace
}  // namespace cca::ingest
