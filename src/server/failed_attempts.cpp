#include "server/failed_attempts.h"

namespace cca::server {

int FailedAttempts::blocked_for(std::string_view client, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  const auto it = records_.find(std::string(client));
  if (it == records_.end() || it->second.blocked_until <= now) return 0;
  const auto left = std::chrono::ceil<std::chrono::seconds>(it->second.blocked_until - now);
  return static_cast<int>(left.count());
}

void FailedAttempts::record_failure(std::string_view client, Clock::time_point now) {
  if (limit_ <= 0) return;
  std::lock_guard lock(mutex_);
  // Many addresses guessing at once must not grow the table without end.
  constexpr size_t kPruneAbove = 10'000;
  if (records_.size() > kPruneAbove) forget_old(now);
  Record& record = records_[std::string(client)];
  if (record.failures == 0 || now - record.window_start > kWindow) {
    record.failures = 0;
    record.window_start = now;
  }
  if (++record.failures >= limit_) {
    record.blocked_until = now + kBlock;
    record.failures = 0;
  }
}

void FailedAttempts::forget_old(Clock::time_point now) {
  std::erase_if(records_, [&](const auto& entry) {
    const Record& record = entry.second;
    return record.blocked_until <= now && now - record.window_start > kWindow;
  });
}

}  // namespace cca::server
