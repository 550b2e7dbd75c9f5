// OTLP protobuf logs: stored exactly as the same request in OTLP/JSON, every AnyValue kind,
// redelivery, quarantine and malformed bodies.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ingest/ingestor.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "support/test_support.h"

namespace cca::ingest {
namespace {

using nlohmann::ordered_json;
using opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;

constexpr const char* kFixtures = "claude-code-2.1.328-otlp";

// The same request in protobuf, converted by protobuf's own JSON reader.
std::string to_protobuf(const std::string& otlp_json) {
  ExportLogsServiceRequest request;
  const auto status = google::protobuf::util::JsonStringToMessage(otlp_json, &request);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return request.SerializeAsString();
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// Every stored column of every event, identity included, one JSON array a line, in a fixed order.
std::string stored_events(const std::string& db) {
  return test::sql_text(
      db,
      "SELECT group_concat(line, char(10)) FROM (SELECT json_array(e.key_hi, e.key_lo, "
      "d.time_ms, d.event_name, d.session_id, d.user, d.user_email, d.user_uid, d.account_uuid, "
      "d.organization_id, d.terminal, d.model, d.tool_name, d.decision, d.decision_source, "
      "d.decision_type, d.success, d.error, d.status_code, d.attempt, d.input_tokens, "
      "d.output_tokens, d.cache_read_tokens, d.cache_creation_tokens, d.cost_usd, d.duration_ms, "
      "d.prompt_length, d.tool_result_size_bytes, d.practice_hint, d.os_type, d.os_version, "
      "d.host_arch, d.host_name, d.version, d.resource, d.scope, d.envelope, d.extra) AS line "
      "FROM events_decoded d JOIN events e ON e.seq = d.seq ORDER BY e.key_hi, e.key_lo)");
}

std::string quarantined(const std::string& db) {
  return test::sql_text(db,
                        "SELECT group_concat(line, char(10)) FROM (SELECT json_array(key_hi, "
                        "key_lo, kind, reason, field, detail, raw) AS line FROM quarantine "
                        "ORDER BY key_hi, key_lo)");
}

ordered_json kv(const std::string& key, const ordered_json& value) {
  return {{"key", key}, {"value", value}};
}
ordered_json str(const std::string& s) {
  return {{"stringValue", s}};
}

// A record with the fields in the order Claude Code's JSON exporter writes them.
ordered_json record(const std::string& name, std::vector<ordered_json> extra,
                    const std::string& session = "s-1") {
  std::vector<ordered_json> attributes = {
      kv("user.id", str("u-hash")), kv("session.id", str(session)), kv("event.name", str(name))};
  for (ordered_json& e : extra) attributes.push_back(std::move(e));
  return {{"timeUnixNano", "1796280530755000000"},
          {"observedTimeUnixNano", "1796280530756000000"},
          {"body", str("claude_code." + name)},
          {"attributes", attributes},
          {"droppedAttributesCount", 0}};
}

ordered_json request(const std::vector<ordered_json>& resource_attributes,
                     const std::vector<ordered_json>& records) {
  return {{"resourceLogs",
           {{{"resource", {{"attributes", resource_attributes}, {"droppedAttributesCount", 0}}},
             {"scopeLogs",
              {{{"scope", {{"name", "com.anthropic.claude_code.events"}, {"version", "2.1.328"}}},
                {"logRecords", records}}}}}}}};
}

class OtlpProtobufIngest : public ::testing::Test {
 protected:
  test::TempDir dir_;
  std::string json_db_ = dir_.file("json.db");
  std::string protobuf_db_ = dir_.file("protobuf.db");

  // Ingests `otlp_json` into one store as JSON and into another as protobuf; both must agree.
  void expect_both_encodings_store_alike(const std::string& otlp_json) {
    const IngestReport from_json = Ingestor(json_db_).ingest_otlp_logs(otlp_json);
    const IngestReport from_protobuf =
        Ingestor(protobuf_db_).ingest_otlp_logs(to_protobuf(otlp_json), OtlpEncoding::kProtobuf);
    EXPECT_EQ(from_json.accepted, from_protobuf.accepted);
    EXPECT_EQ(from_json.rejected_events, from_protobuf.rejected_events);
    EXPECT_EQ(from_json.rejected_by_reason, from_protobuf.rejected_by_reason);
    EXPECT_EQ(stored_events(json_db_), stored_events(protobuf_db_));
    EXPECT_EQ(quarantined(json_db_), quarantined(protobuf_db_));
  }
};

TEST_F(OtlpProtobufIngest, ClaudeCodeRequestsAreStoredAsTheirJsonTwins) {
  const auto fixture = test::reference_file(std::string(kFixtures) + "/logs.pb");
  if (!fixture) GTEST_SKIP() << "reference dataset " << kFixtures << " absent";
  const std::filesystem::path fixtures = fixture->parent_path();
  for (const char* name : {"logs-1.json", "logs-2.json"}) {
    SCOPED_TRACE(name);
    const std::string otlp_json = read_file(fixtures / name);
    expect_both_encodings_store_alike(otlp_json);
    EXPECT_GT(test::sql_int(protobuf_db_, "SELECT count(*) FROM events"), 5);
  }
}

TEST_F(OtlpProtobufIngest, EveryValueKindIsReadAsTheJsonPathReadsIt) {
  const ordered_json nested = {
      {"kvlistValue",
       {{"values",
         {kv("n", {{"intValue", 7}}), kv("list", {{"arrayValue", {{"values", {str("a")}}}}})}}}}};
  const std::vector<ordered_json> resource = {kv("service.version", str("2.1.328")),
                                              kv("os.type", str("linux")),
                                              kv("team \"q\"\n", str("tab\there")),
                                              kv("replicas", {{"intValue", 3}}),
                                              kv("ratio", {{"doubleValue", 0.25}}),
                                              kv("enabled", {{"boolValue", true}}),
                                              kv("labels", nested),
                                              kv("blob", {{"bytesValue", "aGVsbG8="}}),
                                              kv("empty", ordered_json::object())};
  ordered_json only_observed = record("tool_result", {kv("success", {{"boolValue", false}})});
  only_observed.erase("timeUnixNano");
  const std::vector<ordered_json> records = {
      record("api_request",
             {kv("model", str("claude-opus-4-5")), kv("input_tokens", {{"intValue", 1200}}),
              kv("output_tokens", {{"intValue", 300}}), kv("cost_usd", {{"doubleValue", 0.0123}}),
              kv("duration_ms", {{"doubleValue", 812.5}}), kv("status_code", {{"intValue", 529}}),
              kv("event.sequence", {{"intValue", -4}}), kv("speed", {{"doubleValue", 1.5e-7}}),
              kv("sources", {{"arrayValue", {{"values", ordered_json::array()}}}}),
              kv("settings", nested), kv("digest", {{"bytesValue", "AAEC/w=="}}),
              kv("nothing", ordered_json::object())}),
      only_observed,
      record("user_prompt",
             {kv("prompt", str("private words")), kv("prompt_length", {{"intValue", 13}})}, ""),
      record("api_request", {kv("cost_usd", {{"doubleValue", "NaN"}})}),
      record("api_request", {kv("cost_usd", {{"doubleValue", "-Infinity"}})})};
  expect_both_encodings_store_alike(request(resource, records).dump());
  // The user_prompt without a session is kept in no session; the two non-finite costs are not.
  EXPECT_EQ(test::sql_int(protobuf_db_, "SELECT count(*) FROM events"), 3);
  EXPECT_EQ(test::sql_int(protobuf_db_, "SELECT count(*) FROM quarantine"), 2);
  // Spot checks against the request itself, beyond agreeing with the JSON path.
  EXPECT_EQ(test::sql_int(protobuf_db_, "SELECT input_tokens FROM events WHERE input_tokens > 0"),
            1200);
  EXPECT_DOUBLE_EQ(test::sql_double(protobuf_db_, "SELECT cost_usd FROM events WHERE cost_usd > 0"),
                   0.0123);
  EXPECT_EQ(test::sql_text(protobuf_db_,
                           "SELECT status_code FROM events_decoded WHERE model "
                           "IS NOT NULL"),
            "529");
  EXPECT_EQ(test::sql_int(protobuf_db_, "SELECT time_ms FROM events WHERE success = 0"),
            1796280530756);
  const nlohmann::json stored_resource = nlohmann::json::parse(
      test::sql_text(protobuf_db_, "SELECT DISTINCT resource FROM events_decoded"));
  EXPECT_EQ(stored_resource["team \"q\"\n"], "tab\there");
  EXPECT_EQ(stored_resource["replicas"], 3);
  EXPECT_EQ(stored_resource["blob"], "aGVsbG8=");
  EXPECT_TRUE(stored_resource["empty"].is_null());
  EXPECT_EQ(stored_resource["labels"]["values"][0]["value"]["intValue"], 7);
}

TEST_F(OtlpProtobufIngest, ARejectedRecordIsQuarantinedAsOtlpJsonWithoutItsPrompt) {
  ordered_json without_user = record(
      "user_prompt",
      {kv("prompt", str("the private prompt")), kv("prompt_length", {{"intValue", 18}})}, "");
  without_user["attributes"].erase(without_user["attributes"].begin());  // user.id
  const std::vector<ordered_json> records = {without_user};
  const IngestReport report =
      Ingestor(protobuf_db_)
          .ingest_otlp_logs(to_protobuf(request({}, records).dump()), OtlpEncoding::kProtobuf);
  EXPECT_EQ(report.rejected_events, 1u);
  EXPECT_EQ(report.rejected_by_reason.at("missing_user"), 1u);
  const std::string raw = test::sql_text(protobuf_db_, "SELECT raw FROM quarantine");
  EXPECT_EQ(raw.find("the private prompt"), std::string::npos) << raw;
  const nlohmann::json quarantined_record = nlohmann::json::parse(raw);
  EXPECT_EQ(quarantined_record["timeUnixNano"], "1796280530755000000");
  bool saw_length = false;
  for (const auto& attribute : quarantined_record["attributes"]) {
    if (attribute["key"] == "prompt_length") saw_length = attribute["value"]["intValue"] == 18;
    if (attribute["key"] == "session.id") {
      EXPECT_EQ(attribute["value"]["stringValue"], "");
    }
  }
  EXPECT_TRUE(saw_length) << raw;
}

TEST_F(OtlpProtobufIngest, ARedeliveredRequestIsCountedOnceWhateverItsEncoding) {
  const auto fixture = test::reference_file(std::string(kFixtures) + "/logs.pb");
  if (!fixture) GTEST_SKIP() << "reference dataset " << kFixtures << " absent";
  const std::filesystem::path fixtures = fixture->parent_path();
  Ingestor ingestor(protobuf_db_);
  const std::string logs_pb = read_file(fixtures / "logs.pb");
  ExportLogsServiceRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(logs_pb));
  size_t records = 0;
  for (const auto& resource_logs : parsed.resource_logs())
    for (const auto& scope_logs : resource_logs.scope_logs())
      records += scope_logs.log_records_size();
  const IngestReport first = ingestor.ingest_otlp_logs(logs_pb, OtlpEncoding::kProtobuf);
  EXPECT_EQ(first.accepted + first.rejected_events, records);
  EXPECT_GT(first.accepted, 0u);
  const IngestReport again = ingestor.ingest_otlp_logs(logs_pb, OtlpEncoding::kProtobuf);
  EXPECT_EQ(again.accepted, 0u);
  EXPECT_EQ(again.duplicates, first.accepted);

  // Claude Code's JSON and its protobuf twin are the same records: the second delivery adds none.
  const std::string logs_json = read_file(fixtures / "logs-1.json");
  const IngestReport as_json = ingestor.ingest_otlp_logs(logs_json);
  EXPECT_GT(as_json.accepted, 0u);
  const IngestReport as_protobuf =
      ingestor.ingest_otlp_logs(to_protobuf(logs_json), OtlpEncoding::kProtobuf);
  EXPECT_EQ(as_protobuf.accepted, 0u);
  EXPECT_EQ(as_protobuf.duplicates, as_json.accepted);
}

// The same record spelled otherwise: keys in reverse order, 64-bit integers as strings instead of
// numbers, the severity by name.
ordered_json respelled(const ordered_json& value) {
  if (value.is_array()) {
    ordered_json out = ordered_json::array();
    for (const auto& item : value) out.push_back(respelled(item));
    return out;
  }
  if (!value.is_object()) return value;
  ordered_json out = ordered_json::object();
  for (auto it = value.rbegin(); it != value.rend(); ++it) {
    if (it.key() == "intValue" && it.value().is_number())
      out[it.key()] = std::to_string(it.value().get<int64_t>());
    else if (it.key() == "severityNumber" && it.value() == 9)
      out[it.key()] = "SEVERITY_NUMBER_INFO";
    else
      out[it.key()] = respelled(it.value());
  }
  return out;
}

// An exporter's retry through another client library, or a collector in between, spells the same
// records in other JSON: they are still the same records, counted once (they were counted twice
// when the JSON path hashed the text as sent).
TEST_F(OtlpProtobufIngest, ARecordHasOneIdentityHoweverItsJsonIsSpelled) {
  ordered_json exporter =
      request({kv("service.name", str("claude-code")), kv("host.cpus", {{"intValue", 8}})},
              {record("api_request", {kv("input_tokens", {{"intValue", 12}}),
                                      kv("cost_usd", {{"doubleValue", 0.5}}),
                                      kv("model", str("claude-sonnet-4-5"))})});
  exporter["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]["severityNumber"] = 9;
  // protobuf's own JSON writer: fields by number, defaults left out, enums by name. (It reads and
  // writes ids in base64, OTLP/JSON in hex: the trace id is set apart.)
  ExportLogsServiceRequest parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(exporter.dump(), &parsed).ok());
  std::string written;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(parsed, &written).ok());
  const std::string trace_id = "5b8efff798038103d269b633813fc60c";
  parsed.mutable_resource_logs(0)->mutable_scope_logs(0)->mutable_log_records(0)->set_trace_id(
      "\x5b\x8e\xff\xf7\x98\x03\x81\x03\xd2\x69\xb6\x33\x81\x3f\xc6\x0c");
  exporter["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]["traceId"] = trace_id;
  ordered_json by_writer = ordered_json::parse(written);
  by_writer["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0]["traceId"] = trace_id;
  const std::string as_exporter = exporter.dump();
  const std::string by_protobuf_writer = by_writer.dump();
  ASSERT_NE(by_protobuf_writer, as_exporter);
  const std::string by_hand = respelled(exporter).dump();

  Ingestor ingestor(json_db_);
  EXPECT_EQ(ingestor.ingest_otlp_logs(as_exporter).accepted, 1u);
  for (const std::string& spelling : {by_protobuf_writer, by_hand}) {
    const IngestReport again = ingestor.ingest_otlp_logs(spelling);
    EXPECT_EQ(again.accepted, 0u) << spelling;
    EXPECT_EQ(again.duplicates, 1u) << spelling;
  }
  const IngestReport as_protobuf =
      ingestor.ingest_otlp_logs(parsed.SerializeAsString(), OtlpEncoding::kProtobuf);
  EXPECT_EQ(as_protobuf.duplicates, 1u);
  EXPECT_EQ(test::sql_int(json_db_, "SELECT count(*) FROM events"), 1);

  // And each spelling stores what the protobuf path stores, resource text included.
  Ingestor(protobuf_db_).ingest_otlp_logs(parsed.SerializeAsString(), OtlpEncoding::kProtobuf);
  for (const std::string& spelling : {by_protobuf_writer, by_hand}) {
    const std::string db = dir_.file("spelled-" + std::to_string(spelling.size()) + ".db");
    Ingestor(db).ingest_otlp_logs(spelling);
    EXPECT_EQ(stored_events(db), stored_events(protobuf_db_)) << spelling;
  }
}

TEST_F(OtlpProtobufIngest, AMalformedBodyIsAnErrorAndStoresNothing) {
  const std::string valid = to_protobuf(request({}, {record("user_prompt", {})}).dump());
  const std::string bad_bodies[] = {
      valid.substr(0, valid.size() / 2),       // truncated
      std::string("\x08\x01", 2),              // resource_logs (a message) as a varint
      std::string("\x0d\x01\x02\x03\x04", 5),  // resource_logs as a fixed32
      valid + std::string("\x0a\x05\x01", 3),  // a valid request, then a length past the end
      std::string("\xff\xff\xff\xff", 4),      // not protobuf at all
      "{\"resourceLogs\": []}",                // JSON sent as protobuf
  };
  Ingestor ingestor(protobuf_db_);
  for (const std::string& body : bad_bodies)
    EXPECT_THROW(ingestor.ingest_otlp_logs(body, OtlpEncoding::kProtobuf), IngestError);
  EXPECT_EQ(test::sql_int(protobuf_db_, "SELECT count(*) FROM events"), 0);
  EXPECT_EQ(test::sql_int(protobuf_db_, "SELECT count(*) FROM quarantine"), 0);
  // An empty body is an empty request: valid, nothing in it.
  EXPECT_EQ(ingestor.ingest_otlp_logs("", OtlpEncoding::kProtobuf).accepted, 0u);
  EXPECT_EQ(ingestor.ingest_otlp_logs(valid, OtlpEncoding::kProtobuf).accepted, 1u);
}

}  // namespace
}  // namespace cca::ingest
