// The published figures of the reference dataset, through the real ingest and the engine.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "engine/breakdown.h"
#include "engine/engine.h"
#include "engine/metric_check.h"
#include "engine/sql_oracle.h"
#include "engine/summary.h"
#include "engine/temp_store.h"
#include "ingest/ingestor.h"

namespace cca::engine {
namespace {

std::filesystem::path datasets() {
  const char* configured = std::getenv("CCANALYTICS_DATASETS");
  return configured != nullptr ? configured : CCANALYTICS_DEFAULT_DATASETS;
}

TEST(ReferenceDatasetTest, SmallDatasetMatchesItsPublishedFigures) {
  const auto folder = datasets() / "reference-30u-500s";
  if (!std::filesystem::exists(folder / "telemetry_logs.jsonl.gz"))
    GTEST_SKIP() << "reference dataset not found in " << folder
                 << " (set CCANALYTICS_DATASETS to the folder holding reference-30u-500s)";
  testing::TempStore store;
  {
    ingest::Ingestor ingestor(store.path());
    ingestor.ingest_file((folder / "telemetry_logs.jsonl.gz").string());
    ingestor.load_employees_file((folder / "employees.csv").string());
  }
  Engine engine(store.path());
  const Summary summary = summarize(*engine.snapshot(), {});
  // Figures from the dataset's description (telemetry-format.md).
  EXPECT_EQ(49'379u, summary.metrics.events);
  EXPECT_EQ(500u, summary.metrics.sessions);
  EXPECT_EQ(30u, summary.metrics.users);
  EXPECT_EQ(16'536u, summary.metrics.count(EventKind::kToolDecision));
  EXPECT_EQ(16'191u, summary.metrics.count(EventKind::kToolResult));
  EXPECT_EQ(12'781u, summary.metrics.count(EventKind::kApiRequest));
  EXPECT_EQ(3'714u, summary.metrics.count(EventKind::kUserPrompt));
  EXPECT_EQ(157u, summary.metrics.count(EventKind::kApiError));
  EXPECT_NEAR(652.18, summary.metrics.cost_usd, 0.005);

  // And the engine agrees with SQL over what the real ingest stored.
  store::Database db(store.path());
  testing::SqlOracle oracle(db);
  for (const char* practice : {"ML Engineering", "Platform Engineering"}) {
    Filter filter;
    filter.practice = {practice};
    filter.from_ms = *summary.first_event_ms + 5 * kMsPerDay + 1234;
    testing::expect_same_metrics(oracle.summary(filter),
                                 summarize(*engine.snapshot(), filter).metrics, practice);
  }
  for (const auto& row : breakdown(*engine.snapshot(), {}, Dimension::kModel))
    testing::expect_same_metrics(oracle.grouped({}, "e.model").at(row.key), row.metrics, row.key);
}

}  // namespace
}  // namespace cca::engine
