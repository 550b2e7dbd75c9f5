#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cca::server {

// Counts wrong credentials per client address. An address that gets `limit` wrong within kWindow
// is refused for kBlock, whatever it presents then, right or wrong: an answer that told a right
// guess from a wrong one would let guessing go on.
class FailedAttempts {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kWindow{60};
  static constexpr std::chrono::seconds kBlock{60};

  // limit: 0 turns the count off.
  explicit FailedAttempts(int limit) : limit_(limit) {}

  // Seconds the address must still wait; 0 when it may try.
  int blocked_for(std::string_view client, Clock::time_point now = Clock::now());
  void record_failure(std::string_view client, Clock::time_point now = Clock::now());

 private:
  struct Record {
    int failures = 0;
    Clock::time_point window_start;
    Clock::time_point blocked_until;
  };
  void forget_old(Clock::time_point now);

  const int limit_;
  std::mutex mutex_;
  std::unordered_map<std::string, Record> records_;
};

}  // namespace cca::server
