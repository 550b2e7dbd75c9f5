// `generate --scenario`: each part of a scenario checked on the files it writes, read back with
// nlohmann (not the generator's own code), against figures worked out here from the scenario.
// The seeds are fixed, so each test is deterministic; the tolerances say how far a figure may
// stray by chance at the sample size used (4 standard deviations), so that a test asserts the
// effect, not one seed's luck.
#include "generate/scenario.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "generate/catalog.h"
#include "generate/generator.h"
#include "generate/test_support.h"

namespace cca::generate {
namespace {

using nlohmann::json;
using testing::TempDir;

constexpr int64_t kMsPerDayHere = 86'400'000;

// Epoch ms of a UTC date or instant, with <chrono> rather than the project's time code.
int64_t utc_ms(int y, unsigned mo, unsigned d, int h = 0) {
  using namespace std::chrono;
  const sys_days day{year{y} / month{mo} / std::chrono::day{d}};
  return duration_cast<milliseconds>((day + hours{h}).time_since_epoch()).count();
}

// Monday 0 .. Sunday 6.
int weekday_of(int64_t ms) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(ms)));
  return static_cast<int>((weekday{day}.c_encoding() + 6) % 7);
}

// One telemetry event, as the file tells it.
struct Event {
  int64_t ms = 0;
  std::string name, session, practice, model, tool, success, status_code, attempt;
  std::optional<std::string> error;
  double cost = 0;
  std::string attribute_keys;
};

// Reads the telemetry with nlohmann's SAX interface: the same parser as a DOM, without building
// one, which makes reading a dataset several times faster. Outer level: each log event's
// `timestamp` and `message`; inside the message: the string values of the keys at depth 2
// (`attributes` and `resource` members) that the tests look at.
class EventReader : public nlohmann::json_sax<json> {
 public:
  explicit EventReader(std::vector<Event>& events) : events_(events) {}

  void read_line(const std::string& line) {
    in_message_ = false;
    depth_ = 0;
    if (!json::sax_parse(line, this)) throw std::runtime_error("bad JSON line");
  }

