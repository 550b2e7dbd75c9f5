#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "store/retention.h"

namespace cca::store {

// serve --retention-days: retention over a store every `interval` (an hour), on a thread of its
// own, until destroyed. Each run opens the store, deletes in short transactions
// (apply_retention) and closes it; a run that fails (the store is read-only, the disk is full)
// is logged and the next one tries again.
class RetentionSchedule {
 public:
  struct Hooks {
    std::function<void()> thread_started;                 // e.g. lower the thread's priority
    std::function<void(const RetentionReport&)> deleted;  // after a run that deleted rows
    std::function<void(const std::string&)> log;
  };

  RetentionSchedule(std::string db_path, int days, std::chrono::milliseconds interval, Hooks hooks);
  ~RetentionSchedule();
  RetentionSchedule(const RetentionSchedule&) = delete;
  RetentionSchedule& operator=(const RetentionSchedule&) = delete;

  // One run on the calling thread: opens the store, applies retention for `days` from
  // now_ms() (common/clock.h). Throws StoreError, or std::invalid_argument for a bad
  // CCANALYTICS_NOW.
  static RetentionReport run_once(const std::string& db_path, int days,
                                  const RetentionOptions& options = {});

 private:
  void loop();

  std::string db_path_;
  int days_;
  std::chrono::milliseconds interval_;
  Hooks hooks_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace cca::store
