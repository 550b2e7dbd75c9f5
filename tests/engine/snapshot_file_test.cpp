// The engine's snapshot file: a load from it answers as a load from the store; a file that does
// not match the store (rows deleted, another store, another --practice-attribute) or that is
// damaged is refused with a log line, and the store is loaded instead.
#include "engine/snapshot_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "engine/breakdown.h"
#include "engine/engine.h"
#include "engine/latency.h"
#include "engine/metric_check.h"
#include "engine/random_store.h"
#include "engine/sessions.h"
#include "engine/summary.h"
#include "engine/temp_store.h"
#include "engine/timeseries.h"
#include "engine/users.h"

namespace cca::engine {
namespace {

testing::SqlMetrics as_sql(const MetricSet& m) {
  testing::SqlMetrics s;
  s.events = static_cast<int64_t>(m.events);
  s.sessions = static_cast<int64_t>(m.sessions);
  s.users = static_cast<int64_t>(m.users);
  s.user_prompts = static_cast<int64_t>(m.count(EventKind::kUserPrompt));
  s.api_requests = static_cast<int64_t>(m.count(EventKind::kApiRequest));
  s.api_errors = static_cast<int64_t>(m.count(EventKind::kApiError));
  s.tool_decisions = static_cast<int64_t>(m.count(EventKind::kToolDecision));
  s.tool_results = static_cast<int64_t>(m.count(EventKind::kToolResult));
  s.accepted_decisions = static_cast<int64_t>(m.accepted_decisions);
  s.successful_results = static_cast<int64_t>(m.successful_results);
  s.api_aborts = static_cast<int64_t>(m.api_aborts);
  s.input_tokens = m.input_tokens;
  s.output_tokens = m.output_tokens;
  s.cache_read_tokens = m.cache_read_tokens;
  s.cache_creation_tokens = m.cache_creation_tokens;
  s.cost_usd = m.cost_usd;
  return s;
}

// Two engines give the same answers: every breakdown, the daily series, every session and user
// row, latency percentiles, under a few filters. Counts and orders exactly, sums to 1e-9.
void expect_same_answers(const Snapshot& expected, const Snapshot& actual) {
  ASSERT_EQ(expected.events, actual.events);
  ASSERT_EQ(expected.last_seq, actual.last_seq);
  std::vector<Filter> filters(4);
  if (expected.first_time()) {
    const int64_t first = *expected.first_time(), last = *expected.last_time();
    filters[1].from_ms = first + (last - first) / 3 + 12'345;
    filters[1].to_ms = last - (last - first) / 5;
    filters[2].model = {"claude-opus-4-6"};
    filters[3].practice = {"Platform Engineering", "Unknown"};
    filters[3].to_ms = first + (last - first) / 2;
  }
  for (size_t f = 0; f < filters.size(); ++f) {
    const Filter& filter = filters[f];
    const std::string context = "filter " + std::to_string(f);
    testing::expect_same_metrics(as_sql(summarize(expected, filter).metrics),
                                 summarize(actual, filter).metrics, context);
    for (int kind = Dimension::kPractice; kind < Dimension::kAttribute; ++kind) {
      const Dimension dimension(static_cast<Dimension::Kind>(kind));
      const auto a = breakdown(expected, filter, dimension);
      const auto b = breakdown(actual, filter, dimension);
      ASSERT_EQ(a.size(), b.size()) << context << " dimension " << kind;
      for (size_t r = 0; r < a.size(); ++r) {
        EXPECT_EQ(a[r].key, b[r].key) << context;
        testing::expect_same_metrics(
            as_sql(a[r].metrics), b[r].metrics,
            context + " dimension " + std::to_string(kind) + " " + a[r].key);
      }
    }
    const auto series_a = timeseries(expected, filter, Bucket::kDay);
    const auto series_b = timeseries(actual, filter, Bucket::kDay);
    ASSERT_EQ(series_a.points.size(), series_b.points.size()) << context;
    for (size_t p = 0; p < series_a.points.size(); ++p)
      testing::expect_same_metrics(as_sql(series_a.points[p]), series_b.points[p],
                                   context + " day " + std::to_string(p));
    const auto sessions_a = list_sessions(expected, filter, {SessionField::kStart}, 1000, 0);
    const auto sessions_b = list_sessions(actual, filter, {SessionField::kStart}, 1000, 0);
    ASSERT_EQ(sessions_a.total, sessions_b.total) << context;
    ASSERT_EQ(sessions_a.rows.size(), sessions_b.rows.size()) << context;
    for (size_t r = 0; r < sessions_a.rows.size(); ++r) {
      EXPECT_EQ(sessions_a.rows[r].session_id, sessions_b.rows[r].session_id) << context;
      EXPECT_EQ(sessions_a.rows[r].practice, sessions_b.rows[r].practice) << context;
      testing::expect_same_metrics(as_sql(sessions_a.rows[r].metrics), sessions_b.rows[r].metrics,
                                   context + " session " + sessions_a.rows[r].session_id);
    }
    const auto users_a = list_users(expected, filter, {UserField::kEmail}, 1000, 0);
    const auto users_b = list_users(actual, filter, {UserField::kEmail}, 1000, 0);
    ASSERT_EQ(users_a.rows.size(), users_b.rows.size()) << context;
    for (size_t r = 0; r < users_a.rows.size(); ++r) {
      EXPECT_EQ(users_a.rows[r].email, users_b.rows[r].email) << context;
      EXPECT_EQ(users_a.rows[r].practice, users_b.rows[r].practice) << context;
      EXPECT_EQ(users_a.rows[r].first_seen_ms, users_b.rows[r].first_seen_ms) << context;
    }
    for (const LatencyBy by : {LatencyBy::kModel, LatencyBy::kTool}) {
      const auto a = latency(expected, filter, by);
      const auto b = latency(actual, filter, by);
      ASSERT_EQ(a.size(), b.size()) << context;
      for (size_t r = 0; r < a.size(); ++r) {
        EXPECT_EQ(a[r].key, b[r].key) << context;
        EXPECT_EQ(a[r].duration_ms.count, b[r].duration_ms.count) << context;
        EXPECT_EQ(a[r].duration_ms.p50, b[r].duration_ms.p50) << context;
        EXPECT_EQ(a[r].duration_ms.p99, b[r].duration_ms.p99) << context;
        EXPECT_EQ(a[r].duration_ms.max, b[r].duration_ms.max) << context;
      }
    }
  }
}

// A store with a random history, a snapshot file path beside it, and the log lines of engines.
class SnapshotFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::Database>(store_.path());
    writer_ = std::make_unique<testing::StoreWriter>(*db_);
    history_ = testing::make_random_history(4242, 60);
    writer_->replace_directory(history_.directory);
    const auto& events = history_.events;
    writer_->insert(
        {events.begin(), events.begin() + static_cast<std::ptrdiff_t>(events.size() * 3 / 4)});
  }