  bool start_object(std::size_t) override {
    ++depth_;
    return true;
  }
  bool end_object() override {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool key(string_t& key) override {
    key_ = key;
    if (in_message_ && depth_ == 2) event_->attribute_keys += key + ",";
    return true;
  }
  bool number_unsigned(number_unsigned_t value) override {
    if (!in_message_ && key_ == "timestamp") {  // the log event's own, before its message
      event_ = &events_.emplace_back();
      event_->ms = static_cast<int64_t>(value);
    }
    return true;
  }
  bool number_integer(number_integer_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool boolean(bool) override { return true; }
  bool null() override { return true; }
  bool binary(binary_t&) override { return true; }
  bool string(string_t& value) override {
    if (!in_message_) {
      if (key_ == "message") {
        in_message_ = true;
        const int outer_depth = depth_;
        depth_ = 0;
        const bool ok = json::sax_parse(value, this);
        depth_ = outer_depth;
        in_message_ = false;
        return ok;
      }
      return true;
    }
    if (depth_ != 2) return true;
    Event& event = *event_;
    if (key_ == "event.name")
      event.name = value;
    else if (key_ == "session.id")
      event.session = value;
    else if (key_ == "user.practice")
      event.practice = value;
    else if (key_ == "model")
      event.model = value;
    else if (key_ == "tool_name")
      event.tool = value;
    else if (key_ == "success")
      event.success = value;
    else if (key_ == "status_code")
      event.status_code = value;
    else if (key_ == "attempt")
      event.attempt = value;
    else if (key_ == "error")
      event.error = value;
    else if (key_ == "cost_usd")
      event.cost = std::stod(value);
    return true;
  }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& error) override {
    throw std::runtime_error(error.what());
  }

 private:
  std::vector<Event>& events_;
  Event* event_ = nullptr;
  std::string key_;
  int depth_ = 0;
  bool in_message_ = false;
};

std::vector<Event> read_events(const std::string& telemetry_path) {
  std::vector<Event> events;
  EventReader reader(events);
  testing::for_each_line(telemetry_path, [&](const std::string& line) {
    reader.read_line(line);
    return true;
  });
  return events;
}

// The start of each session: its first event.
std::map<std::string, const Event*> session_starts(const std::vector<Event>& events) {
  std::map<std::string, const Event*> starts;
  for (const Event& event : events) starts.try_emplace(event.session, &event);
  return starts;
}

struct Generated {
  GenerateSummary summary;
  std::vector<Event> events;
};

// Writes the scenario text to DIR/scenario.json, generates into DIR/out and reads the events back.
Generated generate_with(const TempDir& temp, const std::string& scenario, GenerateOptions options) {
  const auto path = temp.path() / "scenario.json";
  std::ofstream(path) << scenario;
  options.output_dir = (temp.path() / "out").string();
  options.scenario_file = path.string();
  Generated generated;
  generated.summary = generate_dataset(options);
  generated.events = read_events(generated.summary.telemetry_path);
  return generated;
}

GenerateOptions options_for(int users, int sessions, int days) {
  GenerateOptions options;
  options.num_users = users;
  options.num_sessions = sessions;
  options.days = days;
  options.seed = 11;
  return options;  // ends 2026-02-01, the default
}

// |observed - expected| within 4 standard deviations of a binomial count.
void expect_binomial(double observed, double trials, double p, const std::string& what) {
  const double expected = trials * p;
  const double sd = std::sqrt(trials * p * (1 - p));
  EXPECT_NEAR(observed, expected, 4 * sd) << what;
}

// ---- Without a scenario, or with one that touches nothing, nothing changes --------------------

TEST(Scenario, EmptyOrOutOfWindowScenarioLeavesTheFilesByteIdentical) {
  TempDir temp("scenario_unchanged");
  GenerateOptions options = options_for(12, 150, 10);
  options.output_dir = (temp.path() / "plain").string();
  const GenerateSummary plain = generate_dataset(options);

  // Incidents before the window: the sessions never meet them, so no draw changes.
  const std::string scenarios[] = {"{}",
                                   R"({"incidents": [
        {"kind": "spend_spike", "practice": "Data Engineering", "factor": 4,
         "from": "2025-01-01", "to": "2025-01-02"},
        {"kind": "error_burst", "model": "claude-opus-4-6", "error_rate": 1,
         "from": "2025-01-01T09:00:00Z", "to": "2025-01-01T12:00:00Z"},
        {"kind": "tool_outage", "tool": "Bash", "from": "2025-01-01", "to": "2025-01-03"}]})"};
  int i = 0;
  for (const std::string& scenario : scenarios) {
    const auto path = temp.path() / ("scenario" + std::to_string(i) + ".json");
    std::ofstream(path) << scenario;
    GenerateOptions with = options;
    with.output_dir = (temp.path() / ("with" + std::to_string(i++))).string();
    with.scenario_file = path.string();
    const GenerateSummary summary = generate_dataset(with);
    EXPECT_TRUE(testing::read_file(plain.telemetry_path) ==
                testing::read_file(summary.telemetry_path))
        << scenario;
    EXPECT_EQ(testing::read_file(plain.employees_path), testing::read_file(summary.employees_path));
    EXPECT_TRUE(testing::read_file(plain.metrics_path) == testing::read_file(summary.metrics_path));
  }
}

