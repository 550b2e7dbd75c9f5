// Checks a generated dataset the way a consumer sees it: parsed line by line with nlohmann
// (not the project's parsers), compared with the figures of the telemetry format notes and,
// when present, with the reference dataset itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "generate/generator.h"
#include "generate/python_float.h"
#include "generate/test_support.h"

namespace cca::generate {
namespace {

using Json = nlohmann::ordered_json;  // keeps key order, which is part of the shape
using testing::for_each_line;
using testing::parse_utc_ms;

// Big enough for the proportions below, small enough to parse with nlohmann in a few seconds
// (ctest runs every test in its own process, each parsing the dataset anew).
constexpr int kUsers = 40;
constexpr int kSessions = 800;
constexpr int kDays = 30;
constexpr int64_t kEndMs = 1'769'904'000'000;  // 2026-02-01T00:00:00Z

bool is_canonical_integer(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos &&
         (text[0] != '0' || text.size() == 1);
}

std::string keys_of(const Json& object) {
  std::string keys;
  for (const auto& [key, value] : object.items()) keys += key + ",";
  return keys;
}

// What one dataset looks like, gathered in a single pass.
struct DatasetFacts {
  uint64_t lines = 0, events = 0;
  std::map<size_t, uint64_t> batch_sizes;
  std::set<std::string> envelope_key_orders, log_event_key_orders, message_key_orders,
      scope_key_orders, resource_key_orders;
  std::map<std::string, std::set<std::string>> attribute_key_orders;  // by event name
  uint64_t wrong_envelope_values = 0, wrong_batch_dates = 0;

  std::map<size_t, uint64_t> id_lengths;
  uint64_t ids_not_decimal = 0, duplicate_ids = 0;
  uint64_t unsorted = 0, timestamp_mismatches = 0, non_string_attributes = 0, wrong_bodies = 0;
  uint64_t non_canonical_integers = 0, unredacted_prompts = 0, resource_emails_set = 0;

  std::map<std::string, uint64_t> event_counts;
  std::map<std::string, std::vector<double>> costs_by_model;
  std::map<std::string, std::pair<uint64_t, uint64_t>> tool_results;  // successes, all
  std::vector<std::string> cost_texts;

  struct Session {
    int64_t first_ms = 0;
    std::string first_event, identity;
  };
  std::unordered_map<std::string, Session> sessions;
  uint64_t sessions_with_two_identities = 0;
  std::map<std::string, std::string> identity_by_email;
  uint64_t users_with_two_identities = 0;
  std::map<std::string, std::string> practice_by_email;

  void add_line(const std::string& line);

