#include "generate/session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "generate/catalog.h"

namespace cca::generate {
namespace {

constexpr int kSessions = 10000;
constexpr int64_t kStartMs = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

double normal_cdf(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

std::string_view model_id(const SessionEvent& e) {
  return catalog::kModels[e.model].id;
}
std::string_view tool_name(const SessionEvent& e) {
  return catalog::kTools[e.tool].name;
}
bool accepted(const SessionEvent& e) {
  return catalog::kDecisionSources[e.decision_source].name != "user_reject";
}

// Many simulated sessions, each from its own seed as the generator does.
const std::vector<Session>& sessions() {
  static const std::vector<Session> kSessionsSimulated = [] {
    std::vector<Session> all(kSessions);
    for (int i = 0; i < kSessions; ++i) {
      Random random(derive_seed(99, static_cast<uint64_t>(i)));
      simulate_session(random, kStartMs + i * 1000, all[static_cast<size_t>(i)]);
    }
    return all;
  }();
  return kSessionsSimulated;
}

TEST(Session, StartsWithAPromptAtItsStartAndRunsForward) {
  for (size_t s = 0; s < sessions().size(); ++s) {
    const auto& events = sessions()[s].events;
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.front().kind, EventKind::kUserPrompt);
    EXPECT_EQ(events.front().time_ms, kStartMs + static_cast<int64_t>(s) * 1000);
    for (size_t i = 1; i < events.size(); ++i) {
      ASSERT_GE(events[i].time_ms, events[i - 1].time_ms) << "session " << s << " event " << i;
    }
  }
}

TEST(Session, FollowsThePromptRequestToolOrder) {
  for (const Session& session : sessions()) {
    const auto& ev = session.events;
    for (size_t i = 0; i < ev.size(); ++i) {
      const SessionEvent& e = ev[i];
      const bool last = i + 1 == ev.size();
      switch (e.kind) {
        case EventKind::kUserPrompt:
          ASSERT_FALSE(last);
          EXPECT_EQ(ev[i + 1].kind, EventKind::kApiRequest);
          EXPECT_GE(ev[i + 1].time_ms - e.time_ms, 100);
          EXPECT_LE(ev[i + 1].time_ms - e.time_ms, 2000);
          EXPECT_GE(e.prompt_length, 1);
          break;
        case EventKind::kApiError:
          // An error ends the request before it, and a retry follows after a back-off.
          ASSERT_GT(i, 0u);
          ASSERT_FALSE(last);
          EXPECT_EQ(ev[i - 1].kind, EventKind::kApiRequest);
          EXPECT_EQ(e.time_ms, ev[i - 1].time_ms + ev[i - 1].duration_ms);
          EXPECT_EQ(ev[i + 1].kind, EventKind::kApiRequest);
          EXPECT_GE(ev[i + 1].time_ms - e.time_ms, 500);
          EXPECT_LE(ev[i + 1].time_ms - e.time_ms, 3000);
          EXPECT_GE(e.attempt, 1);
          EXPECT_LE(e.attempt, 3);
          EXPECT_GE(e.duration_ms, 50);
          break;
        case EventKind::kApiRequest:
          EXPECT_GE(e.duration_ms, 100);
          EXPECT_GE(e.input_tokens, 0);
          EXPECT_GE(e.output_tokens, 1);
          EXPECT_GE(e.cache_read_tokens, 0);
          EXPECT_GE(e.cache_creation_tokens, 0);
          EXPECT_GE(e.cost_usd, 0);
          if (!last) {
            EXPECT_GE(ev[i + 1].time_ms, e.time_ms + e.duration_ms);
          }
          break;
        case EventKind::kToolDecision:
          // An accepted tool runs and reports; a rejected one does not.
          if (accepted(e)) {
            ASSERT_FALSE(last);
            EXPECT_EQ(ev[i + 1].kind, EventKind::kToolResult);
          } else if (!last) {
            EXPECT_NE(ev[i + 1].kind, EventKind::kToolResult);
          }
          break;
        case EventKind::kToolResult:
          ASSERT_GT(i, 0u);
          EXPECT_EQ(ev[i - 1].kind, EventKind::kToolDecision);
          EXPECT_EQ(tool_name(ev[i - 1]), tool_name(e));
          EXPECT_GE(e.time_ms - ev[i - 1].time_ms, 1);
          EXPECT_LE(e.time_ms - ev[i - 1].time_ms, 50);
          EXPECT_GE(e.duration_ms, 0);
          if (e.has_result_size) {
            EXPECT_GE(e.result_size_bytes, 10);
            EXPECT_LE(e.result_size_bytes, 50000);
          }
          if (!last) {
            EXPECT_GE(ev[i + 1].time_ms, e.time_ms + e.duration_ms);
          }
          break;
      }
    }
  }
}

// Turns: max(1, int(lognormal(1.5, 1.0))) capped at 100; cycles: max(1, int(lognormal(1.0,
// 0.8))) capped at 30; tools per cycle 0-3 weighted 15/50/25/10; errors with p = 0.012.
TEST(Session, TurnsCyclesToolsAndErrorsFollowTheReferenceDistributions) {
  int one_turn_sessions = 0, turns = 0, one_cycle_turns = 0, cycles = 0, errors = 0;
  int min_gap_between_turns = 1 << 30;
  std::vector<int> tools_per_cycle(4, 0);
  for (const Session& session : sessions()) {
    int session_turns = 0, turn_cycles = 0, cycle_tools = -1;
    int64_t turn_end = 0;
    auto close_cycle = [&] {
      if (cycle_tools >= 0) ++tools_per_cycle[static_cast<size_t>(std::min(cycle_tools, 3))];
    };
    auto close_turn = [&] {
      close_cycle();
      if (session_turns > 0) {
        EXPECT_LE(turn_cycles, 30);
        one_cycle_turns += turn_cycles == 1;
      }
    };
    for (size_t i = 0; i < session.events.size(); ++i) {
      const SessionEvent& e = session.events[i];
      if (e.kind == EventKind::kUserPrompt) {
        close_turn();
        if (session_turns > 0)
          min_gap_between_turns =
              std::min<int>(min_gap_between_turns, static_cast<int>(e.time_ms - turn_end));
        ++session_turns;
        ++turns;
        turn_cycles = 0;
        cycle_tools = -1;
      } else if (e.kind == EventKind::kApiRequest &&
                 session.events[i - 1].kind != EventKind::kApiError) {
        close_cycle();
        ++turn_cycles;
        ++cycles;
        cycle_tools = 0;
      } else if (e.kind == EventKind::kToolDecision) {
        ++cycle_tools;
      } else if (e.kind == EventKind::kApiError) {
        ++errors;
      }
      turn_end = std::max(turn_end, e.time_ms + e.duration_ms);
    }
    close_turn();
    EXPECT_LE(session_turns, 100);
    one_turn_sessions += session_turns == 1;
  }
  EXPECT_NEAR(static_cast<double>(one_turn_sessions) / kSessions,
              normal_cdf((std::log(2.0) - 1.5) / 1.0), 0.015);
  EXPECT_NEAR(static_cast<double>(one_cycle_turns) / turns, normal_cdf((std::log(2.0) - 1.0) / 0.8),
              0.01);
  const double expected_tools[] = {0.15, 0.50, 0.25, 0.10};
  for (size_t n = 0; n < 4; ++n) {
    EXPECT_NEAR(static_cast<double>(tools_per_cycle[n]) / cycles, expected_tools[n], 0.006)
        << n << " tools";
  }
  EXPECT_NEAR(static_cast<double>(errors) / cycles, 0.012, 0.0015);
  // 5-120 s between turns, plus the 50-500 ms that follow every cycle.
  EXPECT_GE(min_gap_between_turns, 5050);
}

// Figures from the telemetry format notes, written out here rather than read from the catalog.
TEST(Session, ModelsFollowTheirWeightsAndMedianCosts) {
  const std::map<std::string, std::pair<double, double>> expected = {
      {"claude-haiku-4-5-20251001", {362, 0.0033}},
      {"claude-opus-4-6", {203, 0.071}},
      {"claude-opus-4-5-20251101", {185, 0.084}},
      {"claude-sonnet-4-5-20250929", {155, 0.062}},
      {"claude-sonnet-4-6", {21, 0.066}}};
  std::map<std::string, std::vector<double>> costs;
  size_t requests = 0;
  for (const Session& session : sessions()) {
    for (const SessionEvent& e : session.events) {
      if (e.kind != EventKind::kApiRequest) continue;
      costs[std::string(model_id(e))].push_back(e.cost_usd);
      ++requests;
    }
  }
  ASSERT_EQ(costs.size(), expected.size());
  for (auto& [model, values] : costs) {
    const auto& [weight, mean_cost] = expected.at(model);
    EXPECT_NEAR(static_cast<double>(values.size()) / requests, weight / 926, 0.005) << model;
    // Costs are max(0, normal(mean, sd)): clipping moves the mean but not the median.
    std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
    EXPECT_NEAR(values[values.size() / 2] / mean_cost, 1.0, 0.05) << model;
  }
}

TEST(Session, ToolsFollowTheirWeightsSuccessRatesAndDurations) {
  struct Expected {
    double weight, success, median_duration;
  };
  const std::map<std::string, Expected> expected = {
      {"Read", {190, 0.986, 34}},    {"Bash", {176, 0.933, 5169}},
      {"Edit", {79, 0.99, 1817}},    {"Grep", {47, 0.99, 474}},
      {"Glob", {29, 0.99, 750}},     {"mcp_tool", {26, 0.968, 2531}},
      {"Write", {18, 0.99, 349}},    {"Task", {11, 0.99, 476282}},
      {"WebFetch", {2, 0.95, 4968}}, {"WebSearch", {2, 0.95, 193087}}};
  std::map<std::string, int> decisions, successes, rejections;
  std::map<std::string, std::vector<int64_t>> durations;
  int total_decisions = 0, total_rejections = 0;
  for (const Session& session : sessions()) {
    for (const SessionEvent& e : session.events) {
      const std::string tool(tool_name(e));
      if (e.kind == EventKind::kToolDecision) {
        ++decisions[tool];
        ++total_decisions;
        total_rejections += !accepted(e);
      } else if (e.kind == EventKind::kToolResult) {
        successes[tool] += e.success;
        durations[tool].push_back(e.duration_ms);
      }
    }
  }
  EXPECT_NEAR(static_cast<double>(total_rejections) / total_decisions, 0.02, 0.003);
  for (const auto& [tool, figures] : expected) {
    const auto results = static_cast<double>(durations[tool].size());
    ASSERT_GT(results, 100) << tool;
    EXPECT_NEAR(decisions[tool] / static_cast<double>(total_decisions), figures.weight / 622, 0.004)
        << tool;
    const double se = std::sqrt(figures.success * (1 - figures.success) / results);
    EXPECT_NEAR(successes[tool] / results, figures.success, 4 * se + 1e-3) << tool;
    auto& d = durations[tool];
    std::nth_element(d.begin(), d.begin() + d.size() / 2, d.end());
    EXPECT_NEAR(static_cast<double>(d[d.size() / 2]) / figures.median_duration, 1.0, 0.1) << tool;
  }
}

TEST(Session, SameSeedSameSessionAndIdsAreUnique) {
  Session a, b;
  Random random_a(derive_seed(99, 5)), random_b(derive_seed(99, 5));
  simulate_session(random_a, kStartMs + 5000, a);
  simulate_session(random_b, kStartMs + 5000, b);
  EXPECT_EQ(a.id, sessions()[5].id);
  EXPECT_EQ(a.id, b.id);
  ASSERT_EQ(a.events.size(), sessions()[5].events.size());
  for (size_t i = 0; i < a.events.size(); ++i) {
    EXPECT_EQ(a.events[i].time_ms, sessions()[5].events[i].time_ms);
    EXPECT_EQ(a.events[i].cost_usd, sessions()[5].events[i].cost_usd);
  }
  std::set<std::string> ids;
  for (const Session& session : sessions()) ids.insert(session.id);
  EXPECT_EQ(ids.size(), sessions().size());
}

}  // namespace
}  // namespace cca::generate