constexpr const char* kEverything = R"({
  "trend": {"growth_per_week": 0.2},
  "weekly_rhythm": [1, 1, 1, 1, 0.9, 0.15, 0.1],
  "incidents": [
    {"kind": "spend_spike", "practice": "ML Engineering", "factor": 3.5,
     "from": "2026-01-27", "to": "2026-01-28"},
    {"kind": "error_burst", "model": "claude-haiku-4-5-20251001", "error_rate": 0.5,
     "from": "2026-01-28T09:00:00Z", "to": "2026-01-28T15:00:00Z"},
    {"kind": "tool_outage", "tool": "Read", "failure_rate": 0.7,
     "from": "2026-01-29T09:00:00Z", "to": "2026-01-29T15:00:00Z"}]})";

TEST(Scenario, SameOptionsAndScenarioGiveByteIdenticalFiles) {
  TempDir temp("scenario_determinism");
  const auto path = temp.path() / "scenario.json";
  std::ofstream(path) << kEverything;
  GenerateOptions options = options_for(20, 300, 7);
  options.scenario_file = path.string();
  options.output_dir = (temp.path() / "a").string();
  const GenerateSummary a = generate_dataset(options);
  options.output_dir = (temp.path() / "b").string();
  const GenerateSummary b = generate_dataset(options);
  options.output_dir = (temp.path() / "plain").string();
  options.scenario_file.clear();
  const GenerateSummary plain = generate_dataset(options);

  const std::string telemetry = testing::read_file(a.telemetry_path);
  EXPECT_TRUE(telemetry == testing::read_file(b.telemetry_path));
  EXPECT_TRUE(testing::read_file(a.metrics_path) == testing::read_file(b.metrics_path));
  EXPECT_EQ(a.sessions, b.sessions);
  EXPECT_FALSE(telemetry == testing::read_file(plain.telemetry_path));
  EXPECT_GT(a.sessions, 300u);  // the spike added sessions
}

// ---- Weekly rhythm and trend ------------------------------------------------------------------

TEST(Scenario, WeeklyRhythmGivesEachWeekdayItsShareOfSessions) {
  TempDir temp("scenario_rhythm");
  const std::array<double, 7> rhythm = {1, 1, 1, 1, 0.9, 0.15, 0.1};
  // 28 days: each weekday four times, so a weekday's share is its weight over the week's.
  const int sessions = 800;
  const Generated run = generate_with(temp, R"({"weekly_rhythm": [1, 1, 1, 1, 0.9, 0.15, 0.1]})",
                                      options_for(30, sessions, 28));
  ASSERT_EQ(run.summary.sessions, static_cast<uint64_t>(sessions));

  std::array<int, 7> by_weekday{};
  for (const auto& [id, start] : session_starts(run.events)) ++by_weekday[weekday_of(start->ms)];
  double week = 0;
  for (const double weight : rhythm) week += weight;
  for (int day = 0; day < 7; ++day) {
    expect_binomial(by_weekday[day], sessions, rhythm[day] / week,
                    "weekday " + std::to_string(day));
  }
  // Quiet weekends: Saturday and Sunday together hold about 0.25 / 5.15 of the sessions.
  EXPECT_LT(by_weekday[5] + by_weekday[6], sessions / 12);
  EXPECT_GT(by_weekday[0], 4 * by_weekday[5]);
}