 private:
  std::unordered_set<std::string> ids_;
  int64_t previous_ms_ = 0;
};

void DatasetFacts::add_line(const std::string& line) {
  static const std::set<std::string> kIntegerAttributes = {
      "prompt_length",         "input_tokens", "output_tokens", "cache_read_tokens",
      "cache_creation_tokens", "duration_ms",  "attempt",       "tool_result_size_bytes"};

  const Json batch = Json::parse(line);
  ++lines;
  envelope_key_orders.insert(keys_of(batch));
  wrong_envelope_values +=
      batch["messageType"] != "DATA_MESSAGE" || batch["owner"] != "123456789012" ||
      batch["logGroup"] != "/claude-code/telemetry" || batch["logStream"] != "otel-collector" ||
      batch["subscriptionFilters"] != Json::array({"logs-to-s3"});
  const Json& log_events = batch.at("logEvents");
  ++batch_sizes[log_events.size()];

  bool first_in_batch = true;
  for (const Json& log_event : log_events) {
    ++events;
    log_event_key_orders.insert(keys_of(log_event));
    const std::string id = log_event.at("id").get<std::string>();
    ++id_lengths[id.size()];
    ids_not_decimal +=
        id.empty() || id[0] == '0' || id.find_first_not_of("0123456789") != std::string::npos;
    duplicate_ids += !ids_.insert(id).second;

    const int64_t timestamp = log_event.at("timestamp").get<int64_t>();
    unsorted += timestamp < previous_ms_;
    previous_ms_ = timestamp;
    if (first_in_batch) {
      using namespace std::chrono;
      const year_month_day day{floor<days>(sys_time<milliseconds>(milliseconds(timestamp)))};
      wrong_batch_dates += batch["year"] != static_cast<int>(day.year()) ||
                           batch["month"] != static_cast<unsigned>(day.month()) ||
                           batch["day"] != static_cast<unsigned>(day.day());
      first_in_batch = false;
    }

    const Json message = Json::parse(log_event.at("message").get<std::string>());
    message_key_orders.insert(keys_of(message));
    scope_key_orders.insert(keys_of(message.at("scope")));
    resource_key_orders.insert(keys_of(message.at("resource")));
    const Json& attributes = message.at("attributes");
    for (const auto& [key, value] : attributes.items()) {
      if (!value.is_string()) {
        ++non_string_attributes;
      } else if (kIntegerAttributes.contains(key)) {
        non_canonical_integers += !is_canonical_integer(value.get<std::string>());
      }
    }
    const std::string name = attributes.at("event.name").get<std::string>();
    ++event_counts[name];
    attribute_key_orders[name].insert(keys_of(attributes));
    wrong_bodies += message.at("body") != "claude_code." + name;
    const auto event_ms = parse_utc_ms(attributes.at("event.timestamp").get<std::string>());
    timestamp_mismatches += !event_ms || *event_ms != timestamp;

    const Json& resource = message.at("resource");
    const std::string email = attributes.at("user.email").get<std::string>();
    resource_emails_set += resource.at("user.email") != "";
    practice_by_email[email] = resource.at("user.practice").get<std::string>();
    const std::string identity = email + "|" + attributes.at("user.id").get<std::string>() + "|" +
                                 attributes.at("user.account_uuid").get<std::string>() + "|" +
                                 attributes.at("organization.id").get<std::string>() + "|" +
                                 attributes.at("terminal.type").get<std::string>() + "|" +
                                 resource.dump() + "|" + message.at("scope").dump();
    auto [user, new_user] = identity_by_email.try_emplace(email, identity);
    users_with_two_identities += !new_user && user->second != identity;
    const std::string session_id = attributes.at("session.id").get<std::string>();
    auto [session, new_session] = sessions.try_emplace(session_id);
    if (new_session) {
      session->second = {timestamp, name, identity};
    } else {
      sessions_with_two_identities += session->second.identity != identity;
    }

    if (name == "user_prompt") {
      unredacted_prompts += attributes.at("prompt") != "<REDACTED>";
    } else if (name == "api_request") {
      const std::string cost = attributes.at("cost_usd").get<std::string>();
      cost_texts.push_back(cost);
      costs_by_model[attributes.at("model").get<std::string>()].push_back(std::stod(cost));
    } else if (name == "tool_result") {
      auto& [successes, all] = tool_results[attributes.at("tool_name").get<std::string>()];
      successes += attributes.at("success") == "true";
      ++all;
    }
  }
}

double mean(const std::vector<double>& values) {
  double sum = 0;
  for (const double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

double standard_error(const std::vector<double>& values) {
  const double m = mean(values);
  double squares = 0;
  for (const double v : values) squares += (v - m) * (v - m);
  return std::sqrt(squares / static_cast<double>(values.size() - 1)) /
         std::sqrt(static_cast<double>(values.size()));
}

struct Generated {
  testing::TempDir temp{"dataset"};
  GenerateSummary summary;
  DatasetFacts facts;
};

// Built once per process (each test may run in its own) and removed at exit.
const Generated& generated() {
  static const std::unique_ptr<Generated> kGenerated = [] {
    auto result = std::make_unique<Generated>();
    GenerateOptions options;
    options.output_dir = result->temp.path().string();
    options.num_users = kUsers;
    options.num_sessions = kSessions;
    options.days = kDays;
    options.seed = 2026;
    result->summary = generate_dataset(options);
    for_each_line(result->summary.telemetry_path, [&](const std::string& line) {
      result->facts.add_line(line);
      return true;
    });
    return result;
  }();
  return *kGenerated;
}

// The small reference dataset, or null when it is not on this machine.
const DatasetFacts* reference() {
  static const std::unique_ptr<DatasetFacts> kReference = []() -> std::unique_ptr<DatasetFacts> {
    const auto path = testing::datasets_dir() / "reference-30u-500s" / "telemetry_logs.jsonl.gz";
    if (!std::filesystem::exists(path)) return nullptr;
    auto facts = std::make_unique<DatasetFacts>();
    for_each_line(path, [&](const std::string& line) {
      facts->add_line(line);
      return true;
    });
    return facts;
  }();
  return kReference.get();
}

class GeneratedDataset : public ::testing::Test {
 protected:
  void SetUp() override {
    summary_ = &generated().summary;
    facts_ = &generated().facts;
  }

  double share(const std::string& event_name) const {
    return static_cast<double>(facts_->event_counts.at(event_name)) /
           static_cast<double>(facts_->events);
  }

  const GenerateSummary* summary_ = nullptr;
  const DatasetFacts* facts_ = nullptr;
};

TEST_F(GeneratedDataset, SummaryCountsWhatTheFileHolds) {
  EXPECT_EQ(summary_->events, facts_->events);
  EXPECT_EQ(summary_->batches, facts_->lines);
  EXPECT_EQ(summary_->sessions, static_cast<uint64_t>(kSessions));
  EXPECT_EQ(facts_->sessions.size(), static_cast<size_t>(kSessions));
  EXPECT_EQ(summary_->users, static_cast<uint64_t>(kUsers));
  EXPECT_GT(facts_->events, 40'000u);  // about 90 events a session
}

TEST_F(GeneratedDataset, BatchesAreTimeOrderedCloudWatchEnvelopesOfOneToTenEvents) {
  EXPECT_EQ(facts_->envelope_key_orders,
            std::set<std::string>{"messageType,owner,logGroup,logStream,subscriptionFilters,"
                                  "logEvents,year,month,day,"});
  EXPECT_EQ(facts_->log_event_key_orders, std::set<std::string>{"id,timestamp,message,"});
  EXPECT_EQ(facts_->wrong_envelope_values, 0u);
  EXPECT_EQ(facts_->wrong_batch_dates, 0u);
  ASSERT_EQ(facts_->batch_sizes.size(), 10u);
  EXPECT_EQ(facts_->batch_sizes.begin()->first, 1u);
  EXPECT_EQ(facts_->batch_sizes.rbegin()->first, 10u);
  // Sizes are uniform: each holds about a tenth of the batches.
  for (const auto& [size, count] : facts_->batch_sizes) {
    EXPECT_NEAR(static_cast<double>(count) / facts_->lines, 0.1, 0.01) << "size " << size;
  }

  // Log event ids: unique decimal strings of 56 or 57 digits, as CloudWatch's.
  EXPECT_EQ(facts_->ids_not_decimal, 0u);
  EXPECT_EQ(facts_->duplicate_ids, 0u);
  ASSERT_EQ(facts_->id_lengths.size(), 2u);
  EXPECT_NEAR(static_cast<double>(facts_->id_lengths.at(56)) / facts_->events, 1.0 / 11, 0.005);
  EXPECT_EQ(facts_->id_lengths.at(56) + facts_->id_lengths.at(57), facts_->events);

  // Events in time order; the epoch-ms timestamp and event.timestamp agree.
  EXPECT_EQ(facts_->unsorted, 0u);
  EXPECT_EQ(facts_->timestamp_mismatches, 0u);
}

TEST_F(GeneratedDataset, MessagesHaveTheClaudeCodeLayout) {
  EXPECT_EQ(facts_->message_key_orders, std::set<std::string>{"body,attributes,scope,resource,"});
  EXPECT_EQ(facts_->scope_key_orders, std::set<std::string>{"name,version,"});
  EXPECT_EQ(facts_->resource_key_orders,
            std::set<std::string>{"host.arch,host.name,os.type,os.version,service.name,"
                                  "service.version,user.email,user.practice,user.profile,"
                                  "user.serial,"});
  EXPECT_EQ(facts_->non_string_attributes, 0u);
  EXPECT_EQ(facts_->non_canonical_integers, 0u);
  EXPECT_EQ(facts_->wrong_bodies, 0u);
  EXPECT_EQ(facts_->unredacted_prompts, 0u);
  EXPECT_EQ(facts_->resource_emails_set, 0u);
  const std::string common =
      "event.timestamp,organization.id,session.id,terminal.type,user.account_uuid,user.email,"
      "user.id,event.name,";
  const std::map<std::string, std::set<std::string>> expected = {
      {"user_prompt", {common + "prompt,prompt_length,"}},
      {"api_request",
       {common + "cache_creation_tokens,cache_read_tokens,cost_usd,duration_ms,input_tokens,"
                 "model,output_tokens,"}},
      {"api_error", {common + "attempt,duration_ms,error,model,status_code,"}},
      {"tool_decision", {common + "decision,source,tool_name,"}},
      {"tool_result",
       {common + "decision_source,decision_type,duration_ms,success,tool_name,",
        common + "decision_source,decision_type,duration_ms,success,tool_name,"
                 "tool_result_size_bytes,"}}};
  EXPECT_EQ(facts_->attribute_key_orders, expected);
}

// Event types against the reference's 500 sessions: tool_decision 16,536, tool_result 16,191,
// api_request 12,781, user_prompt 3,714 and api_error 157 of 49,379 events. Session lengths
// are heavy-tailed, so the shares of two samples differ by a few per cent; the tolerances
// allow for that. Models and tools against the figures of the format notes.
TEST_F(GeneratedDataset, EventModelAndToolMixFollowsTheReferenceFigures) {
  constexpr double kReferenceEvents = 49379;
  EXPECT_EQ(facts_->event_counts.size(), 5u);
  EXPECT_NEAR(share("tool_decision"), 16536 / kReferenceEvents, 0.01);
  EXPECT_NEAR(share("tool_result"), 16191 / kReferenceEvents, 0.01);
  EXPECT_NEAR(share("api_request"), 12781 / kReferenceEvents, 0.01);
  EXPECT_NEAR(share("user_prompt") / (3714 / kReferenceEvents), 1.0, 0.1);
  EXPECT_NEAR(share("api_error") / (157 / kReferenceEvents), 1.0, 0.25);

  const std::map<std::string, std::pair<double, double>> weight_and_mean_cost = {
      {"claude-haiku-4-5-20251001", {362, 0.0033}},
      {"claude-opus-4-6", {203, 0.071}},
      {"claude-opus-4-5-20251101", {185, 0.084}},
      {"claude-sonnet-4-5-20250929", {155, 0.062}},
      {"claude-sonnet-4-6", {21, 0.066}}};
  ASSERT_EQ(facts_->costs_by_model.size(), weight_and_mean_cost.size());
  const double requests = static_cast<double>(facts_->event_counts.at("api_request"));
  for (auto [model, costs] : facts_->costs_by_model) {
    const auto [weight, mean_cost] = weight_and_mean_cost.at(model);
    EXPECT_NEAR(costs.size() / requests, weight / 926, 0.01) << model;
    EXPECT_GE(*std::min_element(costs.begin(), costs.end()), 0.0) << model;
    // The table's mean is that of the normal before clipping at 0, hence the median here.
    // Rare models have too few requests in this sample; the session tests cover them.
    if (costs.size() < 2000) continue;
    std::nth_element(costs.begin(), costs.begin() + costs.size() / 2, costs.end());
    EXPECT_NEAR(costs[costs.size() / 2] / mean_cost, 1.0, 0.12) << model;
  }

  const std::map<std::string, double> success_rates = {
      {"Read", 0.986}, {"Bash", 0.933}, {"Edit", 0.99}, {"Grep", 0.99}, {"mcp_tool", 0.968}};
  for (const auto& [tool, rate] : success_rates) {
    ASSERT_TRUE(facts_->tool_results.contains(tool)) << tool;
    const auto [successes, all] = facts_->tool_results.at(tool);
    ASSERT_GT(all, 500u) << tool;
    const double se = std::sqrt(rate * (1 - rate) / static_cast<double>(all));
    EXPECT_NEAR(static_cast<double>(successes) / all, rate, 4 * se + 1e-3) << tool;
  }
}

TEST_F(GeneratedDataset, SessionsStartInTheWindowAndKeepOneUser) {
  constexpr int64_t kWindowStart = kEndMs - int64_t{kDays} * 86'400'000;
  int business_hours = 0;
  for (const auto& [id, session] : facts_->sessions) {
    EXPECT_EQ(session.first_event, "user_prompt") << id;
    EXPECT_GE(session.first_ms, kWindowStart) << id;
    EXPECT_LT(session.first_ms, kEndMs) << id;
    EXPECT_EQ(session.first_ms % 60'000, 0) << id;  // on a whole minute
    const int64_t hour = session.first_ms / 3'600'000 % 24;
    business_hours += hour >= 9 && hour <= 17;
  }
  // 9-17 with p = 0.7, else any of 24 hours: 0.7 + 0.3 * 9 / 24.
  const double expected = 0.7 + 0.3 * 9 / 24;
  const double se = std::sqrt(expected * (1 - expected) / kSessions);
  EXPECT_NEAR(static_cast<double>(business_hours) / kSessions, expected, 4 * se);

  // Every event of a session, and of a user, carries the same identity and resource.
  EXPECT_EQ(facts_->sessions_with_two_identities, 0u);
  EXPECT_EQ(facts_->users_with_two_identities, 0u);
  EXPECT_EQ(facts_->identity_by_email.size(), static_cast<size_t>(kUsers));
}

TEST_F(GeneratedDataset, EmployeesCsvHasOneValidRowPerUser) {
  const std::set<std::string> practices = {"Platform Engineering", "Data Engineering",
                                           "ML Engineering", "Backend Engineering",
                                           "Frontend Engineering"};
  const std::set<std::string> locations = {"United States", "Germany", "United Kingdom", "Poland",
                                           "Canada"};
  const std::regex level("L([1-9]|10)");
  const std::regex email_form("([a-z]+)\\.([a-z]+)[0-9]*@example\\.com");
  std::vector<std::string> lines;
  for_each_line(summary_->employees_path, [&](const std::string& line) {
    lines.push_back(line);
    return true;
  });
  ASSERT_EQ(lines.size(), static_cast<size_t>(kUsers) + 1);
  EXPECT_EQ(lines[0], "email,full_name,practice,level,location");
  EXPECT_EQ(testing::read_file(summary_->employees_path).back(), '\n');

  std::set<std::string> emails;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> fields;
    std::stringstream row(lines[i]);
    for (std::string field; std::getline(row, field, ',');) fields.push_back(field);
    ASSERT_EQ(fields.size(), 5u) << lines[i];
    std::smatch name;
    ASSERT_TRUE(std::regex_match(fields[0], name, email_form)) << fields[0];
    std::string first = name[1], last = name[2];
    first[0] = static_cast<char>(std::toupper(first[0]));
    last[0] = static_cast<char>(std::toupper(last[0]));
    EXPECT_EQ(fields[1], first + " " + last);
    EXPECT_TRUE(practices.contains(fields[2])) << fields[2];
    EXPECT_TRUE(std::regex_match(fields[3], level)) << fields[3];
    EXPECT_TRUE(locations.contains(fields[4])) << fields[4];
    EXPECT_TRUE(emails.insert(fields[0]).second) << "duplicate " << fields[0];
    // The telemetry's resource carries the same practice as the directory.
    if (facts_->practice_by_email.contains(fields[0])) {
      EXPECT_EQ(facts_->practice_by_email.at(fields[0]), fields[2]) << fields[0];
    }
  }
  for (const auto& [email, identity] : facts_->identity_by_email) {
    EXPECT_TRUE(emails.contains(email)) << email << " is not in the directory";
  }
}

// ---- Against the reference dataset -----------------------------------------------------------

class AgainstReference : public GeneratedDataset {
 protected:
  void SetUp() override {
    reference_ = reference();
    if (reference_ == nullptr) {
      GTEST_SKIP() << "reference dataset not found under " << testing::datasets_dir()
                   << " (set CCANALYTICS_DATASETS)";
    }
    GeneratedDataset::SetUp();
  }

  const DatasetFacts* reference_ = nullptr;
};

TEST_F(AgainstReference, WrittenKeyForKeyAndNumberForNumberAsTheReference) {
  EXPECT_EQ(facts_->envelope_key_orders, reference_->envelope_key_orders);
  EXPECT_EQ(facts_->log_event_key_orders, reference_->log_event_key_orders);
  EXPECT_EQ(facts_->message_key_orders, reference_->message_key_orders);
  EXPECT_EQ(facts_->scope_key_orders, reference_->scope_key_orders);
  EXPECT_EQ(facts_->resource_key_orders, reference_->resource_key_orders);
  EXPECT_EQ(facts_->attribute_key_orders, reference_->attribute_key_orders);
  EXPECT_EQ(facts_->id_lengths.size(), reference_->id_lengths.size());
  EXPECT_EQ(reference_->non_canonical_integers, 0u);  // the integer check itself is sound

  // Costs: every one of the reference's, read and written again, comes out the same.
  ASSERT_FALSE(reference_->cost_texts.empty());
  for (const std::string& text : reference_->cost_texts) {
    if (text == "0") continue;
    char buffer[kMaxPythonFloatChars];
    ASSERT_EQ(std::string(buffer, put_python_float(buffer, std::stod(text))), text);
  }
  // Both write a cost clipped at the floor as the integer 0.
  const auto has_zero = [](const std::vector<std::string>& texts) {
    return std::find(texts.begin(), texts.end(), "0") != texts.end();
  };
  EXPECT_TRUE(has_zero(reference_->cost_texts));
  EXPECT_TRUE(has_zero(facts_->cost_texts));
}

// Realised means after clipping, and success rates, within four standard errors of the
// difference between the two samples.
TEST_F(AgainstReference, CostsAndToolSuccessMatchTheReference) {
  ASSERT_EQ(facts_->costs_by_model.size(), reference_->costs_by_model.size());
  for (const auto& [model, reference_costs] : reference_->costs_by_model) {
    ASSERT_TRUE(facts_->costs_by_model.contains(model)) << model;
    const std::vector<double>& costs = facts_->costs_by_model.at(model);
    const double tolerance = 4 * std::hypot(standard_error(costs), standard_error(reference_costs));
    EXPECT_NEAR(mean(costs), mean(reference_costs), tolerance) << model;
  }
  for (const auto& [tool, reference_counts] : reference_->tool_results) {
    const auto [reference_successes, reference_all] = reference_counts;
    const auto ours = facts_->tool_results.find(tool);
    if (ours == facts_->tool_results.end()) continue;
    const auto [successes, all] = ours->second;
    if (reference_all < 300 || all < 300) continue;
    const double p = static_cast<double>(reference_successes) / reference_all;
    const double q = static_cast<double>(successes) / all;
    const double se = std::sqrt(p * (1 - p) / reference_all + q * (1 - q) / all);
    EXPECT_NEAR(q, p, 4 * se + 1e-3) << tool;
  }
}

}  // namespace
}  // namespace cca::generate
