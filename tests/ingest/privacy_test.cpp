// Prompt text is never stored, whatever arrives: not in events, not in the quarantine.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ingest/ingestor.h"
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

TEST(Privacy, PromptTextIsNeverStored) {
  test::TempDir dir;
  const std::string db = dir.file("store.db");
  const std::string secret = "SECRET-PROMPT-TEXT-7f3a";

  json valid = test::base_attributes("user_prompt", "s1");
  valid["prompt"] = secret;
  valid["prompt_length"] = "23";
  json rejected = test::base_attributes("user_prompt", "s2");
  rejected["prompt"] = secret;
  rejected.erase("session.id");
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

}  // namespace
}  // namespace cca::ingest
