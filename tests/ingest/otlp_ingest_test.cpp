// OTLP/HTTP JSON logs: attribute values of every AnyValue kind, and malformed requests.
#include <gtest/gtest.h>

#include <chrono>

#include "ingest/ingestor.h"
#include "support/test_support.h"

namespace cca::ingest {
namespace {

using nlohmann::json;

json kv(const std::string& key, const json& value) { return {{"key", key}, {"value", value}}; }
json str(const std::string& s) { return {{"stringValue", s}}; }

json otlp_request(const std::vector<json>& records) {
  return {{"resourceLogs",
           {{{"resource",
              {{"attributes",
                {kv("service.name", str("claude-code")), kv("service.version", str("2.1.50")),
                 kv("os.type", str("darwin")), kv("host.arch", str("arm64")),
                 kv("user.practice", str("Platform Engineering"))}}}},
             {"scopeLogs",
              {{{"scope", {{"name", "com.anthropic.claude_code.events"}, {"version", "2.1.50"}}},
                {"logRecords", records}}}}}}}};
}

json record(const std::string& name, std::vector<json> extra = {}) {
  std::vector<json> attributes = {kv("event.name", str(name)),
                                  kv("event.timestamp", str("2026-01-05T10:00:00.000Z")),
                                  kv("session.id", str("otlp-session")),
                                  kv("user.email", str("Otlp.User@example.com")),
                                  kv("terminal.type", str("iTerm2"))};
  for (json& e : extra) attributes.push_back(std::move(e));
  return {{"timeUnixNano", "1767607200000000000"},
          {"body", str("claude_code." + name)},
          {"attributes", attributes}};
}

class OtlpIngest : public ::testing::Test {
 protected:
  test::TempDir dir_;
  std::string db_ = dir_.file("store.db");
};

TEST_F(OtlpIngest, ReadsStringIntAndDoubleValues) {
  const json request = otlp_request(
      {record("api_request", {kv("model", str("claude-haiku-4-5")),
                              kv("input_tokens", {{"intValue", "1200"}}),
                              kv("output_tokens", {{"intValue", 300}}),
                              kv("cache_read_tokens", str("50")),
                              kv("cost_usd", {{"doubleValue", 0.125}}),
                              kv("duration_ms", {{"doubleValue", 812.5}})}),
       record("tool_result", {kv("tool_name", str("Bash")), kv("success", {{"boolValue", true}})})});
  const IngestReport report = Ingestor(db_).ingest_otlp_logs(request.dump());
  EXPECT_EQ(report.accepted, 2u);
  EXPECT_EQ(report.rejected_events, 0u);
  EXPECT_EQ(test::sql_int(db_, "SELECT input_tokens FROM events WHERE input_tokens IS NOT NULL"), 1200);
  EXPECT_EQ(test::sql_int(db_, "SELECT output_tokens FROM events WHERE output_tokens IS NOT NULL"), 300);
  EXPECT_EQ(test::sql_int(db_, "SELECT cache_read_tokens FROM events WHERE cache_read_tokens > 0"), 50);
  EXPECT_DOUBLE_EQ(test::sql_double(db_, "SELECT cost_usd FROM events WHERE cost_usd > 0"), 0.125);
  EXPECT_DOUBLE_EQ(test::sql_double(db_, "SELECT duration_ms FROM events WHERE model_id IS NOT NULL"),
                   812.5);
  EXPECT_EQ(test::sql_int(db_, "SELECT success FROM events WHERE success IS NOT NULL"), 1);
  EXPECT_EQ(test::sql_text(db_, "SELECT DISTINCT user FROM events_decoded"), "otlp.user@example.com");
  EXPECT_EQ(test::sql_text(db_, "SELECT DISTINCT version FROM events_decoded"), "2.1.50");
  EXPECT_EQ(test::sql_text(db_, "SELECT DISTINCT practice_hint FROM events_decoded"),
            "Platform Engineering");
  EXPECT_EQ(test::sql_int(db_, "SELECT min(time_ms) FROM events"), 1767607200000);
}

TEST_F(OtlpIngest, RecordsThatBreakARuleAreRejectedAndTheRestStored) {
  json no_user = record("user_prompt");
  no_user["attributes"].erase(3);
  const json request = otlp_request(
      {record("user_prompt", {kv("prompt_length", {{"intValue", "42"}})}), no_user,
       record("api_request", {kv("cost_usd", {{"doubleValue", "NaN"}})})});
  const IngestReport report = Ingestor(db_).ingest_otlp_logs(request.dump());
  EXPECT_EQ(report.accepted, 1u);
  EXPECT_EQ(report.rejected_events, 2u);
  EXPECT_EQ(report.rejected_by_reason.at("missing_user"), 1u);
  EXPECT_EQ(report.rejected_by_reason.at("invalid_number"), 1u);
}

TEST_F(OtlpIngest, TheRecordTimeIsTheFallbackTimestamp) {
  json r = record("user_prompt");
  r["attributes"].erase(1);  // no event.timestamp
  r["timeUnixNano"] = "1767607201234000000";
  EXPECT_EQ(Ingestor(db_).ingest_otlp_logs(otlp_request({r}).dump()).accepted, 1u);
  EXPECT_EQ(test::sql_int(db_, "SELECT time_ms FROM events"), 1767607201234);
}

TEST_F(OtlpIngest, ResendingARequestStoresNothingNew) {
  const std::string body = otlp_request({record("user_prompt"), record("api_request")}).dump();
  Ingestor ingestor(db_);
  EXPECT_EQ(ingestor.ingest_otlp_logs(body).accepted, 2u);
  const IngestReport again = ingestor.ingest_otlp_logs(body);
  EXPECT_EQ(again.accepted, 0u);
  EXPECT_EQ(again.duplicates, 2u);
}

// A fleet sends hundreds of exports a second: the ingest log keeps one row per source and hour,
// the exports' counts summed into it, whichever process ingested them.
TEST_F(OtlpIngest, ExportsAreLoggedInOneRowOfTheHour) {
  json no_user = record("tool_decision");
  no_user["attributes"].erase(3);
  const std::string first = otlp_request({record("user_prompt"), record("api_request")}).dump();
  const std::string partly_bad = otlp_request({record("api_error"), no_user}).dump();
  const auto hour = [] {
    return std::chrono::system_clock::now().time_since_epoch() / std::chrono::hours(1);
  };
  const auto hour_before = hour();
  {
    Ingestor ingestor(db_);
    ingestor.ingest_otlp_logs(first);
    ingestor.ingest_otlp_logs(first);
    ingestor.ingest_otlp_logs(partly_bad);
  }
  Ingestor(db_).ingest_otlp_logs(first);        // another process, later
  const auto hours = hour() - hour_before + 1;  // 2 when the hour turned meanwhile
  EXPECT_LE(test::sql_int(db_, "SELECT count(*) FROM ingests"), hours);
  EXPECT_EQ(test::sql_int(db_,
                          "SELECT count(*) FROM ingests WHERE source <> 'otlp' OR "
                          "status <> 'complete' OR path NOT LIKE 'exports of the hour from %'"),
            0);
  EXPECT_EQ(test::sql_int(db_, "SELECT sum(accepted) FROM ingests"), 3);
  EXPECT_EQ(test::sql_int(db_, "SELECT sum(duplicates) FROM ingests"), 4);
  EXPECT_EQ(test::sql_int(db_, "SELECT sum(rejected_events) FROM ingests"), 1);
  EXPECT_EQ(test::sql_int(db_, "SELECT sum(size_bytes) FROM ingests"),
            static_cast<int64_t>(3 * first.size() + partly_bad.size()));
  // Every stored event and quarantined record points at its row.
  EXPECT_EQ(test::sql_int(db_,
                          "SELECT count(*) FROM events WHERE ingest_id NOT IN "
                          "(SELECT id FROM ingests)"),
            0);
  EXPECT_EQ(test::sql_int(db_,
                          "SELECT count(*) FROM quarantine WHERE ingest_id IN "
                          "(SELECT id FROM ingests)"),
            1);
}

TEST_F(OtlpIngest, AMalformedRequestIsAnErrorAndStoresNothing) {
  const std::string valid_then_broken =
      json{{"resourceLogs", {otlp_request({record("user_prompt")})["resourceLogs"][0],
                             {{"scopeLogs", "not an array"}}}}}
          .dump();
  const std::string bad_bodies[] = {
      "not json", "[1,2]", R"({"resourceLogs": 5})", R"({"resourceLogs": [1]})",
      R"({"resourceLogs": [{"scopeLogs": [{"logRecords": [{"attributes": [{"value": {}}]}]}]}]})",
      valid_then_broken};
  Ingestor ingestor(db_);
  for (const std::string& body : bad_bodies)
    EXPECT_THROW(ingestor.ingest_otlp_logs(body), IngestError) << body;
  EXPECT_EQ(test::sql_int(db_, "SELECT count(*) FROM events"), 0);
  EXPECT_EQ(test::sql_int(db_, "SELECT count(*) FROM quarantine"), 0);
}

TEST_F(OtlpIngest, AnEmptyRequestIsValid) {
  EXPECT_EQ(Ingestor(db_).ingest_otlp_logs("{}").accepted, 0u);
  EXPECT_EQ(Ingestor(db_).ingest_otlp_logs(R"({"resourceLogs": []})").accepted, 0u);
}

}  // namespace
}  // namespace cca::ingest
