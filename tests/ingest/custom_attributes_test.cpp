// Custom attributes (OTEL_RESOURCE_ATTRIBUTES, repository attributes) arrive in
// events.attributes_id as one canonical JSON object; identifiers, measurements and private text
// do not.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "ingest/ingestor.h"
#include "ingest/private_attributes.h"
#include "support/test_support.h"

namespace cca::ingest {
namespace {

using nlohmann::json;

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// Every distinct stored attribute object, parsed.
std::vector<json> stored_attribute_sets(const std::string& db) {
  const json texts =
      json::parse(test::sql_text(db,
                                 "SELECT json_group_array(value) FROM strings WHERE id IN "
                                 "(SELECT DISTINCT attributes_id FROM events)"));
  std::vector<json> sets;
  for (const json& text : texts) sets.push_back(json::parse(text.get<std::string>()));
  return sets;
}

TEST(CustomAttributes, RealClaudeCodeLogsCarryTheResourceAttributes) {
  const auto fixtures = test::claude_code_otlp_fixtures();
  if (!fixtures) GTEST_SKIP() << "claude-code-2.1.328-otlp fixtures absent";
  for (const char* folder : {"full-run", "session-id-off-repository-on"}) {
    SCOPED_TRACE(folder);
    test::TempDir dir;
    const std::string db = dir.file("store.db");
    std::set<std::string> keys;
    {
      Ingestor ingestor(db);
      for (const auto& file : test::otlp_fixture_files(*fixtures / folder, "logs")) {
        const std::string body = read_all(file);
        ingestor.ingest_otlp_logs(body);
        // The fixture's own attribute keys, read independently of the ingest.
        const json request = json::parse(body);
        for (const json& resource_logs : request["resourceLogs"])
          for (const json& attribute : resource_logs["resource"]["attributes"])
            keys.insert(attribute["key"].get<std::string>());
      }
    }
    ASSERT_TRUE(keys.count("team.id"));
    EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM events WHERE attributes_id IS NULL"), 0);
    EXPECT_EQ(test::sql_int(db,
                            "SELECT count(DISTINCT json_extract(value, '$.\"team.id\"')) "
                            "FROM events JOIN strings ON strings.id = attributes_id"),
              1);
    for (const json& set : stored_attribute_sets(db)) {
      EXPECT_EQ(set.value("team.id", ""), "platform");
      EXPECT_EQ(set.value("cost_center", ""), "cc-42");
      EXPECT_TRUE(set.contains("department"));
      for (const char* absent : {"session.id",      "user.id",         "event.name",
                                 "event.timestamp", "event.sequence",  "prompt.id",
                                 "tool_use_id",     "request_id",      "message.uuid",
                                 "plugin_id_hash",  "service.name",    "service.version",
                                 "os.type",         "os.version",      "host.arch",
                                 "host.name",       "terminal.type",   "model",
                                 "ttft_ms",         "response_length", "tool_input_size_bytes",
                                 "duration_ms",     "query_source"})
        EXPECT_FALSE(set.contains(absent)) << absent << " in " << set.dump();
      for (std::string_view key : kPrivateAttributes)
        EXPECT_FALSE(set.contains(std::string(key))) << key;
      for (const auto& [key, value] : set.items()) EXPECT_TRUE(value.is_string()) << key;
    }
  }
}

TEST(CustomAttributes, RepositoryAttributesArriveFromRecords) {
  const auto fixtures = test::claude_code_otlp_fixtures();
  if (!fixtures) GTEST_SKIP() << "claude-code-2.1.328-otlp fixtures absent";
  test::TempDir dir;
  const std::string db = dir.file("store.db");
  std::set<std::string> repositories;
  {
    Ingestor ingestor(db);
    for (const auto& file :
         test::otlp_fixture_files(*fixtures / "session-id-off-repository-on", "logs")) {
      const std::string body = read_all(file);
      ingestor.ingest_otlp_logs(body);
      const json request = json::parse(body);
      for (const json& resource_logs : request["resourceLogs"])
        for (const json& scope_logs : resource_logs["scopeLogs"])
          for (const json& record : scope_logs["logRecords"])
            for (const json& attribute : record["attributes"])
              if (attribute["key"] == "vcs.repository.name")
                repositories.insert(attribute["value"]["stringValue"].get<std::string>());
    }
  }
  ASSERT_FALSE(repositories.empty());
  const json stored = json::parse(test::sql_text(
      db,
      "SELECT json_group_array(DISTINCT json_extract(value, '$.\"vcs.repository.name\"')) "
      "FROM events JOIN strings ON strings.id = attributes_id "
      "WHERE json_extract(value, '$.\"vcs.repository.name\"') IS NOT NULL"));
  EXPECT_EQ(stored.get<std::set<std::string>>(), repositories);
}

TEST(CustomAttributes, CloudWatchRecordOverridesResourceAndKeysAreSorted) {
  test::TempDir dir;
  const std::string db = dir.file("store.db");
  json attributes = test::base_attributes("user_prompt", "s1");
  attributes["team.id"] = "record-team";
  attributes["zone"] = "z1";
  attributes["has_mcp"] = true;
  attributes["agent_path_count"] = 3;  // a number on a record: a measurement, not a dimension
  attributes["nul"] = std::string("a\0b", 3);
  attributes["prompt"] = "private";
  json message = test::message(attributes);
  message["resource"] = {{"team.id", "resource-team"},
                         {"cost_center", "cc-42"},
                         {"service.name", "claude-code"},
                         {"host.id", "h-1"},
                         {"telemetry.sdk.name", "opentelemetry"},
                         {"user.practice", "Platform"}};
  test::write_file(dir.file("a.jsonl"),
                   test::batch_line({test::log_event("e1", 1767607200000, message)}) + "\n");
  {
    Ingestor ingestor(db);
    EXPECT_EQ(ingestor.ingest_file(dir.file("a.jsonl")).accepted, 1u);
  }
  EXPECT_EQ(
      test::sql_text(db, "SELECT attributes FROM events_decoded"),
      R"({"cost_center":"cc-42","has_mcp":"true","nul":"a\u0000b","team.id":"record-team","zone":"z1"})");
  EXPECT_EQ(test::sql_text(db, "SELECT practice_hint FROM events_decoded"), "Platform");
}

TEST(CustomAttributes, EventsWithoutCustomAttributesStoreNull) {
  test::TempDir dir;
  const std::string db = dir.file("store.db");
  test::write_file(
      dir.file("a.jsonl"),
      test::batch_line({test::log_event(
          "e1", 1767607200000, test::message(test::base_attributes("user_prompt", "s1")))}) +
          "\n");
  {
    Ingestor ingestor(db);
    ingestor.ingest_file(dir.file("a.jsonl"));
  }
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM events WHERE attributes_id IS NULL"), 1);
}

}  // namespace
}  // namespace cca::ingest
