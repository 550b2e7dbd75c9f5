#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "engine/dictionaries.h"
#include "engine/directory.h"
#include "engine/metric_points.h"
#include "engine/segment.h"
#include "engine/user_table.h"

namespace cca::engine {

// Everything a query reads, frozen: a query holds one snapshot from start to end and never sees
// a half-applied ingest. Segments are in time order and do not overlap (each one's last time is
// at most the next one's first), so walking them in order walks all events in time order.
struct Snapshot {
  uint64_t version = 0;  // bumped by every change; answers may be cached under it
  int64_t last_seq = 0;  // the store's events up to this seq are loaded
  uint64_t events = 0;

  std::shared_ptr<const Dictionaries> dictionaries;
  std::vector<std::shared_ptr<const Segment>> segments;
  std::shared_ptr<const Directory> directory;
  std::vector<UserAttributes> users;  // by user code: every user code in the segments is covered
  std::shared_ptr<const MetricData> metrics;  // OTLP metric data points

  const Dictionaries& dict() const { return *dictionaries; }
  std::optional<int64_t> first_time() const;
  std::optional<int64_t> last_time() const;

  // Practice of an event: the directory's for its user, else its own hint, else "Unknown".
  uint32_t practice_of(uint32_t user, uint32_t practice_hint) const {
    const uint32_t listed = users[user].directory_practice;
    if (listed != 0) return listed;
    return practice_hint != 0 ? practice_hint : dictionaries->unknown_practice;
  }

  uint32_t practice_of(const Cell& cell) const {
    return practice_of(cell.user, cell.practice_hint);
  }
  // Sizes for per-query tables indexed by code.
  size_t session_codes() const { return dictionaries->session.size(); }
  size_t user_codes() const { return users.size(); }
};

}  // namespace cca::engine