TEST(Scenario, TrendGrowsSessionsWeekOverWeek) {
  TempDir temp("scenario_trend");
  const double growth = 0.25;
  const int sessions = 1000;
  const Generated run =
      generate_with(temp, R"({"trend": {"growth_per_week": 0.25}})", options_for(30, sessions, 28));
  const int64_t window_start = utc_ms(2026, 1, 4);  // 28 days before 2026-02-01

  std::array<int, 4> by_week{};
  for (const auto& [id, start] : session_starts(run.events)) {
    const int64_t week = (start->ms - window_start) / (7 * kMsPerDayHere);
    ASSERT_TRUE(week >= 0 && week < 4);
    ++by_week[week];
  }
  // Day d weighs (1 + g)^(d / 7): the weeks' expected shares.
  std::array<double, 4> weight{};
  double total = 0;
  for (int day = 0; day < 28; ++day) {
    weight[day / 7] += std::pow(1 + growth, day / 7.0);
    total += std::pow(1 + growth, day / 7.0);
  }
  for (int week = 0; week < 4; ++week)
    expect_binomial(by_week[week], sessions, weight[week] / total, "week " + std::to_string(week));

  // Last week over first: 1.25^3 = 1.95 (about 173 and 338 sessions). log(ratio) has a standard
  // deviation of about sqrt(1/first + 1/last) = 0.094; 4 of them keep the ratio in [1.34, 2.84],
  // clear of 1.
  const double ratio = static_cast<double>(by_week[3]) / by_week[0];
  const double sd = std::sqrt(1.0 / by_week[0] + 1.0 / by_week[3]);
  EXPECT_NEAR(std::log(ratio), 3 * std::log(1 + growth), 4 * sd) << ratio;
  EXPECT_GT(ratio, 1.3);
}

// ---- Incidents ----------------------------------------------------------------------------------

TEST(Scenario, SpendSpikeMultipliesOnePracticesCostInItsRangeOnly) {
  TempDir temp("scenario_spend");
  // 35 days from Sunday 2025-12-28; the spike is the middle week (Sunday 01-11 to Sunday 01-18),
  // compared with the four weeks around it, the same weekdays each.
  const double factor = 4;
  const Generated run = generate_with(temp, R"({"incidents": [
      {"kind": "spend_spike", "practice": "Data Engineering", "factor": 4,
       "from": "2026-01-11", "to": "2026-01-18"}]})",
                                      options_for(40, 2100, 35));
  const int64_t window_start = utc_ms(2025, 12, 28);
  const int64_t spike_week = 2;
  auto week_of = [&](int64_t ms) { return (ms - window_start) / (7 * kMsPerDayHere); };

  std::map<std::string, std::array<double, 6>> cost, started;  // by practice, week (5: after)
  for (const Event& event : run.events) {
    if (event.name == "api_request")
      cost[event.practice][std::min<int64_t>(week_of(event.ms), 5)] += event.cost;
  }
  for (const auto& [id, start] : session_starts(run.events))
    started[start->practice][week_of(start->ms)] += 1;
  ASSERT_EQ(cost.size(), 5u);

  // About 84 sessions of a practice start in a week (336 in the spiking one). A count has a
  // relative spread of 1/sqrt(84) = 0.11 (the spike copies whole sessions, so its week keeps that
  // spread) and a week's cost adds 1.4 / sqrt(sessions) (a session's cost has a coefficient of
  // variation of 1.4). So log(ratio) over the four weeks around has a standard deviation of about
  // 0.16 for the spiking practice's cost, 0.21 for another's, 0.11 for the other four together
  // and 0.12 for a practice's count of sessions: 4 of them are factors of 1.9, 2.3, 1.5 and 1.65.
  auto around = [&](const std::array<double, 6>& weeks) {
    return (weeks[0] + weeks[1] + weeks[3] + weeks[4]) / 4;
  };
  std::array<double, 6> others{};
  for (const auto& [practice, weeks] : cost) {
    const double ratio = weeks[spike_week] / around(weeks);
    const double count_ratio = started[practice][spike_week] / around(started[practice]);
    const double expected = practice == "Data Engineering" ? factor : 1;
    const double tolerance = practice == "Data Engineering" ? 1.9 : 2.3;
    EXPECT_GT(ratio, expected / tolerance) << practice;
    EXPECT_LT(ratio, expected * tolerance) << practice;
    EXPECT_GT(count_ratio, expected / 1.65) << practice;
    EXPECT_LT(count_ratio, expected * 1.65) << practice;
    if (practice != "Data Engineering") {
      for (size_t week = 0; week < weeks.size(); ++week) others[week] += weeks[week];
    }
  }
  EXPECT_GT(others[spike_week] / around(others), 1 / 1.5);
  EXPECT_LT(others[spike_week] / around(others), 1.5);
  // The added sessions are Data Engineering's, in the spike's week.
  EXPECT_GT(run.summary.sessions, 2100u);
  double data_sessions_added = started["Data Engineering"][spike_week] -
                               (started["Data Engineering"][0] + started["Data Engineering"][1] +
                                started["Data Engineering"][3] + started["Data Engineering"][4]) /
                                   4;
  EXPECT_NEAR(static_cast<double>(run.summary.sessions - 2100), data_sessions_added,
              0.5 * data_sessions_added);
}