  EngineOptions options(std::string practice_attribute = {}) {
    EngineOptions o;
    o.practice_attribute = std::move(practice_attribute);
    o.snapshot_path = path_;
    o.log = [this](const std::string& line) { log_ += line + "\n"; };
    return o;
  }

  void insert_the_rest() {
    const auto& events = history_.events;
    writer_->insert(
        {events.begin() + static_cast<std::ptrdiff_t>(events.size() * 3 / 4), events.end()});
  }

  // Loads with the file and checks it against a load from the store alone.
  std::unique_ptr<Engine> load_and_compare(std::string practice_attribute = {}) {
    auto engine = std::make_unique<Engine>(store_.path(), options(practice_attribute));
    const Engine reference(store_.path(), practice_attribute);
    expect_same_answers(*reference.snapshot(), *engine->snapshot());
    return engine;
  }

  testing::TempStore store_;
  std::string path_ = store_.path() + ".snapshot";
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<testing::StoreWriter> writer_;
  testing::RandomHistory history_;
  std::string log_;
};

TEST_F(SnapshotFileTest, NoFileLoadsTheStoreQuietly) {
  const Engine engine(store_.path(), options());
  EXPECT_FALSE(engine.start_report().from_snapshot_file);
  EXPECT_EQ(engine.snapshot()->events, engine.start_report().events_from_store);
  EXPECT_EQ("", log_);
  EXPECT_EQ(engine.snapshot()->events, engine.events_not_in_snapshot_file());
}

