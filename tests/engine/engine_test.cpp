// The engine's own behaviour: incremental refreshes, directory reloads, concurrency, edge cases.
#include "engine/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "engine/breakdown.h"
#include "engine/distinct_counter.h"
#include "engine/facets.h"
#include "engine/heatmap.h"
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

using testing::StoredEvent;

StoredEvent event(int64_t time_ms, const std::string& session, const std::string& user,
                  const std::string& name = "user_prompt") {
  StoredEvent e;
  e.time_ms = time_ms;
  e.event_name = name;
  e.session_id = session;
  e.user = user;
  return e;
}

// Two answers of the engine agree: counts exactly, sums to 1e-9 relative.
void expect_same(const MetricSet& a, const MetricSet& b, const std::string& context) {
  testing::SqlMetrics as_sql;
  as_sql.events = static_cast<int64_t>(a.events);
  as_sql.sessions = static_cast<int64_t>(a.sessions);
  as_sql.users = static_cast<int64_t>(a.users);
  as_sql.user_prompts = static_cast<int64_t>(a.count(EventKind::kUserPrompt));
  as_sql.api_requests = static_cast<int64_t>(a.count(EventKind::kApiRequest));
  as_sql.api_errors = static_cast<int64_t>(a.count(EventKind::kApiError));
  as_sql.tool_decisions = static_cast<int64_t>(a.count(EventKind::kToolDecision));
  as_sql.tool_results = static_cast<int64_t>(a.count(EventKind::kToolResult));
  as_sql.accepted_decisions = static_cast<int64_t>(a.accepted_decisions);
  as_sql.successful_results = static_cast<int64_t>(a.successful_results);
  as_sql.api_aborts = static_cast<int64_t>(a.api_aborts);
  as_sql.input_tokens = a.input_tokens;
  as_sql.output_tokens = a.output_tokens;
  as_sql.cache_read_tokens = a.cache_read_tokens;
  as_sql.cache_creation_tokens = a.cache_creation_tokens;
  as_sql.cost_usd = a.cost_usd;
  testing::expect_same_metrics(as_sql, b, context);
}

TEST(EngineTest, EmptyStoreAnswersEmpty) {
  testing::TempStore store;
  Engine engine(store.path());
  const auto snapshot = engine.snapshot();
  EXPECT_EQ(0u, snapshot->events);
  const Summary summary = summarize(*snapshot, {});
  EXPECT_EQ(0u, summary.metrics.events);
  EXPECT_FALSE(summary.first_event_ms.has_value());
  EXPECT_TRUE(breakdown(*snapshot, {}, Dimension::kModel).empty());
  EXPECT_TRUE(timeseries(*snapshot, {}, Bucket::kDay).points.empty());
  EXPECT_EQ(168u, heatmap(*snapshot, {}).size());
  EXPECT_EQ(0u, list_sessions(*snapshot, {}, {SessionField::kStart}, 10, 0).total);
  EXPECT_EQ(0u, list_users(*snapshot, {}, {UserField::kEmail}, 10, 0).total);
  EXPECT_TRUE(latency(*snapshot, {}, LatencyBy::kTool).empty());
  EXPECT_TRUE(facets(*snapshot, {}).email.empty());
  EXPECT_FALSE(engine.refresh()) << "nothing changed";
}

