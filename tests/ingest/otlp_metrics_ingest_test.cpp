// OTLP/HTTP JSON metrics: what is stored per data point, malformed requests storing nothing,
// points that break a rule quarantined with their reason, and content attributes never stored.
#include <gtest/gtest.h>

#include "ingest/ingestor.h"
#include "support/test_support.h"

namespace cca::ingest {
namespace {

using nlohmann::json;

json kv(const std::string& key, const json& value) {
  return {{"key", key}, {"value", value}};
}
json str(const std::string& s) {
  return {{"stringValue", s}};
}

json point(double value, std::vector<json> extra = {},
           const std::string& time = "1796280531852000000") {
  std::vector<json> attributes = {kv("user.email", str("  Dev@Example.com ")),
                                  kv("session.id", str("s-1")), kv("terminal.type", str("xterm"))};
  for (json& e : extra) attributes.push_back(std::move(e));
  return {{"attributes", attributes},
          {"startTimeUnixNano", "1796280531214000000"},
          {"timeUnixNano", time},
          {"asDouble", value}};
}

json sum_metric(const std::string& name, std::vector<json> points, int temporality = 1) {
  return {
      {"name", name},
      {"unit", ""},
      {"sum",
       {{"aggregationTemporality", temporality}, {"isMonotonic", true}, {"dataPoints", points}}}};
}

json request(std::vector<json> metrics) {
  return {{"resourceMetrics",
           {{{"resource",
              {{"attributes",
                {kv("service.name", str("claude-code")), kv("team.id", str("platform"))}}}},
             {"scopeMetrics",
              {{{"scope", {{"name", "com.anthropic.claude_code"}}}, {"metrics", metrics}}}}}}}};
}

class OtlpMetricsIngest : public ::testing::Test {
 protected:
  IngestReport ingest(const json& body) {
    return Ingestor(db_).ingest_otlp_metrics(body.dump(), OtlpEncoding::kJson);
  }
  int64_t points() { return test::sql_int(db_, "SELECT count(*) FROM metric_points"); }

