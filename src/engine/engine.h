#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/dictionaries.h"
#include "engine/metric_points.h"
#include "engine/snapshot.h"
#include "engine/store_reader.h"
#include "engine/user_table.h"

namespace cca::engine {

// The in-memory columnar copy of the store that every analytics query reads.
//
// Queries take snapshot() and keep it for their duration; refresh() builds the next snapshot
// from what was committed since the last one and swaps it in atomically, sharing every segment
// it did not have to touch. Rows arriving in time order become a new small segment; rows that
// arrive late are merged into the segments they overlap; small tail segments are merged while
// they grow, so the count stays logarithmic in the number of rows.
class Engine {
 public:
  // Opens the store and loads it. Throws store::StoreError.
  explicit Engine(const std::string& db_path);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Loads the events, metric points and directory changes committed since the last call. Any
  // thread; calls are serialised. Returns true when a new snapshot was published.
  bool refresh();

  std::shared_ptr<const Snapshot> snapshot() const {
    return current_.load(std::memory_order_acquire);
  }
  // The current snapshot's version, without taking a reference to it (cache look-ups).
  uint64_t version() const { return version_.load(std::memory_order_acquire); }

 private:
  void note_latest_hints(const Segment& segment);
  // compact: merge small tail segments; off while adding the parts of one parallel read, which
  // are each large.
  std::vector<std::shared_ptr<const Segment>> add_segment(
      std::vector<std::shared_ptr<const Segment>> segments, Segment fresh, bool compact) const;

  std::mutex refresh_mutex_;
  std::shared_ptr<Dictionaries> dictionaries_;
  StoreReader reader_;
  MetricLoader metric_loader_;
  std::vector<LatestHint> latest_hints_;  // by user code
  std::atomic<std::shared_ptr<const Snapshot>> current_;
  std::atomic<uint64_t> version_{0};
};

}  // namespace cca::engine