TEST(EngineTest, RefreshesAddUpToWhatAFreshLoadSees) {
  testing::TempStore store;
  store::Database db(store.path());
  testing::StoreWriter writer(db);
  const testing::RandomHistory history = testing::make_random_history(99, 30);
  const auto& events = history.events;
  writer.replace_directory(history.directory);
  writer.insert({events.begin(), events.begin() + events.size() / 2});
  Engine live(store.path());
  const uint64_t first_version = live.version();
  // In-order appends, then rows older than everything loaded.
  writer.insert({events.begin() + events.size() * 3 / 4, events.end()});
  EXPECT_TRUE(live.refresh());
  writer.insert({events.begin() + events.size() / 2, events.begin() + events.size() * 3 / 4});
  EXPECT_TRUE(live.refresh());
  EXPECT_FALSE(live.refresh());
  EXPECT_EQ(first_version + 2, live.version());

  Engine fresh(store.path());
  const auto a = live.snapshot();
  const auto b = fresh.snapshot();
  EXPECT_EQ(a->events, b->events);
  EXPECT_EQ(events.size(), a->events);
  std::mt19937_64 random(5);
  for (int i = 0; i < 30; ++i) {
    Filter filter;
    filter.from_ms = events.front().time_ms + static_cast<int64_t>(random() % (10 * kMsPerDay));
    filter.to_ms = *filter.from_ms + static_cast<int64_t>(random() % (5 * kMsPerDay));
    if (i % 3 == 0) filter.model = {"claude-opus-4-6"};
    const std::string context = "filter " + std::to_string(i);
    expect_same(summarize(*b, filter).metrics, summarize(*a, filter).metrics, context);
    const auto rows_a = breakdown(*a, filter, Dimension::kTool);
    const auto rows_b = breakdown(*b, filter, Dimension::kTool);
    ASSERT_EQ(rows_b.size(), rows_a.size());
    for (size_t r = 0; r < rows_a.size(); ++r) {
      EXPECT_EQ(rows_b[r].key, rows_a[r].key);
      expect_same(rows_b[r].metrics, rows_a[r].metrics, context + " " + rows_a[r].key);
    }
  }
}

