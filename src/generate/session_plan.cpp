#include "generate/session_plan.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/time_util.h"
#include "generate/catalog.h"
#include "generate/scenario.h"

namespace cca::generate {
namespace {

// Spend spikes multiply sessions, and overlapping ones multiply their factors: past this many
// sessions in all (1.6 GB of plan) the scenario is refused rather than exhaust memory.
constexpr size_t kMaxPlannedSessions = 100'000'000;

void sort_plan(std::vector<PlannedSession>& plan) {
  std::sort(plan.begin(), plan.end(), [](const PlannedSession& a, const PlannedSession& b) {
    return a.start_ms != b.start_ms ? a.start_ms < b.start_ms : a.ordinal < b.ordinal;
  });
}

// Days drawn in proportion to a scenario's weights (a zero weight is never drawn).
class DayChoice {
 public:
  explicit DayChoice(const std::vector<double>& weights) {
    double total = 0;
    for (const double weight : weights) cumulative_.push_back(total += weight);
  }
  int64_t pick(Random& random) const {
    const double ticket = random.uniform01() * cumulative_.back();
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), ticket);
    return std::min<int64_t>(it - cumulative_.begin(),
                             static_cast<int64_t>(cumulative_.size()) - 1);
  }

 private:
  std::vector<double> cumulative_;
};

}  // namespace

std::vector<PlannedSession> plan_sessions(int num_sessions, int num_users, int64_t window_start_ms,
                                          int days, Random& random, const Scenario* scenario) {
  std::optional<DayChoice> day_choice;
  if (scenario != nullptr && scenario->shapes_days())
    day_choice.emplace(scenario->day_weights(window_start_ms, days));

  std::vector<PlannedSession> plan(static_cast<size_t>(num_sessions));
  for (uint32_t i = 0; i < plan.size(); ++i) {
    PlannedSession& session = plan[i];
    session.ordinal = i;
    session.user = static_cast<uint32_t>(random.uniform_int(0, num_users - 1));
    const int64_t day = day_choice ? day_choice->pick(random) : random.uniform_int(0, days - 1);
    const int64_t hour =
        random.bernoulli(catalog::kBusinessHoursProbability)
            ? random.uniform_int(catalog::kBusinessHourFirst, catalog::kBusinessHourLast)
            : random.uniform_int(0, 23);
    const int64_t minute = random.uniform_int(0, 59);
    session.start_ms = window_start_ms + day * kMsPerDay + hour * kMsPerHour + minute * 60'000;
  }
  sort_plan(plan);
  return plan;
}

void apply_spend_spikes(std::vector<PlannedSession>& plan, const std::vector<User>& users,
                        const Scenario& scenario, Random& random) {
  std::map<std::string_view, std::vector<uint32_t>> users_by_practice;
  for (uint32_t u = 0; u < users.size(); ++u) users_by_practice[users[u].practice].push_back(u);

  uint32_t next_ordinal = 0;
  for (const PlannedSession& session : plan)
    next_ordinal = std::max(next_ordinal, session.ordinal + 1);

  std::vector<PlannedSession> result;
  result.reserve(plan.size());
  for (const PlannedSession& session : plan) {
    const std::string_view practice = users[session.user].practice;
    const double factor = scenario.spend_factor(practice, session.start_ms);
    if (factor == 1) {
      result.push_back(session);
      continue;
    }
    if (factor < 1) {
      if (random.bernoulli(factor)) result.push_back(session);
      continue;
    }
    result.push_back(session);
    const double more = factor - 1;
    const double whole = std::floor(more);
    int64_t added = static_cast<int64_t>(whole);
    if (more > whole && random.bernoulli(more - whole)) ++added;
    const std::vector<uint32_t>& colleagues = users_by_practice.at(practice);
    if (result.size() + static_cast<size_t>(added) > kMaxPlannedSessions) {
      throw std::runtime_error("--scenario: the spend spikes ask for more than " +
                               std::to_string(kMaxPlannedSessions) + " sessions in all");
    }
    for (int64_t i = 0; i < added; ++i) {
      PlannedSession& extra = result.emplace_back();
      extra.start_ms = session.start_ms;
      extra.user = colleagues[random.below(colleagues.size())];
      extra.ordinal = next_ordinal++;
    }
  }
  sort_plan(result);
  plan = std::move(result);
}

}  // namespace cca::generate
