#include "generate/session_plan.h"

#include <algorithm>

#include "common/time_util.h"
#include "generate/catalog.h"

namespace cca::generate {

std::vector<PlannedSession> plan_sessions(int num_sessions, int num_users, int64_t window_start_ms,
                                          int days, Random& random) {
  std::vector<PlannedSession> plan(static_cast<size_t>(num_sessions));
  for (uint32_t i = 0; i < plan.size(); ++i) {
    PlannedSession& session = plan[i];
    session.ordinal = i;
    session.user = static_cast<uint32_t>(random.uniform_int(0, num_users - 1));
    const int64_t day = random.uniform_int(0, days - 1);
    const int64_t hour =
        random.bernoulli(catalog::kBusinessHoursProbability)
            ? random.uniform_int(catalog::kBusinessHourFirst, catalog::kBusinessHourLast)
            : random.uniform_int(0, 23);
    const int64_t minute = random.uniform_int(0, 59);
    session.start_ms = window_start_ms + day * kMsPerDay + hour * kMsPerHour + minute * 60'000;
  }
  std::sort(plan.begin(), plan.end(), [](const PlannedSession& a, const PlannedSession& b) {
    return a.start_ms != b.start_ms ? a.start_ms < b.start_ms : a.ordinal < b.ordinal;
  });
  return plan;
}

}  // namespace cca::generate