// Live exporters deliver batches out of time order: each sends its own sessions. Refreshed after
// every batch, the engine keeps its segments sorted and apart, their number small, and answers
// as a fresh load of the same rows does.
TEST(EngineTest, SkewedLiveBatchesAnswerAsAFreshLoad) {
  testing::TempStore store;
  store::Database db(store.path());
  testing::StoreWriter writer(db);
  const testing::RandomHistory history = testing::make_random_history(7, 800);
  ASSERT_GT(history.events.size(), 40'000u) << "enough rows to split the newest segment";
  writer.replace_directory(history.directory);

  // Eight exporters, each sending its sessions' events in time order, 200 at a time, taking
  // turns at random: a batch may be older than the one before it.
  constexpr size_t kExporters = 8, kBatch = 200;
  std::vector<std::vector<testing::StoredEvent>> streams(kExporters);
  const std::hash<std::string> hash;
  for (const testing::StoredEvent& e : history.events)
    streams[hash(e.session_id) % kExporters].push_back(e);
  std::vector<size_t> sent(kExporters, 0);
  std::mt19937_64 random(11);
  Engine live(store.path());
  size_t refreshes = 0;
  while (true) {
    std::vector<size_t> open;
    for (size_t i = 0; i < kExporters; ++i)
      if (sent[i] < streams[i].size()) open.push_back(i);
    if (open.empty()) break;
    const size_t i = open[random() % open.size()];
    const size_t end = std::min(streams[i].size(), sent[i] + kBatch);
    writer.insert({streams[i].begin() + static_cast<std::ptrdiff_t>(sent[i]),
                   streams[i].begin() + static_cast<std::ptrdiff_t>(end)});
    sent[i] = end;
    EXPECT_TRUE(live.refresh());
    ++refreshes;
  }

  const auto a = live.snapshot();
  EXPECT_EQ(history.events.size(), a->events);
  for (size_t k = 0; k < a->segments.size(); ++k) {
    const Segment& segment = *a->segments[k];
    EXPECT_TRUE(std::is_sorted(segment.time_ms.begin(), segment.time_ms.end())) << k;
    if (k > 0) {
      EXPECT_LE(a->segments[k - 1]->last_time(), segment.first_time()) << k;
    }
  }
  // Logarithmic in the rows, not linear in the refreshes.
  EXPECT_LT(a->segments.size(), 24u) << "after " << refreshes << " refreshes";

  Engine fresh(store.path());
  const auto b = fresh.snapshot();
  expect_same(summarize(*b, {}).metrics, summarize(*a, {}).metrics, "all");
  const auto by_model_a = breakdown(*a, {}, Dimension::kModel);
  const auto by_model_b = breakdown(*b, {}, Dimension::kModel);
  ASSERT_EQ(by_model_b.size(), by_model_a.size());
  for (size_t r = 0; r < by_model_a.size(); ++r)
    expect_same(by_model_b[r].metrics, by_model_a[r].metrics, by_model_a[r].key);
  const SessionOrder newest{SessionField::kStart, Metric::kEvents, false};
  const SessionsPage sessions_a = list_sessions(*a, {}, newest, 50, 0);
  const SessionsPage sessions_b = list_sessions(*b, {}, newest, 50, 0);
  ASSERT_EQ(sessions_b.total, sessions_a.total);
  for (size_t r = 0; r < sessions_a.rows.size(); ++r) {
    EXPECT_EQ(sessions_b.rows[r].start_ms, sessions_a.rows[r].start_ms) << r;
    EXPECT_EQ(sessions_b.rows[r].end_ms, sessions_a.rows[r].end_ms) << r;
  }
}

// A store whose rows are not in time order (several files of the same days ingested one after
// the other, exporters' batches, a restart after either) is loaded in parts that overlap in time,
// which are merged. The merge once read a segment it had already let go of, and the server
// crashed at start-up on such stores.
TEST(EngineTest, LoadsAStoreWhosePartsOverlapInTime) {
  const testing::RandomHistory history = testing::make_random_history(5, 2600);
  ASSERT_GT(history.events.size(), 110'000u) << "enough rows for a load in two parts";
  std::vector<StoredEvent> by_session = history.events;
  std::stable_sort(
      by_session.begin(), by_session.end(),
      [](const StoredEvent& a, const StoredEvent& b) { return a.session_id < b.session_id; });

  testing::TempStore in_time_order, in_session_order;
  {
    store::Database db(in_time_order.path());
    testing::StoreWriter writer(db);
    writer.replace_directory(history.directory);
    writer.insert(history.events);
  }
  {
    store::Database db(in_session_order.path());
    testing::StoreWriter writer(db);
    writer.replace_directory(history.directory);
    writer.insert(by_session);
  }

  Engine reference(in_time_order.path());
  Engine merged(in_session_order.path());
  const auto a = reference.snapshot();
  const auto b = merged.snapshot();
  ASSERT_EQ(b->events, history.events.size());
  for (size_t k = 0; k < b->segments.size(); ++k) {
    const Segment& segment = *b->segments[k];
    EXPECT_TRUE(std::is_sorted(segment.time_ms.begin(), segment.time_ms.end())) << k;
    if (k > 0) {
      EXPECT_LE(b->segments[k - 1]->last_time(), segment.first_time()) << k;
    }
  }
  expect_same(summarize(*b, {}).metrics, summarize(*a, {}).metrics, "all");
  const auto by_model_a = breakdown(*a, {}, Dimension::kModel);
  const auto by_model_b = breakdown(*b, {}, Dimension::kModel);
  ASSERT_EQ(by_model_b.size(), by_model_a.size());
  for (size_t r = 0; r < by_model_a.size(); ++r)
    expect_same(by_model_b[r].metrics, by_model_a[r].metrics, by_model_a[r].key);
}

// A first load by time ranges reads the store in chunks and merges each range's runs: rows of
// equal times must still come in store order, across chunks and reading threads.
TEST(EngineTest, ALoadByTimeRangesKeepsTheStoreOrderOfEqualTimes) {
  constexpr int kSessions = 50, kRounds = 40;
  testing::TempStore store;
  {
    store::Database db(store.path());
    testing::StoreWriter writer(db);
    // Round r gives every session one more event at that session's own time: a session's
    // events are 50 seqs apart, in many chunks of 100.
    std::vector<StoredEvent> events;
    for (int round = 0; round < kRounds; ++round) {
      for (int s = 0; s < kSessions; ++s) {
        StoredEvent e = event(1'700'000'000'000 + s * 1000,
                              std::string("s").append(std::to_string(s)), "u@x.com");
        e.terminal = std::to_string(round);
        events.push_back(e);
      }
    }
    writer.insert(events);
  }
  EngineOptions options;
  options.segment_rows = 100;
  Engine engine(store.path(), options);
  const auto snapshot = engine.snapshot();
  ASSERT_EQ(snapshot->events, static_cast<uint64_t>(kSessions * kRounds));
  ASSERT_GT(snapshot->segments.size(), 2u) << "loaded by time ranges";
  std::map<std::string, std::vector<std::string>> terminals;  // by session, in row order
  for (const auto& segment : snapshot->segments) {
    for (size_t i = 0; i < segment->size(); ++i) {
      terminals[std::string(snapshot->dictionaries->session.value(segment->session[i]))].push_back(
          std::string(snapshot->dictionaries->terminal.value(segment->terminal[i])));
    }
  }
  ASSERT_EQ(terminals.size(), static_cast<size_t>(kSessions));
  std::vector<std::string> store_order;
  for (int round = 0; round < kRounds; ++round) store_order.push_back(std::to_string(round));
  for (const auto& [session, in_rows] : terminals) EXPECT_EQ(store_order, in_rows) << session;
}

TEST(EngineTest, DirectoryLoadsRelabelEventsAlreadyLoaded) {
  testing::TempStore store;
  store::Database db(store.path());
  testing::StoreWriter writer(db);
  StoredEvent hinted = event(1'700'000'000'000, "s1", "ana@example.com");
  hinted.practice_hint = "Data Engineering";
  writer.insert({hinted, event(1'700'000'100'000, "s1", "ana@example.com"),
                 event(1'700'000'200'000, "s2", "bo@example.com")});
  Engine engine(store.path());
  auto practices = breakdown(*engine.snapshot(), {}, Dimension::kPractice);
  ASSERT_EQ(2u, practices.size());
  EXPECT_EQ("Unknown", practices[0].key) << "an event without a hint";
  EXPECT_EQ(2u, practices[0].metrics.events);
  EXPECT_EQ("Data Engineering", practices[1].key);

  writer.replace_directory({{"ANA@example.com", "Ana", "ML Engineering", "L4", "Poland"}});
  EXPECT_TRUE(engine.refresh());
  practices = breakdown(*engine.snapshot(), {}, Dimension::kPractice);
  ASSERT_EQ(2u, practices.size());
  EXPECT_EQ("ML Engineering", practices[0].key);
  EXPECT_EQ(2u, practices[0].metrics.events);
  EXPECT_EQ("Unknown", practices[1].key);
  const auto levels = breakdown(*engine.snapshot(), {}, Dimension::kLevel);
  ASSERT_EQ(2u, levels.size());
  const auto profile = user_profile(*engine.snapshot(), {}, "Ana@Example.com");
  ASSERT_TRUE(profile.has_value());
  EXPECT_EQ("Ana", profile->row.full_name);
  EXPECT_EQ("Poland", profile->row.location);

  writer.replace_directory({});
  EXPECT_TRUE(engine.refresh());
  EXPECT_EQ("Data Engineering",
            list_users(*engine.snapshot(), {}, {UserField::kEmail, Metric::kEvents, true}, 10, 0)
                .rows[0]
                .practice)
      << "without a directory row, a user shows the hint of their newest event that has one";
}

TEST(EngineTest, QueriesDuringRefreshesSeeWholeSnapshots) {
  testing::TempStore store;
  store::Database db(store.path());
  testing::StoreWriter writer(db);
  const testing::RandomHistory history = testing::make_random_history(3, 60);
  const auto& events = history.events;
  const size_t batches = 20;
  std::set<uint64_t> prefix_totals = {0};
  for (size_t b = 1; b <= batches; ++b) prefix_totals.insert(events.size() * b / batches);
  Engine engine(store.path());

  std::atomic<bool> done{false};
  std::atomic<int> violations{0}, queries{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      uint64_t last = 0;
      while (!done.load()) {
        const auto snapshot = engine.snapshot();
        const Summary summary = summarize(*snapshot, {});
        uint64_t by_type = 0;
        for (const auto& row : breakdown(*snapshot, {}, Dimension::kEventType))
          by_type += row.metrics.events;
        uint64_t by_hour = 0;
        for (const auto& point : timeseries(*snapshot, {}, Bucket::kHour).points)
          by_hour += point.events;
        const uint64_t events_seen = summary.metrics.events;
        if (events_seen != snapshot->events || by_type != events_seen || by_hour != events_seen ||
            !prefix_totals.count(events_seen) || events_seen < last)
          ++violations;
        last = events_seen;
        ++queries;
      }
    });
  }
  for (size_t b = 0; b < batches; ++b) {
    writer.insert({events.begin() + events.size() * b / batches,
                   events.begin() + events.size() * (b + 1) / batches});
    engine.refresh();
  }
  done = true;
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(0, violations.load());
  EXPECT_GT(queries.load(), 0);
  EXPECT_EQ(events.size(), engine.snapshot()->events);
}