TEST(Scenario, ErrorBurstRaisesOneModelsErrorShareInItsRangeOnly) {
  TempDir temp("scenario_errors");
  const std::string model = "claude-opus-4-6";
  const Generated run = generate_with(temp, R"({"incidents": [
      {"kind": "error_burst", "model": "claude-opus-4-6", "error_rate": 0.6, "status_code": "500",
       "from": "2026-01-27T09:00:00Z", "to": "2026-01-27T17:00:00Z"}]})",
                                      options_for(30, 800, 10));
  const int64_t from = utc_ms(2026, 1, 27, 9), to = utc_ms(2026, 1, 27, 17);

  // Calls (api_request or api_error) and errors of the model, in and out of the range.
  std::map<std::pair<bool, bool>, std::pair<double, double>> calls;  // (model?, in?) -> errors, all
  std::map<std::string, int> burst_statuses;
  std::set<std::string> error_key_sets;
  for (const Event& event : run.events) {
    if (event.name != "api_request" && event.name != "api_error") continue;
    const bool in = from <= event.ms && event.ms < to;
    auto& [errors, all] = calls[{event.model == model, in}];
    all += 1;
    if (event.name == "api_error") {
      errors += 1;
      error_key_sets.insert(event.attribute_keys);
      if (in && event.model == model) ++burst_statuses[event.status_code];
      EXPECT_TRUE(event.attempt == "1" || event.attempt == "2" || event.attempt == "3");
    }
  }
  const auto [errors_in, calls_in] = calls[{true, true}];
  ASSERT_GT(calls_in, 150);  // about 250
  // Each call of the model in the range fails with probability 0.6; the plain generator's own
  // errors (1.2 % of cycles, their model drawn apart) add about 1 % on top.
  const double sd = std::sqrt(0.6 * 0.4 / calls_in);
  EXPECT_GT(errors_in / calls_in, 0.6 - 4 * sd);
  EXPECT_LT(errors_in / calls_in, 0.6 + 4 * sd + 0.02);

  const auto [errors_out, calls_out] = calls[{true, false}];
  const auto [other_errors_in, other_calls_in] = calls[{false, true}];
  EXPECT_LT(errors_out / calls_out, 0.03);
  EXPECT_LT(other_errors_in / other_calls_in, 0.04);
  // status_code narrows the burst's errors to the 500s; only the plain errors differ.
  EXPECT_GT(burst_statuses["500"], 0.9 * errors_in);
  // Burst errors are shaped as every api_error: one key set for all.
  EXPECT_EQ(error_key_sets.size(), 1u);
}

