#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "system/server_process.h"

namespace cca::system_test {

struct RssSample {
  double seconds = 0;  // since the sampler started
  uint64_t kib = 0;    // VmRSS
};

// Samples a server's resident memory (VmRSS in /proc/<pid>/status) on a thread of its own.
class RssSampler {
 public:
  RssSampler(const ServerProcess& server, std::chrono::milliseconds every);
  ~RssSampler();
  std::vector<RssSample> samples() const;

 private:
  mutable std::mutex mutex_;
  std::vector<RssSample> samples_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The memory rule of the soak: over a run of fixed data, cut in four quarters of time, the
// warm-up (the data's first pass, the answer cache filling up) is the first quarter or, on a
// machine slow enough that the data is complete only later, up to `warm_up_seconds` (at most half
// the run); the median of the last quarter must be within `tolerance` (0.10: 10 %) above the
// median of the quarter after the warm-up. Medians, so that a passing peak (a large answer being
// built) does not count; a quarter after warm-up against the last, so that growth that goes on
// after warm-up, the mark of a leak, does. Returns "" when it holds, else why.
std::string memory_flat_violation(const std::vector<RssSample>& samples, double total_seconds,
                                  double warm_up_seconds, double tolerance);

// The median VmRSS of the samples in [from, to) seconds; 0 when there are none.
uint64_t median_kib(const std::vector<RssSample>& samples, double from, double to);

}  // namespace cca::system_test
