#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/analytics.h"
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
//
// Rows deleted from the store (retention) leave by a full reload: refresh() sees
// meta.retention_version change and builds the next snapshot from the store afresh, with new
// dictionaries, instead of cutting rows out of the segments. Everything the engine derives from
// rows (dictionaries, users' latest practice hints, metric series, the segments' cell indexes)
// then comes out exactly as at a restart, from one code path; a reload costs one start-up's
// load, once per retention run that deleted something, while queries go on reading the
// previous snapshot.
class Engine final : public AnalyticsSource {
 public:
  // Opens the store and loads it. Throws store::StoreError. practice_attribute: a custom
  // attribute whose value, when an event carries it, is that event's practice unless the
  // directory lists its user (before the resource's user.practice); empty for none.
  explicit Engine(const std::string& db_path, std::string practice_attribute = {});
  ~Engine() override;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Loads the events, metric points and directory changes committed since the last call, or
  // everything again when rows were deleted since. Any thread; calls are serialised. Returns true
  // when a new snapshot was published.
  bool refresh() override;

  std::shared_ptr<const Snapshot> snapshot() const {
    return current_.load(std::memory_order_acquire);
  }
  // The current snapshot's version, without taking a reference to it (cache look-ups).
  uint64_t version() const override { return version_.load(std::memory_order_acquire); }
  uint64_t events() const override { return snapshot()->events; }
  // The engine's answers over the current snapshot.
  std::shared_ptr<const Analytics> analytics() const override {
    return std::make_shared<SnapshotAnalytics>(snapshot());
  }

 private:
  // What is built from the store's rows and rebuilt from scratch by a reload.
  struct Loaded {
    Loaded(const std::string& db_path, const std::string& practice_attribute);
    std::shared_ptr<Dictionaries> dictionaries;
    StoreReader reader;
    MetricLoader metric_loader;
    std::vector<LatestHint> latest_hints;  // by user code
    int64_t retention_version = 0;         // of the store rows were loaded from
  };

  // The snapshot after `base` with what `loaded` has not read yet; null when nothing changed.
  std::shared_ptr<Snapshot> load_changes(Loaded& loaded, const Snapshot& base,
                                         const StoreState& state) const;
  // An empty snapshot over `loaded`'s dictionaries: the base of a first load or a reload.
  std::shared_ptr<Snapshot> empty_snapshot(const Loaded& loaded, uint64_t version) const;
  void publish(std::shared_ptr<Snapshot> next);
  static void note_latest_hints(Loaded& loaded, const Segment& segment);
  // compact: merge small tail segments; off while adding the parts of one parallel read, which
  // are each large.
  static std::vector<std::shared_ptr<const Segment>> add_segment(
      std::vector<std::shared_ptr<const Segment>> segments, Segment fresh, bool compact,
      const Dictionaries& dictionaries);

  const std::string db_path_;
  const std::string practice_attribute_;
  std::mutex refresh_mutex_;
  std::unique_ptr<Loaded> loaded_;
  std::atomic<std::shared_ptr<const Snapshot>> current_;
  std::atomic<uint64_t> version_{0};
};

}  // namespace cca::engine
