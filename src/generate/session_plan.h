#pragma once

#include <cstdint>
#include <vector>

#include "generate/random.h"
#include "generate/users.h"

namespace cca::generate {

class Scenario;

// When a session starts and whose it is, drawn before any session is simulated so that the
// sessions can be started in time order. 16 bytes a session, against ~100 kB of output.
struct PlannedSession {
  int64_t start_ms = 0;
  uint32_t user = 0;
  uint32_t ordinal = 0;  // draw order: names the session's own random stream
};

// Sessions of uniformly chosen users, starting on a uniform day of the window [window_start,
// window_start + days), in business hours (9-17 UTC) with probability 0.7 and at any hour
// otherwise, on a whole minute. Sorted by start, then ordinal. A scenario with a trend or a
// weekly rhythm draws the day by its day_weights instead.
std::vector<PlannedSession> plan_sessions(int num_sessions, int num_users, int64_t window_start_ms,
                                          int days, Random& random,
                                          const Scenario* scenario = nullptr);

// A scenario's spend spikes: each planned session of a spiking practice that starts in a spike's
// range is joined by factor - 1 sessions (the fraction drawn as a probability) of users of the
// same practice starting at the same minute; below 1, it is kept with probability factor. Added
// sessions take the ordinals after the plan's. The plan stays sorted as plan_sessions sorts it.
void apply_spend_spikes(std::vector<PlannedSession>& plan, const std::vector<User>& users,
                        const Scenario& scenario, Random& random);

// The seed of a session's own random stream: every output that follows the session draws it.
inline uint64_t session_seed(uint64_t seed, uint32_t ordinal) {
  return derive_seed(seed, 16 + static_cast<uint64_t>(ordinal));
}

}  // namespace cca::generate
