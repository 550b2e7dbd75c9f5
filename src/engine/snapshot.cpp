#include "engine/snapshot.h"

namespace cca::engine {

std::optional<int64_t> Snapshot::first_time() const {
  if (segments.empty()) return std::nullopt;
  return segments.front()->first_time();
}

std::optional<int64_t> Snapshot::last_time() const {
  if (segments.empty()) return std::nullopt;
  return segments.back()->last_time();
}

}  // namespace cca::engine