TEST_F(SnapshotFileTest, RoundTripAnswersAsALoadFromTheStore) {
  {
    Engine first(store_.path(), options());
    ASSERT_TRUE(first.start_report().events_from_store > 0);
    ASSERT_TRUE(first.write_snapshot());
    EXPECT_EQ(0u, first.events_not_in_snapshot_file());
    ASSERT_TRUE(std::filesystem::exists(path_));
    // Nothing left behind but the file.
    size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(store_.folder()))
      files += entry.path().filename().string().find(".tmp-") != std::string::npos;
    EXPECT_EQ(0u, files);
  }
  const auto engine = load_and_compare();
  EXPECT_TRUE(engine->start_report().from_snapshot_file);
  EXPECT_EQ(0u, engine->start_report().events_from_store);
  EXPECT_EQ(engine->snapshot()->events, engine->start_report().events_from_file);
  EXPECT_EQ(0u, engine->events_not_in_snapshot_file());
  EXPECT_EQ("", log_.substr(0, log_.find("wrote")));  // nothing refused
  EXPECT_FALSE(engine->refresh()) << "the file holds everything the store has";
}

// Rows committed after the file was written are read from the store, as a refresh reads them;
// a directory loaded after it relabels the events.
TEST_F(SnapshotFileTest, RowsAndDirectoryAfterTheFileComeFromTheStore) {
  ASSERT_TRUE(Engine(store_.path(), options()).write_snapshot());
  insert_the_rest();
  std::vector<testing::StoredEmployee> fewer(history_.directory.begin() + 2,
                                             history_.directory.end());
  fewer[0].practice = "A practice only the new directory has";
  writer_->replace_directory(fewer);
  const auto engine = load_and_compare();
  EXPECT_TRUE(engine->start_report().from_snapshot_file);
  EXPECT_EQ(history_.events.size() - history_.events.size() * 3 / 4,
            engine->start_report().events_from_store);
  EXPECT_EQ(history_.events.size(), engine->snapshot()->events);
  bool new_practice = false;
  for (const auto& row : breakdown(*engine->snapshot(), {}, Dimension::kPractice))
    new_practice = new_practice || row.key == "A practice only the new directory has";
  EXPECT_TRUE(new_practice);
}

TEST_F(SnapshotFileTest, DeletedRowsMakeTheFileStale) {
  ASSERT_TRUE(Engine(store_.path(), options()).write_snapshot());
  // What a retention run does: delete old rows and bump meta.retention_version.
  db_->exec("DELETE FROM events WHERE seq <= 20");
  db_->exec(
      "INSERT INTO meta (key, value) VALUES ('retention_version', '1') "
      "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1");
  const auto engine = load_and_compare();
  EXPECT_FALSE(engine->start_report().from_snapshot_file);
  EXPECT_NE(std::string::npos, log_.find("rows were deleted")) << log_;
  EXPECT_EQ(engine->snapshot()->events, engine->events_not_in_snapshot_file());
}

TEST_F(SnapshotFileTest, AnotherStoreAtThePathRefusesTheFile) {
  ASSERT_TRUE(Engine(store_.path(), options()).write_snapshot());
  // The same number of rows, other events: a restored or replaced store.
  db_->exec("UPDATE events SET key_hi = key_hi + 1 WHERE seq = (SELECT max(seq) FROM events)");
  auto engine = load_and_compare();
  EXPECT_FALSE(engine->start_report().from_snapshot_file);
  EXPECT_NE(std::string::npos, log_.find("does not hold the rows")) << log_;
  // Fewer rows than the file holds.
  engine.reset();
  ASSERT_TRUE(Engine(store_.path(), options()).write_snapshot());
  db_->exec("DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)");
  log_.clear();
  engine = load_and_compare();
  EXPECT_FALSE(engine->start_report().from_snapshot_file);
  EXPECT_NE(std::string::npos, log_.find("does not hold the rows")) << log_;
}