std::string label(uint32_t i) {
  return std::string("v").append(std::to_string(i));
}

TEST(EngineTest, DictionaryReadsWhileAWriterInterns) {
  Dictionary dictionary;
  constexpr uint32_t kValues = 200'000;  // past several block boundaries
  std::atomic<bool> done{false};
  std::atomic<int> wrong{0};
  std::thread reader([&] {
    while (!done.load()) {
      const uint32_t size = dictionary.size();
      for (uint32_t code = 1; code < size; code += 997)
        if (dictionary.value(code) != label(code)) ++wrong;
      if (const auto found = dictionary.find(label(size / 2)); size > 2 && !found) ++wrong;
    }
  });
  for (uint32_t i = 1; i < kValues; ++i) ASSERT_EQ(i, dictionary.intern(label(i)));
  done = true;
  reader.join();
  EXPECT_EQ(0, wrong.load());
  EXPECT_EQ(kValues, dictionary.size());
  EXPECT_EQ(17u, dictionary.intern("v17"));
  EXPECT_EQ(Dictionary::kAbsent, dictionary.intern(""));
}

TEST(EngineTest, DistinctCounterCountsPairsOnceInEveryMode) {
  std::mt19937_64 random(11);
  // Small spaces use a bitset (larger where one side is a few values), large ones the last
  // partner of the larger side (groups, then entities) and a hash set of pairs.
  for (const auto& [groups, entities] :
       {std::pair<size_t, size_t>{16, 1000}, std::pair<size_t, size_t>{17, 2'000'000},
        std::pair<size_t, size_t>{50'000, 2'000}, std::pair<size_t, size_t>{2'000, 50'000}}) {
    DistinctCounter counter(groups, entities);
    std::set<std::pair<uint32_t, uint32_t>> seen;
    for (int i = 0; i < 200'000; ++i) {
      // Mostly an entity stays in its group for a while; sometimes it moves and comes back.
      const auto entity = static_cast<uint32_t>(random() % entities);
      const auto group =
          static_cast<uint32_t>((entity * 7 + (random() % 3 == 0 ? random() : 0)) % groups);
      EXPECT_EQ(seen.insert({group, entity}).second, counter.mark(group, entity));
    }
  }
}

}  // namespace
}  // namespace cca::engine