TEST(Scenario, ToolOutageFailsOneToolsResultsInItsRange) {
  TempDir temp("scenario_outage");
  const Generated run = generate_with(temp, R"({"incidents": [
      {"kind": "tool_outage", "tool": "Bash",
       "from": "2026-01-27T09:00:00Z", "to": "2026-01-27T13:00:00Z"}]})",
                                      options_for(30, 500, 7));
  const int64_t from = utc_ms(2026, 1, 27, 9), to = utc_ms(2026, 1, 27, 13);

  int bash_in = 0, bash_in_failed_with_error = 0, errors_out = 0;
  double bash_out = 0, bash_out_ok = 0, others_in = 0, others_in_ok = 0;
  for (const Event& event : run.events) {
    if (event.name != "tool_result") continue;
    const bool in = from <= event.ms && event.ms < to;
    if (event.tool == "Bash" && in) {
      ++bash_in;
      bash_in_failed_with_error +=
          event.success == "false" &&
          event.error ==
              std::optional<std::string>("Tool unavailable: the service did not respond");
    } else {
      errors_out += event.error.has_value();
      if (event.tool == "Bash") {
        bash_out += 1;
        bash_out_ok += event.success == "true";
      } else if (in) {
        others_in += 1;
        others_in_ok += event.success == "true";
      }
    }
  }
  ASSERT_GT(bash_in, 40);  // about 190
  EXPECT_EQ(bash_in_failed_with_error, bash_in);
  EXPECT_EQ(errors_out, 0);  // outside the outage failures carry no error, as in the reference
  // Outside its range Bash succeeds at its usual 93.3 %; other tools in the range at about 99 %.
  EXPECT_NEAR(bash_out_ok / bash_out, 0.933, 4 * std::sqrt(0.933 * 0.067 / bash_out));
  EXPECT_GT(others_in_ok / others_in, 0.95);
}

TEST(Scenario, MetricsFileFollowsTheScenariosSessions) {
  TempDir temp("scenario_metrics");
  const Generated run = generate_with(temp, kEverything, options_for(20, 200, 7));
  double telemetry_cost = 0;
  for (const Event& event : run.events) telemetry_cost += event.cost;

  double metrics_cost = 0, sessions = 0;
  testing::for_each_line(run.summary.metrics_path, [&](const std::string& line) {
    const json request = json::parse(line);
    for (const json& metric : request["resourceMetrics"][0]["scopeMetrics"][0]["metrics"]) {
      for (const json& point : metric["sum"]["dataPoints"]) {
        if (metric["name"] == "claude_code.cost.usage")
          metrics_cost += point["asDouble"].get<double>();
        if (metric["name"] == "claude_code.session.count")
          sessions += point["asDouble"].get<double>();
      }
    }
    return true;
  });
  EXPECT_EQ(sessions, static_cast<double>(session_starts(run.events).size()));
  EXPECT_EQ(sessions, static_cast<double>(run.summary.sessions));
  EXPECT_NEAR(metrics_cost, telemetry_cost, 1e-6 * telemetry_cost);
}

// ---- Bad files --------------------------------------------------------------------------------

