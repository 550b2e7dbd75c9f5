#pragma once

#include <atomic>
#include <functional>
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
struct EngineOptions {
  // A custom attribute whose value, when an event carries it, is that event's practice unless
  // the directory lists its user (before the resource's user.practice); empty for none.
  std::string practice_attribute;
  // The snapshot file (snapshot_file.h) the first load starts from when it matches the store,
  // and that write_snapshot() writes; empty for none.
  std::string snapshot_path;
  // Where lines about the snapshot file go (a file refused, written, failed); stderr when empty.
  std::function<void(const std::string&)> log;
  // The rows of a segment that a first load of many rows builds, and the most a compaction
  // merges into one: what a load holds beyond its result is about this many rows, a few hundred
  // bytes each, per loading thread.
  size_t segment_rows = size_t{1} << 20;
};

// How the first load went.
struct StartReport {
  bool from_snapshot_file = false;
  uint64_t events_from_file = 0;   // events the snapshot file gave
  uint64_t events_from_store = 0;  // events read from SQLite (all of them without a file)
  double seconds = 0;              // the whole first load
};

// The default path of a store's snapshot file: "<db>.snapshot".
std::string default_snapshot_path(const std::string& db_path);

class Engine final : public AnalyticsSource {
 public:
  // Opens the store and loads it. Throws store::StoreError. practice_attribute: see
  // EngineOptions.
  explicit Engine(const std::string& db_path, std::string practice_attribute = {});
  Engine(const std::string& db_path, EngineOptions options);
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

  const StartReport& start_report() const { return start_; }

  // Writes the current snapshot's events and dictionaries to options.snapshot_path (a temporary
  // file, fsync, rename). Any thread, beside queries and refreshes; one write at a time. Returns
  // false, after logging why, when it could not (no path, an empty store, a full disk, rows
  // deleted from the store meanwhile).
  bool write_snapshot();
  // Events the current snapshot holds that the snapshot file on disk does not (as far as this
  // engine knows: the file it started from or last wrote); every event when there is none or
  // rows were deleted from the store since.
  uint64_t events_not_in_snapshot_file() const;

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
  // Starts from the snapshot file when it matches the store; false (after logging why) when
  // there is none or it cannot be used, leaving loaded_ fresh.
  bool load_snapshot_file();
  void log(const std::string& line) const;
  // Adds `fresh`, merged with the segments it overlaps in time. compact: merge small tail
  // segments (up to segment_rows); off while adding the parts of one load, which are each large.
  static std::vector<std::shared_ptr<const Segment>> add_segment(
      std::vector<std::shared_ptr<const Segment>> segments, Segment fresh, bool compact,
      const Dictionaries& dictionaries, size_t segment_rows);

  const std::string db_path_;
  const std::string practice_attribute_;
  const EngineOptions options_;
  StartReport start_;
  std::mutex write_mutex_;  // one snapshot file write at a time
  // What the snapshot file on disk holds: events up to this seq of this retention version.
  std::atomic<int64_t> file_last_seq_{0};
  std::atomic<int64_t> file_retention_version_{-1};
  std::atomic<uint64_t> file_events_{0};
  std::atomic<int64_t> retention_version_{0};  // loaded_'s, for readers outside the mutex
  std::mutex refresh_mutex_;
  std::unique_ptr<Loaded> loaded_;
  std::atomic<std::shared_ptr<const Snapshot>> current_;
  std::atomic<uint64_t> version_{0};
};

}  // namespace cca::engine
