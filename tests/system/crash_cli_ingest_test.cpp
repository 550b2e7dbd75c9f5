// `ccanalytics ingest` of a large telemetry set in several files, killed (kill -9) at random
// moments and run again on the same store: after each kill the store is sound and holds exactly
// the files the ingest log calls complete, each event once; the last run completes it, and the
// store then answers like a clean ingest.
#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>
#include <unordered_set>

#include "support/test_support.h"
#include "system/child_process.h"
#include "system/crash_seed.h"
#include "system/dashboard_questions.h"
#include "system/server_process.h"
#include "system/store_census.h"
#include "system/tagged_telemetry.h"

namespace cca::system_test {
namespace {

constexpr int kParts = 4;
constexpr int kKills = 4;

// Deals the lines of a JSONL file (plain or gzip) round-robin into `parts` plain files, and
// returns the CloudWatch log event ids of each.
std::vector<std::unordered_set<std::string>> split(const std::string& source,
                                                   const std::vector<std::string>& parts) {
  gzFile in = gzopen(source.c_str(), "rb");
  if (!in) throw std::runtime_error("cannot read " + source);
  gzbuffer(in, 1 << 20);
  std::vector<std::ofstream> outs;
  for (const std::string& part : parts) outs.emplace_back(part, std::ios::binary);
  std::vector<std::unordered_set<std::string>> ids(parts.size());
  std::string pending;
  std::vector<char> chunk(1 << 20);
  size_t line_number = 0;
  const auto take_line = [&](std::string_view line) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
    const size_t part = line_number++ % parts.size();
    outs[part] << line << '\n';
    const nlohmann::json batch = nlohmann::json::parse(line);
    for (const auto& log_event : batch.at("logEvents"))
      ids[part].insert(log_event.at("id").get<std::string>());
  };
  int read;
  while ((read = gzread(in, chunk.data(), static_cast<unsigned>(chunk.size()))) > 0) {
    pending.append(chunk.data(), static_cast<size_t>(read));
    size_t start = 0;
    for (size_t end; (end = pending.find('\n', start)) != std::string::npos; start = end + 1)
      take_line(std::string_view(pending).substr(start, end - start));
    pending.erase(0, start);
  }
  gzclose(in);
  take_line(pending);
  return ids;
}

TEST(CrashConsistency, CliIngestOfLargeFilesKilledAndRerun) {
  std::mt19937_64 random(crash_seed());
  test::TempDir dir;
  std::vector<std::string> parts;
  for (int i = 0; i < kParts; ++i)
    parts.push_back(dir.file("part-" + std::to_string(i) + ".jsonl"));
  const auto ids_of_part = split(telemetry_file(dir.path(), true), parts);
  std::unordered_set<std::string> all_ids;
  for (const auto& ids : ids_of_part) all_ids.insert(ids.begin(), ids.end());

  const auto ingest_args = [&](const std::string& db) {
    std::vector<std::string> args = {"ingest", "--db", db};
    for (const std::string& part : parts) args.insert(args.end(), {"--telemetry", part});
    return args;
  };

  // A clean ingest: the reference answers, and how long a run takes, over which kills spread.
  const std::string clean_db = dir.file("clean.db");
  const auto started = std::chrono::steady_clock::now();
  ASSERT_EQ(run_to_end(ingest_args(clean_db), dir.file("clean")), 0);
  const auto run_time = std::chrono::steady_clock::now() - started;
  const auto run_ms = std::chrono::duration_cast<std::chrono::milliseconds>(run_time).count();
  std::cout << "a clean ingest of " << all_ids.size() << " events took " << run_ms << " ms"
            << std::endl;
  ASSERT_EQ(take_census(clean_db, kLogEventId).rows, static_cast<int64_t>(all_ids.size()));

  // Each kill hits a run on the store the last kill left; once a run has completed the store
  // (the kill came after its end), the next one starts on a fresh store, so that it has work left.
  std::string db = dir.file("crashed-1.db");
  std::uniform_int_distribution<int64_t> moment_ms(0, run_ms);
  for (int kill = 1; kill <= kKills; ++kill) {
    const int64_t at_ms = moment_ms(random);
    const std::string log = dir.file("ingest-" + std::to_string(kill));
    ChildProcess ingest(ingest_args(db), log + ".out", log + ".err");
    std::this_thread::sleep_for(std::chrono::milliseconds(at_ms));
    const bool killed = ingest.running();
    ingest.kill_now();
    const std::string what = "kill " + std::to_string(kill) + " at " + std::to_string(at_ms) +
                             " ms" + (killed ? "" : " (after the run ended)");

    // The files the ingest log calls complete are the ones whose events the store holds: a file
    // is committed whole, with its log row, or not at all.
    const StoreCensus census = take_census(db, kLogEventId);
    EXPECT_EQ(census.integrity, "ok") << what;
    EXPECT_EQ(census.rows, census.distinct_identities) << what;
    std::unordered_set<std::string> committed;
    for (const auto& [path, status] : ingest_log(db))
      for (int part = 0; part < kParts; ++part)
        if (path == parts[part] && status == "complete")
          committed.insert(ids_of_part[part].begin(), ids_of_part[part].end());
    size_t counted_twice = 0, missing = 0;
    for (const auto& [id, rows] : census.identities) counted_twice += rows != 1;
    for (const std::string& id : committed) missing += !census.identities.contains(id);
    EXPECT_EQ(counted_twice, 0u) << what;
    EXPECT_EQ(missing, 0u) << what << ": events of a complete file are missing";
    EXPECT_EQ(census.identities.size(), committed.size())
        << what << ": the store holds events of files not complete";
    std::cout << what << ": " << census.rows << " events stored" << std::endl;
    if (census.rows == static_cast<int64_t>(all_ids.size()) && kill < kKills)
      db = dir.file("crashed-" + std::to_string(kill + 1) + ".db");
  }

  ASSERT_EQ(run_to_end(ingest_args(db), dir.file("ingest-final")), 0);
  const StoreCensus final_census = take_census(db, kLogEventId);
  EXPECT_EQ(final_census.integrity, "ok");
  EXPECT_EQ(final_census.rows, static_cast<int64_t>(all_ids.size()));
  size_t missing = 0;
  for (const std::string& id : all_ids) missing += !final_census.identities.contains(id);
  EXPECT_EQ(missing, 0u);

  ServerProcess crashed(db, dir.file("serve-crashed"));
  ServerProcess clean(clean_db, dir.file("serve-clean"));
  expect_same_answers(ask_all(*crashed.client()), ask_all(*clean.client()),
                      "CLI ingest after kills vs a clean ingest");
}

}  // namespace
}  // namespace cca::system_test
