#pragma once

#include <vector>

#include "engine/distinct_counter.h"
#include "engine/metric_set.h"
#include "engine/snapshot.h"

namespace cca::engine {

// A metric set per group, filled row by row.
class GroupedMetrics {
 public:
  GroupedMetrics(size_t groups, const Snapshot& snapshot)
      : sets_(groups),
        sessions_(groups, snapshot.session_codes()),
        users_(groups, snapshot.user_codes()) {}

  void add(uint32_t group, const Cell& cell) {
    MetricSet& set = sets_[group];
    set.add(cell);
    if (cell.session != Dictionary::kAbsent) set.sessions += sessions_.mark(group, cell.session);
    set.users += users_.mark(group, cell.user);
  }

  const MetricSet& operator[](size_t group) const { return sets_[group]; }
  size_t size() const { return sets_.size(); }
  std::vector<MetricSet> take() { return std::move(sets_); }

 private:
  std::vector<MetricSet> sets_;
  DistinctCounter sessions_, users_;
};

}  // namespace cca::engine
