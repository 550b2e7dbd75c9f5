// End to end on the reference dataset: the store must hold exactly what an independent reading
// of the file (zlib + nlohmann::json, none of the ingest code) finds in it.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "ingest/ingestor.h"
#include "support/test_support.h"

namespace cca::ingest {
namespace {

using nlohmann::json;

struct IndependentTotals {
  uint64_t events = 0;
  std::map<std::string, uint64_t> by_name;
  double cost = 0;
  double input_tokens = 0;
  std::set<std::string> sessions, users;
};

IndependentTotals read_independently(const std::string& gz_path) {
  IndependentTotals totals;
  std::istringstream lines(test::read_gzip_file(gz_path));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    const json batch = json::parse(line);
    for (const json& log_event : batch.at("logEvents")) {
      const json message = json::parse(log_event.at("message").get<std::string>());
      const json& a = message.at("attributes");
      const std::string name = a.at("event.name");
      ++totals.events;
      ++totals.by_name[name];
      totals.sessions.insert(a.at("session.id").get<std::string>());
      totals.users.insert(a.at("user.email").get<std::string>());
      if (name == "api_request") {
        totals.cost += std::stod(a.at("cost_usd").get<std::string>());
        totals.input_tokens += std::stod(a.at("input_tokens").get<std::string>());
      }
    }
  }
  return totals;
}

TEST(ReferenceDataset, StoreMatchesAnIndependentReadingOfTheFile) {
  const auto folder = test::reference_dataset("reference-30u-500s");
  if (!folder) GTEST_SKIP() << "reference dataset absent: set CCANALYTICS_DATASETS to the folder "
                               "holding reference-30u-500s (skipped, not passed)";
  const std::string telemetry = (*folder / "telemetry_logs.jsonl.gz").string();
  test::TempDir dir;
  const std::string db = dir.file("store.db");

  IngestReport report;
  {
    Ingestor ingestor(db);
    EXPECT_EQ(ingestor.load_employees_file((*folder / "employees.csv").string()), 30u);
    report = ingestor.ingest_file(telemetry);
  }
  const IndependentTotals expected = read_independently(telemetry);

  // The figures the dataset is documented with.
  EXPECT_EQ(expected.events, 49'379u);
  EXPECT_EQ(expected.by_name.at("tool_decision"), 16'536u);
  EXPECT_NEAR(expected.cost, 652.18, 0.005);

  EXPECT_EQ(report.accepted, expected.events);
  EXPECT_EQ(report.rejected_events + report.rejected_lines + report.duplicates, 0u);
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM events"), 49'379);
  for (const auto& [name, count] : expected.by_name)
    EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM events_decoded WHERE event_name = '" + name + "'"),
              static_cast<int64_t>(count))
        << name;
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM events_decoded WHERE event_name = 'api_request'"),
            12'781);
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM events_decoded WHERE event_name = 'tool_result'"),
            16'191);
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM events_decoded WHERE event_name = 'user_prompt'"),
            3'714);
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM events_decoded WHERE event_name = 'api_error'"),
            157);
  const double cost = test::sql_double(db, "SELECT sum(cost_usd) FROM events");
  EXPECT_LE(std::fabs(cost - expected.cost), 1e-9 * expected.cost);
  EXPECT_DOUBLE_EQ(test::sql_double(db, "SELECT sum(input_tokens) FROM events"), expected.input_tokens);
  EXPECT_EQ(test::sql_int(db, "SELECT count(DISTINCT session_id) FROM events"),
            static_cast<int64_t>(expected.sessions.size()));
  EXPECT_EQ(test::sql_int(db, "SELECT count(DISTINCT user_id) FROM events"),
            static_cast<int64_t>(expected.users.size()));
  // Every user of the telemetry is in the directory.
  EXPECT_EQ(test::sql_int(db, "SELECT count(DISTINCT user) FROM events_decoded WHERE user NOT IN "
                              "(SELECT email FROM employees)"),
            0);

  // A second ingest of the same file: all duplicates, nothing changes.
  const IngestReport again = Ingestor(db).ingest_file(telemetry);
  EXPECT_EQ(again.accepted, 0u);
  EXPECT_EQ(again.duplicates, expected.events);
  EXPECT_EQ(test::sql_int(db, "SELECT count(*) FROM events"), 49'379);
}

}  // namespace
}  // namespace cca::ingest
