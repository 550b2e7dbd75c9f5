#include "generate/generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

#include "generate/test_support.h"

namespace cca::generate {
namespace {

using nlohmann::json;
using testing::TempDir;

GenerateOptions small_options(const std::filesystem::path& dir) {
  GenerateOptions options;
  options.output_dir = dir.string();
  options.num_users = 12;
  options.num_sessions = 150;
  options.days = 10;
  return options;
}

// A dataset's events as read back from its telemetry file: their distinct sessions and emails,
// how many there are and in how many batches (lines).
struct ReadBack {
  std::set<std::string> sessions, emails;
  uint64_t events = 0, batches = 0;
};
ReadBack read_back(const GenerateSummary& summary) {
  ReadBack read;
  testing::for_each_line(summary.telemetry_path, [&](const std::string& line) {
    ++read.batches;
    const json batch = json::parse(line);
    for (const json& log_event : batch.at("logEvents")) {
      const json attributes = json::parse(log_event.at("message").get<std::string>())["attributes"];
      read.sessions.insert(attributes.at("session.id").get<std::string>());
      read.emails.insert(attributes.at("user.email").get<std::string>());
      ++read.events;
    }
    return true;
  });
  return read;
}

// ---- Options --------------------------------------------------------------------------------

TEST(GenerateOptions, DefaultsAreTheReferenceGenerators) {
  const GenerateOptions options;
  EXPECT_EQ(options.num_users, 30);
  EXPECT_EQ(options.num_sessions, 500);
  EXPECT_EQ(options.days, 30);
  EXPECT_EQ(options.seed, 42u);
  EXPECT_EQ(options.end_date, "2026-02-01");
}

TEST(GenerateOptions, BadOptionsThrowAndWriteNothing) {
  TempDir temp("bad_options");
  const auto target = temp.path() / "out";
  auto expect_rejected = [&](GenerateOptions options, const std::string& mentions) {
    try {
      generate_dataset(options);
      ADD_FAILURE() << "accepted options that mention " << mentions;
    } catch (const std::runtime_error& error) {
      EXPECT_NE(std::string(error.what()).find(mentions), std::string::npos) << error.what();
    }
    EXPECT_FALSE(std::filesystem::exists(target));
  };
  GenerateOptions options = small_options(target);
  auto with = [&](auto change) {
    GenerateOptions changed = options;
    change(changed);
    return changed;
  };
  expect_rejected(with([](auto& o) { o.num_users = 0; }), "--num-users");
  expect_rejected(with([](auto& o) { o.num_users = -3; }), "--num-users");
  expect_rejected(with([](auto& o) { o.num_users = 100'001; }), "--num-users");
  expect_rejected(with([](auto& o) { o.num_sessions = 0; }), "--num-sessions");
  expect_rejected(with([](auto& o) { o.num_sessions = 10'000'001; }), "--num-sessions");
  expect_rejected(with([](auto& o) { o.num_sessions = -1; }), "--num-sessions");
  expect_rejected(with([](auto& o) { o.days = 0; }), "--days");
  expect_rejected(with([](auto& o) { o.days = 36'501; }), "--days");
  expect_rejected(with([](auto& o) { o.end_date = "2026-02-30"; }), "--end-date");
  expect_rejected(with([](auto& o) { o.end_date = "2026-2-1"; }), "--end-date");
  expect_rejected(with([](auto& o) { o.end_date = "tomorrow"; }), "--end-date");
  expect_rejected(with([](auto& o) { o.end_date = ""; }), "--end-date");
  expect_rejected(with([](auto& o) {
                    o.end_date = "1971-01-01";
                    o.days = 400;
                  }),
                  "1970");
  expect_rejected(with([](auto& o) { o.output_dir = ""; }), "--output-dir");
}

TEST(GenerateOptions, UnwritableOutputDirectoryThrows) {
  TempDir temp("unwritable");
  std::ofstream(temp.path() / "plain_file") << "x";
  EXPECT_THROW(generate_dataset(small_options(temp.path() / "plain_file" / "below")),
               std::runtime_error);
}

// ---- Determinism and counts -------------------------------------------------------------------

TEST(GenerateDataset, SameOptionsGiveByteIdenticalFilesAndAnotherSeedDiffers) {
  TempDir temp("determinism");
  GenerateOptions options = small_options(temp.path() / "a");
  const GenerateSummary a = generate_dataset(options);
  options.output_dir = (temp.path() / "b").string();
  const GenerateSummary b = generate_dataset(options);
  options.output_dir = (temp.path() / "c").string();
  options.seed = 43;
  const GenerateSummary c = generate_dataset(options);

  const std::string telemetry_a = testing::read_file(a.telemetry_path);
  ASSERT_GT(telemetry_a.size(), 100000u);
  EXPECT_TRUE(telemetry_a == testing::read_file(b.telemetry_path));
  EXPECT_EQ(testing::read_file(a.employees_path), testing::read_file(b.employees_path));
  EXPECT_FALSE(telemetry_a == testing::read_file(c.telemetry_path));
  EXPECT_NE(testing::read_file(a.employees_path), testing::read_file(c.employees_path));
  EXPECT_FALSE(std::filesystem::exists(a.telemetry_path + ".partial"));
}

TEST(GenerateDataset, APeopleSeedGivesOtherSeedsTheSamePeople) {
  TempDir temp("people_seed");
  GenerateOptions options = small_options(temp.path() / "a");
  options.people_seed = 7;
  const GenerateSummary a = generate_dataset(options);
  options.output_dir = (temp.path() / "b").string();
  options.seed = 43;
  const GenerateSummary b = generate_dataset(options);
  options.output_dir = (temp.path() / "c").string();
  options.people_seed.reset();
  const GenerateSummary c = generate_dataset(options);

  const std::string directory = testing::read_file(a.employees_path);
  EXPECT_EQ(directory, testing::read_file(b.employees_path));
  EXPECT_NE(directory, testing::read_file(c.employees_path));
  // Other sessions, of the directory's people.
  const ReadBack read_a = read_back(a), read_b = read_back(b);
  ASSERT_EQ(read_a.sessions.size(), 150u);
  EXPECT_EQ(read_a.emails, read_b.emails);
  for (const std::string& email : read_a.emails)
    EXPECT_NE(directory.find(email + ","), std::string::npos);
  std::vector<std::string> shared;
  std::set_intersection(read_a.sessions.begin(), read_a.sessions.end(), read_b.sessions.begin(),
                        read_b.sessions.end(), std::back_inserter(shared));
  EXPECT_EQ(shared.size(), 0u);
}

TEST(GenerateDataset, RegeneratingOverwritesTheOldFiles) {
  TempDir temp("overwrite");
  GenerateOptions options = small_options(temp.path());
  options.num_sessions = 300;
  generate_dataset(options);
  options.num_sessions = 20;
  const GenerateSummary summary = generate_dataset(options);
  EXPECT_EQ(std::filesystem::file_size(summary.telemetry_path), summary.telemetry_bytes);
}

TEST(GenerateDataset, UserAndSessionCountsFollowTheOptions) {
  TempDir temp("counts");
  GenerateOptions options = small_options(temp.path());
  options.num_users = 7;
  options.num_sessions = 333;
  const GenerateSummary summary = generate_dataset(options);
  EXPECT_EQ(summary.users, 7u);
  EXPECT_EQ(summary.sessions, 333u);

  const ReadBack read = read_back(summary);
  EXPECT_EQ(read.sessions.size(), 333u);
  EXPECT_EQ(read.emails.size(), 7u);  // 333 sessions over 7 users leave nobody out
  EXPECT_EQ(read.events, summary.events);
  EXPECT_EQ(read.batches, summary.batches);
  EXPECT_EQ(std::filesystem::file_size(summary.telemetry_path), summary.telemetry_bytes);
}

TEST(GenerateDataset, ManyUsersStillGetUniqueEmails) {
  TempDir temp("many_users");
  GenerateOptions options = small_options(temp.path());
  options.num_users = 1500;  // more than the 580 first.last pairs
  options.num_sessions = 1;
  const GenerateSummary summary = generate_dataset(options);
  std::set<std::string> emails;
  size_t rows = 0;
  testing::for_each_line(summary.employees_path, [&](const std::string& line) {
    if (rows++ > 0) emails.insert(line.substr(0, line.find(',')));
    return true;
  });
  EXPECT_EQ(rows, 1501u);
  EXPECT_EQ(emails.size(), 1500u);
}

}  // namespace
}  // namespace cca::generate