  test::TempDir dir_;
  std::string db_ = dir_.file("store.db");
};

TEST_F(OtlpMetricsIngest, StoresTypedFieldsAndEveryAttribute) {
  const IngestReport report = ingest(
      request({sum_metric("claude_code.code_edit_tool.decision",
                          {point(1, {kv("decision", str("accept")), kv("source", str("config")),
                                     kv("tool_name", str("Write")), kv("language", str("Python")),
                                     kv("anthropic.custom_base_url", {{"boolValue", true}})})}),
               {{"name", "custom.histogram"},
                {"unit", "ms"},
                {"histogram",
                 {{"aggregationTemporality", 1},
                  {"dataPoints",
                   {{{"attributes", {kv("user.id", str("uid-1"))}},
                     {"timeUnixNano", 1796280531852000000},
                     {"count", "3"},
                     {"sum", 42.5}}}}}}}}));
  EXPECT_EQ(2u, report.accepted);
  EXPECT_EQ(0u, report.rejected_events);
  const std::string edit =
      " FROM metric_points_decoded WHERE name = 'claude_code.code_edit_tool.decision'";
  EXPECT_EQ("dev@example.com", test::sql_text(db_, "SELECT user" + edit));
  EXPECT_EQ("Python", test::sql_text(db_, "SELECT language" + edit));
  EXPECT_EQ("Write", test::sql_text(db_, "SELECT tool_name" + edit));
  EXPECT_EQ("accept", test::sql_text(db_, "SELECT decision" + edit));
  EXPECT_EQ("config", test::sql_text(db_, "SELECT source" + edit));
  EXPECT_EQ("xterm", test::sql_text(db_, "SELECT terminal" + edit));
  EXPECT_EQ("s-1", test::sql_text(db_, "SELECT session_id" + edit));
  EXPECT_EQ(1, test::sql_int(db_, "SELECT delta" + edit));
  EXPECT_EQ(1, test::sql_int(db_, "SELECT temporality" + edit));
  EXPECT_EQ(1796280531214000000, test::sql_int(db_, "SELECT start_ns" + edit));
  const json attributes = json::parse(test::sql_text(db_, "SELECT attributes" + edit));
  EXPECT_EQ(true, attributes.at("anthropic.custom_base_url"));
  EXPECT_EQ("platform", json::parse(test::sql_text(db_, "SELECT resource" + edit)).at("team.id"));

  const std::string histogram = " FROM metric_points_decoded WHERE name = 'custom.histogram'";
  EXPECT_EQ("histogram", test::sql_text(db_, "SELECT kind" + histogram));
  EXPECT_EQ("uid-1", test::sql_text(db_, "SELECT user" + histogram));
  EXPECT_EQ(3, test::sql_int(db_, "SELECT count" + histogram));
  EXPECT_DOUBLE_EQ(42.5, test::sql_double(db_, "SELECT value" + histogram));
}

TEST_F(OtlpMetricsIngest, EveryKindIsKept) {
  const json user = {kv("user.id", str("uid-2"))};
  const auto points = [&](json fields) {
    fields["attributes"] = user;
    fields["timeUnixNano"] = "1796280531852000000";
    return json::array({fields});
  };
  const IngestReport report = ingest(request(
      {{{"name", "g.int"}, {"gauge", {{"dataPoints", points({{"asInt", "-7"}})}}}},
       {{"name", "e.hist"},
        {"exponentialHistogram",
         {{"aggregationTemporality", 2},
          {"dataPoints", points({{"count", 4}, {"sum", 2.5}, {"scale", 3}})}}}},
       {{"name", "s.summary"}, {"summary", {{"dataPoints", points({{"count", "2"}, {"sum", 9}})}}}},
       {{"name", "empty"}, {"sum", {{"dataPoints", json::array()}}}},
       {{"name", "no.data"}, {"description", "a metric without a data field"}}}));
  EXPECT_EQ(3u, report.accepted);
  const auto of = [&](const std::string& column, const std::string& name) {
    return "SELECT " + column + " FROM metric_points_decoded WHERE name = '" + name + "'";
  };
  EXPECT_EQ("gauge", test::sql_text(db_, of("kind", "g.int")));
  EXPECT_EQ(-7, test::sql_int(db_, of("value", "g.int")));
  EXPECT_EQ(0, test::sql_int(db_, of("temporality", "g.int")));
  EXPECT_EQ("exponential_histogram", test::sql_text(db_, of("kind", "e.hist")));
  EXPECT_EQ(2, test::sql_int(db_, of("temporality", "e.hist")));
  EXPECT_EQ(4, test::sql_int(db_, of("delta_count", "e.hist")));
  EXPECT_DOUBLE_EQ(2.5, test::sql_double(db_, of("delta", "e.hist")));
  EXPECT_EQ("summary", test::sql_text(db_, of("kind", "s.summary")));
  EXPECT_EQ(2, test::sql_int(db_, of("count", "s.summary")));
  EXPECT_EQ(9, test::sql_int(db_, of("value", "s.summary")));
}

TEST_F(OtlpMetricsIngest, AttributeOrderDoesNotMakeANewSeries) {
  json first = point(2, {kv("type", str("added")), kv("model", str("m"))});
  json reordered = first;
  std::reverse(reordered["attributes"].begin(), reordered["attributes"].end());
  ingest(request({sum_metric("claude_code.lines_of_code.count", {first})}));
  const IngestReport again =
      ingest(request({sum_metric("claude_code.lines_of_code.count", {reordered})}));
  EXPECT_EQ(0u, again.accepted);
  EXPECT_EQ(1u, again.duplicates);
  EXPECT_EQ(1, test::sql_int(db_, "SELECT count(*) FROM metric_series"));
}

TEST_F(OtlpMetricsIngest, MalformedRequestsStoreNothing) {
  const json good = sum_metric("claude_code.session.count", {point(1)});
  json bad_time = point(1);
  bad_time["timeUnixNano"] = "soon";
  json bad_value = point(1);
  bad_value["asDouble"] = "many";
  json two_kinds = good;
  two_kinds["gauge"] = {{"dataPoints", json::array()}};
  json no_name = good;
  no_name.erase("name");
  const std::vector<std::string> bodies = {
      "not json",
      "[]",
      R"({"resourceMetrics": {}})",
      request({good, sum_metric("x", {bad_time})}).dump(),
      request({good, sum_metric("x", {bad_value})}).dump(),
      request({good, sum_metric("x", {json("not an object")})}).dump(),
      request({good, two_kinds}).dump(),
      request({good, no_name}).dump(),
      request({good, sum_metric("x", {point(1, {{{"key", 7}}})})}).dump(),
  };
  for (const std::string& body : bodies) {
    EXPECT_THROW(Ingestor(db_).ingest_otlp_metrics(body, OtlpEncoding::kJson), IngestError) << body;
    EXPECT_EQ(0, points()) << body;
    EXPECT_EQ(0, test::sql_int(db_, "SELECT count(*) FROM quarantine")) << body;
  }
}

TEST_F(OtlpMetricsIngest, PointsThatBreakARuleAreQuarantinedWithTheirReason) {
  json no_user = point(1);
  no_user["attributes"].erase(0);
  json no_time = point(1);
  no_time.erase("timeUnixNano");
  json no_value = point(1);
  no_value.erase("asDouble");
  json nan = point(1);
  nan["asDouble"] = "NaN";
  const IngestReport report =
      ingest(request({sum_metric("claude_code.lines_of_code.count",
                                 {point(4, {kv("type", str("added"))}), no_user, no_time, no_value,
                                  nan, point(-2, {kv("type", str("removed"))})})}));
  EXPECT_EQ(1u, report.accepted);
  EXPECT_EQ(5u, report.rejected_events);
  EXPECT_EQ(1u, report.rejected_by_reason.at("missing_user"));
  EXPECT_EQ(1u, report.rejected_by_reason.at("missing_timestamp"));
  EXPECT_EQ(1u, report.rejected_by_reason.at("missing_value"));
  EXPECT_EQ(1u, report.rejected_by_reason.at("invalid_number"));
  EXPECT_EQ(1u, report.rejected_by_reason.at("negative_counter"));
  EXPECT_EQ(1, points());
  EXPECT_EQ(
      5,
      test::sql_int(
          db_,
          "SELECT count(*) FROM quarantine WHERE kind = 'data_point' AND source = 'otlp-metrics'"));
  EXPECT_EQ(1,
            test::sql_int(db_,
                          "SELECT count(*) FROM quarantine WHERE reason = 'negative_counter' AND "
                          "detail LIKE 'claude_code.lines_of_code.count:%' AND raw LIKE '%-2%'"));
  // A gauge may go down: a negative value is only wrong on a monotonic sum.
  json gauge = {{"name", "custom.gauge"}, {"gauge", {{"dataPoints", {point(-3)}}}}};
  EXPECT_EQ(1u, ingest(request({gauge})).accepted);
}

TEST_F(OtlpMetricsIngest, ContentAttributesNeverReachTheStore) {
  const std::string secret = "SECRET-CONTENT-7f3a";
  json no_user = point(1, {kv("tool_input", str(secret))});
  no_user["attributes"].erase(0);  // quarantined: its raw text is kept, without the content
  const IngestReport report = ingest(
      request({sum_metric("claude_code.code_edit_tool.decision",
                          {point(1, {kv("prompt", str(secret)), kv("prompt_text", str(secret)),
                                     kv("response", str(secret)), kv("tool_input", str(secret)),
                                     kv("tool_parameters", str(secret))}),
                           no_user})}));
  EXPECT_EQ(1u, report.accepted);
  EXPECT_EQ(1u, report.rejected_events);
  for (const std::string table : {"strings", "quarantine"}) {
    const std::string column = table == "strings" ? "value" : "raw";
    EXPECT_EQ(0, test::sql_int(db_, "SELECT count(*) FROM " + table + " WHERE " + column +
                                        " LIKE '%" + secret + "%'"))
        << table;
  }
}

// The exports of a metrics file one a line, as the generator writes them: a cumulative series
// with an unchanged re-export, a counter reset and a late point, a delta series, a redelivered
// export and a refused point.
std::vector<std::string> metrics_file_exports() {
  const auto lines = [](double value, const std::string& time) {
    return point(value, {kv("type", str("added"))}, time);
  };
  const auto cost = [](double value, const std::string& time) {
    return sum_metric("claude_code.cost.usage", {point(value, {}, time)});
  };
  const auto cumulative = [](json p) {
    return sum_metric("claude_code.lines_of_code.count", {std::move(p)}, 2);
  };
  std::vector<std::string> exports = {
      request({cumulative(lines(5, "1796280540000000000")), cost(0.5, "1796280540000000000")})
          .dump(),
      request({cumulative(lines(8, "1796280600000000000")), cost(0.25, "1796280600000000000")})
          .dump(),
      request({cumulative(lines(8, "1796280660000000000"))}).dump(),
      request({cumulative(lines(3, "1796280720000000000")), cost(-1, "1796280720000000000")})
          .dump(),
      request({cumulative(lines(6, "1796280630000000000")), cost(1.5, "1796280780000000000")})
          .dump(),
  };
  exports.insert(exports.begin() + 3, exports[1]);  // a redelivery
  return exports;
}

// What a store holds of metrics: every point with its delta, and the quarantine.
std::string stored_points(const std::string& db) {
  return test::sql_text(db,
                        "SELECT group_concat(p, '|') FROM (SELECT name || ',' || user || ',' || "
                        "start_ns || ',' || "
                        "time_ns || ',' || ifnull(value, '') || ',' || ifnull(delta, '') || ',' || "
                        "ifnull(delta_count, '') AS p FROM metric_points_decoded ORDER BY name, "
                        "time_ns, start_ns)") +
         " / quarantine " +
         test::sql_text(db, "SELECT group_concat(reason || ':' || raw, '|') FROM quarantine");
}

TEST_F(OtlpMetricsIngest, AMetricsFileStoresWhatItsExportsOneByOneStore) {
  const std::vector<std::string> exports = metrics_file_exports();
  IngestReport expected;
  {
    Ingestor one_by_one(db_);
    for (const std::string& body : exports)
      expected.merge(one_by_one.ingest_otlp_metrics(body, OtlpEncoding::kJson));
  }
  ASSERT_EQ(1u, expected.rejected_events);
  ASSERT_EQ(2u, expected.duplicates);
  std::string file;
  for (const std::string& body : exports) file += body + "\n  \n";  // blank lines are no exports
  const std::string path = dir_.file("otlp_metrics.jsonl");
  test::write_file(path, file);
  // Writes of one point upward: a cumulative series' points fall into different writes, or the
  // same one, and each write meets what the writes before it stored.
  for (const size_t points_per_write : {1, 2, 3, 100}) {
    SCOPED_TRACE(points_per_write);
    const std::string db = dir_.file("file-" + std::to_string(points_per_write) + ".db");
    const IngestReport actual = Ingestor(db).ingest_metrics_file(path, points_per_write);
    EXPECT_EQ(expected.accepted, actual.accepted);
    EXPECT_EQ(expected.duplicates, actual.duplicates);
    EXPECT_EQ(expected.rejected_by_reason, actual.rejected_by_reason);
    EXPECT_EQ(exports.size(), actual.lines);
    EXPECT_EQ(stored_points(db_), stored_points(db));
  }
}

TEST_F(OtlpMetricsIngest, AMalformedLineOfAMetricsFileIsNamedAndTheLinesBeforeItAreStored) {
  const std::vector<std::string> exports = metrics_file_exports();
  {
    Ingestor one_by_one(db_);
    for (size_t i = 0; i < 2; ++i) one_by_one.ingest_otlp_metrics(exports[i], OtlpEncoding::kJson);
  }
  const std::string path = dir_.file("otlp_metrics.jsonl");
  test::write_gzip_file(
      path, exports[0] + "\n" + exports[1] + "\n{\"resourceMetrics\": 7}\n" + exports[2] + "\n");
  const std::string db = dir_.file("file.db");
  try {
    Ingestor(db).ingest_metrics_file(path, 100);
    FAIL() << "no error";
  } catch (const IngestError& error) {
    EXPECT_EQ(0u, std::string(error.what()).find(path + ":3: ")) << error.what();
  }
  EXPECT_EQ(stored_points(db_), stored_points(db));
}

}  // namespace
}  // namespace cca::ingest