TEST(Scenario, BadFilesAreRejectedNamingTheFieldAndWriteNothing) {
  TempDir temp("scenario_bad");
  const auto target = temp.path() / "out";
  const auto path = temp.path() / "bad.json";
  auto expect_rejected = [&](const std::string& scenario, const std::string& mentions,
                             GenerateOptions options = options_for(5, 10, 3)) {
    std::ofstream(path) << scenario;
    options.output_dir = target.string();
    options.scenario_file = path.string();
    try {
      generate_dataset(options);
      ADD_FAILURE() << "accepted " << scenario;
    } catch (const std::runtime_error& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find(mentions), std::string::npos) << message;
      EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    }
    EXPECT_FALSE(std::filesystem::exists(target)) << scenario;
  };
  const std::string spike = R"("kind": "spend_spike", "practice": "ML Engineering", )";
  const std::string range = R"("from": "2026-01-10", "to": "2026-01-11")";

  expect_rejected(R"({"trend": )", "not valid JSON");
  expect_rejected("[1, 2]", "must hold a JSON object");
  expect_rejected(R"({"trends": {"growth_per_week": 0.1}})", "'trends' is not a scenario field");
  expect_rejected(R"({"trend": {}})", "trend.growth_per_week is required");
  expect_rejected(R"({"trend": {"growth_per_week": -1}})", "trend.growth_per_week must be");
  expect_rejected(R"({"trend": {"growth_per_week": "10%"}})", "trend.growth_per_week must be");
  expect_rejected(R"({"weekly_rhythm": [1, 1, 1, 1, 1, 1]})",
                  "weekly_rhythm must be an array of 7");
  expect_rejected(R"({"weekly_rhythm": [1, 1, 1, 1, 1, -0.5, 1]})",
                  "weekly_rhythm[5] must be a number between 0 and");
  expect_rejected(R"({"weekly_rhythm": [0, 0, 0, 0, 0, 0, 0]})", "weekly_rhythm must give");
  expect_rejected(R"({"incidents": {}})", "incidents must be an array");
  expect_rejected(R"({"incidents": [{"practice": "ML Engineering"}]})",
                  "incidents[0].kind is required");
  expect_rejected(R"({"incidents": [{"kind": "outage", )" + range + "}]}",
                  "incidents[0].kind 'outage' is not an incident kind");
  expect_rejected(R"({"incidents": [{"kind": "spend_spike", "practice": "Sales", "factor": 2, )" +
                      range + "}]}",
                  "incidents[0].practice 'Sales' is not a practice of the generator");
  expect_rejected("{\"incidents\": [{" + spike + R"("factor": -2, )" + range + "}]}",
                  "incidents[0].factor must be a number between 0 and 100 (got -2)");
  expect_rejected("{\"incidents\": [{" + spike + range + "}]}", "incidents[0].factor is required");
  expect_rejected("{\"incidents\": [{" + spike + R"("factr": 2, "factor": 2, )" + range + "}]}",
                  "incidents[0].factr is not a scenario field");
  expect_rejected(
      "{\"incidents\": [{" + spike + R"("factor": 2, "from": "2026-01-15", "to": "2026-01-15"}]})",
      "incidents[0].from (2026-01-15) must be before incidents[0].to (2026-01-15)");
  expect_rejected(
      "{\"incidents\": [{" + spike +
          R"("factor": 2, "from": "2026-01-15T10:00:00Z", "to": "2026-01-15T09:00:00Z"}]})",
      "must be before");
  expect_rejected(
      "{\"incidents\": [{" + spike + R"("factor": 2, "from": "2026-01-15", "to": "next week"}]})",
      "incidents[0].to must be an RFC 3339 time");
  expect_rejected(
      R"({"incidents": [{"kind": "tool_outage", "tool": "Bash", )" + range +
          R"(}, {"kind": "error_burst", "model": "claude-opus-4-6", "error_rate": 1.5, )" + range +
          "}]}",
      "incidents[1].error_rate must be a number between 0 and 1 (got 1.5)");
  expect_rejected(
      R"({"incidents": [{"kind": "error_burst", "model": "gpt-4", "error_rate": 0.5, )" + range +
          "}]}",
      "incidents[0].model 'gpt-4' is not a model of the generator");
  expect_rejected(
      R"({"incidents": [{"kind": "error_burst", "model": "claude-opus-4-6", "error_rate": 0.5, "status_code": "503", )" +
          range + "}]}",
      "incidents[0].status_code '503'");
  expect_rejected(R"({"incidents": [{"kind": "tool_outage", "tool": "bash", )" + range + "}]}",
                  "incidents[0].tool 'bash' is not a tool of the generator");
  expect_rejected(
      R"({"incidents": [{"kind": "tool_outage", "tool": "Bash", "failure_rate": -0.1, )" + range +
          "}]}",
      "incidents[0].failure_rate must be a number between 0 and 1");
  // A window of one Monday (2026-02-02) that the rhythm leaves empty.
  GenerateOptions monday = options_for(5, 10, 1);
  monday.end_date = "2026-02-03";
  expect_rejected(R"({"weekly_rhythm": [0, 1, 1, 1, 1, 1, 1]})", "weight 0", monday);

  GenerateOptions missing = options_for(5, 10, 3);
  missing.output_dir = target.string();
  missing.scenario_file = (temp.path() / "no_such.json").string();
  EXPECT_THROW(generate_dataset(missing), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(target));
}

