// Prompt text, response text and tool inputs are never stored, whatever arrives: not in events,
// not in the quarantine.
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

#include "ingest/ingestor.h"
#include "ingest/private_attributes.h"
#include "support/test_support.h"

namespace cca::ingest {
namespace {

using nlohmann::json;

std::string all_bytes_of_store(const std::string& db) {
  std::string bytes;
  for (const std::string& path : {db, db + "-wal"}) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    bytes += content.str();
  }
  return bytes;
}

TEST(Privacy, PrivateTextIsNeverStored) {
  test::TempDir dir;
  const std::string db = dir.file("store.db");
  const std::string secret = "SECRET-PROMPT-TEXT-7f3a";

  json valid = test::base_attributes("user_prompt", "s1");
  for (std::string_view key : kPrivateAttributes) valid[std::string(key)] = secret;
  valid["prompt_length"] = "23";
  json rejected = test::base_attributes("user_prompt", "s2");
  for (std::string_view key : kPrivateAttributes) rejected[std::string(key)] = secret;
  rejected.erase("user.email");
  rejected.erase("user.id");
  json bad_number = test::base_attributes("user_prompt", "s3");
  bad_number["prompt"] = secret;
  bad_number["prompt_length"] = "-1";
  std::string jsonl = test::batch_line({test::log_event("p1", 1, test::message(valid)),
                                        test::log_event("p2", 1, test::message(rejected)),
                                        test::log_event("p3", 1, test::message(bad_number))}) +
                      "\n";
  // A broken line carrying a prompt is quarantined whole: the prompt must go from it too.
  jsonl += R"({"logEvents": [{"id": "p4", "message": "{\"attributes\": {\"prompt\": \")" + secret +
           "\"\n";
  test::write_file(dir.file("a.jsonl"), jsonl);

  const json otlp = {
      {"resourceLogs",
       {{{"scopeLogs",
          {{{"logRecords",
             {{{"attributes",
                {{{"key", "event.name"}, {"value", {{"stringValue", "user_prompt"}}}},
                 {{"key", "prompt"}, {"value", {{"stringValue", secret}}}}}}}}}}}}}}}};
  {
    Ingestor ingestor(db);
    const IngestReport report = ingestor.ingest_file(dir.file("a.jsonl"));
    EXPECT_EQ(report.accepted, 1u);
    EXPECT_EQ(report.rejected_events, 2u);
    EXPECT_EQ(report.rejected_lines, 1u);
    EXPECT_EQ(ingestor.ingest_otlp_logs(otlp.dump()).rejected_events, 1u);
  }
  EXPECT_EQ(test::sql_int(db, "SELECT prompt_length FROM events"), 23);
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM quarantine"), 4);
  EXPECT_EQ(all_bytes_of_store(db).find(secret), std::string::npos);
}

// The longest run of characters that JSON escapes nowhere: found in the store however many
// times the value was escaped on the way (an attribute, JSON inside a quarantined string, ...).
std::string longest_plain_run(const std::string& text) {
  std::string best, run;
  for (const char c : text + '\n') {
    if (std::isalnum(static_cast<unsigned char>(c)) ||
        std::string_view(" _.,=:;/-()#").find(c) != std::string_view::npos) {
      run += c;
    } else {
      if (run.size() > best.size()) best = run;
      run.clear();
    }
  }
  return best;
}

// Every log body the real Claude Code CLI sent with OTEL_LOG_USER_PROMPTS, OTEL_LOG_TOOL_CONTENT
// and OTEL_LOG_TOOL_DETAILS on, stored as sent and once more with each record broken so that it
// lands in the quarantine: none of the private values may be anywhere in the store's bytes.
TEST(Privacy, NoPrivateTextFromTheRealClientReachesTheStore) {
  const auto fixtures = test::claude_code_otlp_fixtures();
  if (!fixtures) GTEST_SKIP() << "the claude-code-2.1.328-otlp fixtures are absent";
  test::TempDir dir;
  const std::string db = dir.file("store.db");

  std::vector<std::string> secrets;
  std::map<std::string, int> private_values_by_key;
  size_t records = 0, prompt_lengths = 0;
  Ingestor ingestor(db);
  for (const auto& path : test::otlp_fixture_files(*fixtures, "logs")) {
    std::ifstream in(path);
    json request = json::parse(in);
    json broken = request;
    for (auto& resource_logs : broken["resourceLogs"])
      for (auto& scope_logs : resource_logs["scopeLogs"])
        for (auto& record : scope_logs["logRecords"]) {
          ++records;
          record.erase("timeUnixNano");
          record.erase("observedTimeUnixNano");
          for (auto& attribute : record["attributes"]) {
            const std::string key = attribute["key"];
            if (key == "event.timestamp") attribute["value"] = {{"stringValue", "not a time"}};
            if (key == "prompt_length") ++prompt_lengths;
            if (!is_private_attribute(key)) continue;
            ++private_values_by_key[key];
            const std::string run = longest_plain_run(attribute["value"]["stringValue"]);
            if (run.size() >= 12) secrets.push_back(run);
          }
        }
    const IngestReport as_sent = ingestor.ingest_otlp_logs(request.dump());
    EXPECT_EQ(as_sent.rejected_events, 0u) << path;
    const IngestReport as_broken = ingestor.ingest_otlp_logs(broken.dump());
    EXPECT_EQ(as_broken.accepted, 0u) << path;
  }
  // The fixtures hold what this test is about: each private attribute, with text worth finding.
  for (std::string_view key : kPrivateAttributes)
    EXPECT_GT(private_values_by_key[std::string(key)], 0) << key;
  EXPECT_GE(secrets.size(), 10u);

  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM events"), static_cast<int64_t>(records));
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM quarantine"), static_cast<int64_t>(records));
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM events WHERE prompt_length IS NOT NULL"),
            static_cast<int64_t>(prompt_lengths));
  const std::string bytes = all_bytes_of_store(db);
  for (const std::string& secret : secrets)
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
}

}  // namespace
}  // namespace cca::ingest
