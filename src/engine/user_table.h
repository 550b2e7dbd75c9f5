#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "engine/dictionaries.h"
#include "engine/directory.h"

namespace cca::engine {

// The newest practice hint (resource user.practice) seen for a user, across every ingest.
struct LatestHint {
  int64_t time_ms = std::numeric_limits<int64_t>::min();
  uint32_t practice = 0;  // practice dictionary code, 0 when no event had one
};

// How one user resolves to practice, level and location. Resolved per user rather than stored
// per event, so that a directory load re-labels events already loaded without touching columns.
struct UserAttributes {
  // Directory practice; 0 when the user is not listed, and then each event's own hint decides.
  uint32_t directory_practice = 0;
  uint32_t level = 0, location = 0;  // the directory's, else "Unknown"
  int32_t employee = -1;             // index into Directory::employees, -1 when not listed
  uint32_t display_practice = 0;  // for per-user answers: directory, else latest hint, else Unknown
};

// One entry per user code. Interns the directory's values into the dictionaries (writer only).
std::vector<UserAttributes> resolve_users(const Directory& directory, Dictionaries& dictionaries,
                                          const std::vector<LatestHint>& latest_hints);

}  // namespace cca::engine