TEST_F(SnapshotFileTest, AnotherPracticeAttributeRefusesTheFile) {
  ASSERT_TRUE(Engine(store_.path(), options()).write_snapshot());
  const auto engine = load_and_compare("department");
  EXPECT_FALSE(engine->start_report().from_snapshot_file);
  EXPECT_NE(std::string::npos, log_.find("practice-attribute")) << log_;
}

// Damage anywhere is refused: a flipped byte in the header, the dictionaries, the columns or the
// trailer, a file cut short, an empty file, another file altogether.
TEST_F(SnapshotFileTest, DamagedFilesAreRefusedAndTheStoreLoaded) {
  ASSERT_TRUE(Engine(store_.path(), options()).write_snapshot());
  std::string good;
  {
    std::ifstream in(path_, std::ios::binary);
    good.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ASSERT_GT(good.size(), 1000u);
  const auto write = [&](const std::string& bytes) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  };
  std::vector<std::pair<std::string, std::string>> damaged;
  for (const size_t at : {size_t{3}, size_t{40}, good.size() / 7, good.size() / 2,
                          good.size() - 100, good.size() - 20, good.size() - 2}) {
    std::string bytes = good;
    bytes[at] = static_cast<char>(bytes[at] ^ 0x20);
    damaged.emplace_back("byte " + std::to_string(at) + " flipped", bytes);
  }
  damaged.emplace_back("cut short", good.substr(0, good.size() / 2));
  damaged.emplace_back("cut by one byte", good.substr(0, good.size() - 1));
  damaged.emplace_back("empty", "");
  damaged.emplace_back("not a snapshot", std::string(4096, 'x'));
  for (const auto& [what, bytes] : damaged) {
    SCOPED_TRACE(what);
    write(bytes);
    log_.clear();
    const auto engine = load_and_compare();
    EXPECT_FALSE(engine->start_report().from_snapshot_file);
    EXPECT_NE(std::string::npos, log_.find("not used")) << log_;
    EXPECT_EQ(engine->snapshot()->events, engine->start_report().events_from_store);
  }
  // Writing again replaces the damaged file with a good one.
  write(std::string(100, 'y'));
  ASSERT_TRUE(Engine(store_.path(), options()).write_snapshot());
  const auto engine = load_and_compare();
  EXPECT_TRUE(engine->start_report().from_snapshot_file);
}

// Columns of more than 64 kB are copied out of a mapping of the file rather than read.
TEST_F(SnapshotFileTest, LargeColumnsRoundTrip) {
  testing::TempStore large;
  {
    store::Database db(large.path());
    testing::StoreWriter writer(db);
    const testing::RandomHistory history = testing::make_random_history(77, 1500);
    writer.replace_directory(history.directory);
    writer.insert(history.events);
  }
  EngineOptions o = options();
  o.snapshot_path = large.path() + ".snapshot";
  ASSERT_TRUE(Engine(large.path(), o).write_snapshot());
  const Engine engine(large.path(), o);
  ASSERT_TRUE(engine.start_report().from_snapshot_file);
  size_t largest = 0;
  for (const auto& segment : engine.snapshot()->segments)
    largest = std::max(largest, segment->size());
  EXPECT_GT(largest * sizeof(int64_t), size_t{64} << 10) << "no column took the mapped path";
  const Engine reference(large.path());
  expect_same_answers(*reference.snapshot(), *engine.snapshot());
}

TEST_F(SnapshotFileTest, AnEmptyStoreWritesNoFile) {
  testing::TempStore empty;
  EngineOptions o = options();
  o.snapshot_path = empty.path() + ".snapshot";
  Engine engine(empty.path(), o);
  EXPECT_FALSE(engine.write_snapshot());
  EXPECT_FALSE(std::filesystem::exists(o.snapshot_path));
}

// A failed write (no such folder) is logged and changes nothing.
TEST_F(SnapshotFileTest, AFailedWriteIsLogged) {
  EngineOptions o = options();
  o.snapshot_path = store_.path() + ".missing-folder/x.snapshot";
  Engine engine(store_.path(), o);
  EXPECT_FALSE(engine.write_snapshot());
  EXPECT_NE(std::string::npos, log_.find("not written")) << log_;
  EXPECT_EQ(engine.snapshot()->events, engine.events_not_in_snapshot_file());
}

}  // namespace
}  // namespace cca::engine
