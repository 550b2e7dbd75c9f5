#include "system/rss_sampler.h"

#include <algorithm>

namespace cca::system_test {

RssSampler::RssSampler(const ServerProcess& server, std::chrono::milliseconds every) {
  const auto started = std::chrono::steady_clock::now();
  thread_ = std::thread([this, &server, every, started] {
    while (!stop_.load()) {
      const uint64_t kib = server.rss_kib();
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      {
        std::lock_guard lock(mutex_);
        if (kib > 0) samples_.push_back({seconds, kib});
      }
      const auto next = std::chrono::steady_clock::now() + every;
      while (!stop_.load() && std::chrono::steady_clock::now() < next)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
}

RssSampler::~RssSampler() {
  stop_.store(true);
  thread_.join();
}

std::vector<RssSample> RssSampler::samples() const {
  std::lock_guard lock(mutex_);
  return samples_;
}

uint64_t median_kib(const std::vector<RssSample>& samples, double from, double to) {
  std::vector<uint64_t> values;
  for (const RssSample& sample : samples)
    if (sample.seconds >= from && sample.seconds < to) values.push_back(sample.kib);
  if (values.empty()) return 0;
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

std::string memory_flat_violation(const std::vector<RssSample>& samples, double total_seconds,
                                  double warm_up_seconds, double tolerance) {
  const double quarter = total_seconds / 4;
  if (warm_up_seconds > 2 * quarter) return "the warm-up outlasted half the run";
  const double settled = std::max(quarter, warm_up_seconds);
  const uint64_t after_warm_up = median_kib(samples, settled, settled + quarter);
  const uint64_t last = median_kib(samples, 3 * quarter, total_seconds + 1);
  if (after_warm_up == 0 || last == 0) return "too few memory samples";
  if (static_cast<double>(last) > static_cast<double>(after_warm_up) * (1 + tolerance))
    return "VmRSS median grew from " + std::to_string(after_warm_up) +
           " KiB (the quarter after warm-up) to " + std::to_string(last) + " KiB (last quarter)";
  return "";
}

}  // namespace cca::system_test