TEST(Scenario, CommandLineExitsNonZeroWithTheMessage) {
  TempDir temp("scenario_cli");
  const auto scenario = temp.path() / "bad.json";
  std::ofstream(scenario)
      << R"({"incidents": [{"kind": "spend_spike", "practice": "ML Engineering", "factor": -1,
             "from": "2026-01-10", "to": "2026-01-11"}]})";
  const auto err = temp.path() / "stderr.txt";
  const std::string command = std::string(CCANALYTICS_BINARY) + " generate --output-dir '" +
                              (temp.path() / "out").string() + "' --scenario '" +
                              scenario.string() + "' 2>'" + err.string() + "' >/dev/null";
  const int status = std::system(command.c_str());
  EXPECT_NE(status, 0);
  EXPECT_NE(testing::read_file(err).find("incidents[0].factor must be a number between 0 and 100"),
            std::string::npos)
      << testing::read_file(err);
  EXPECT_FALSE(std::filesystem::exists(temp.path() / "out"));
}

// ---- The example files ------------------------------------------------------------------------

TEST(Scenario, ExampleFilesParseAndPlaceTheirIncidentsInTheDefaultWindow) {
  const std::filesystem::path dir = std::filesystem::path(CCANALYTICS_SOURCE_DIR) / "scenarios";
  const int64_t window_start = utc_ms(2026, 1, 2), window_end = utc_ms(2026, 2, 1);

  const Scenario steady = Scenario::load((dir / "steady.json").string());
  EXPECT_TRUE(steady.shapes_days());
  EXPECT_TRUE(steady.spend_spikes().empty() && steady.error_bursts().empty() &&
              steady.tool_outages().empty());

  const Scenario incidents = Scenario::load((dir / "incidents.json").string());
  EXPECT_TRUE(incidents.shapes_days());
  ASSERT_EQ(incidents.spend_spikes().size(), 1u);
  ASSERT_EQ(incidents.error_bursts().size(), 1u);
  ASSERT_EQ(incidents.tool_outages().size(), 1u);
  // What docs/generator.md promises of this file, for tests elsewhere that rely on it.
  const SpendSpike& spike = incidents.spend_spikes()[0];
  EXPECT_EQ(spike.practice, "ML Engineering");
  EXPECT_EQ(spike.factor, 5);
  EXPECT_EQ(spike.from_ms, utc_ms(2026, 1, 14));
  EXPECT_EQ(spike.to_ms, utc_ms(2026, 1, 15));
  const ErrorBurst& burst = incidents.error_bursts()[0];
  EXPECT_EQ(catalog::kModels[burst.model].id, "claude-opus-4-6");
  EXPECT_EQ(burst.error_rate, 0.6);
  ASSERT_EQ(burst.errors.size(), 1u);
  EXPECT_EQ(catalog::kApiErrors[burst.errors[0]].status_code, "500");
  EXPECT_EQ(burst.from_ms, utc_ms(2026, 1, 21, 13));
  EXPECT_EQ(burst.to_ms, utc_ms(2026, 1, 21, 17));
  const ToolOutage& outage = incidents.tool_outages()[0];
  EXPECT_EQ(catalog::kTools[outage.tool].name, "Bash");
  EXPECT_EQ(outage.failure_rate, 1);
  EXPECT_EQ(outage.from_ms, utc_ms(2026, 1, 27, 9));
  EXPECT_EQ(outage.to_ms, utc_ms(2026, 1, 27, 13));
  for (const auto& [from, to] :
       {std::pair{spike.from_ms, spike.to_ms}, std::pair{burst.from_ms, burst.to_ms},
        std::pair{outage.from_ms, outage.to_ms}}) {
    EXPECT_GE(from, window_start);
    EXPECT_LE(to, window_end);
  }
}

}  // namespace
}  // namespace cca::generate
