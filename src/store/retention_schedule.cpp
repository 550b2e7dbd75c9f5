#include "store/retention_schedule.h"

#include <exception>

#include "common/clock.h"

namespace cca::store {

RetentionSchedule::RetentionSchedule(std::string db_path, int days,
                                     std::chrono::milliseconds interval, Hooks hooks)
    : db_path_(std::move(db_path)), days_(days), interval_(interval), hooks_(std::move(hooks)) {
  thread_ = std::thread([this] { loop(); });
}

RetentionSchedule::~RetentionSchedule() {
  {
    std::lock_guard lock(mutex_);
    stopping_.store(true);
  }
  wake_.notify_all();
  thread_.join();
}

RetentionReport RetentionSchedule::run_once(const std::string& db_path, int days,
                                            const RetentionOptions& options) {
  Database db(db_path);
  return apply_retention(db, retention_cutoff_ms(days, cca::now_ms()), options);
}

void RetentionSchedule::loop() {
  if (hooks_.thread_started) hooks_.thread_started();
  std::unique_lock lock(mutex_);
  RetentionOptions options;
  options.stop = &stopping_;  // a run in progress ends after its transaction
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_.load(); })) {
    lock.unlock();
    try {
      const RetentionReport report = run_once(db_path_, days_, options);
      if (report.deleted() > 0) {
        if (hooks_.log) hooks_.log(report.summary());
        if (hooks_.deleted) hooks_.deleted(report);
      }
    } catch (const std::exception& error) {
      if (hooks_.log)
        hooks_.log(std::string("retention failed, to be tried again: ") + error.what());
    }
    lock.lock();
  }
}

}  // namespace cca::store
