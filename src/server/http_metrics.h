#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "server/routes.h"

namespace cca::server {

// Request counts and latency histograms per route, kept in atomics so that recording costs no
// lock, rendered in the Prometheus text format.
class HttpMetrics {
 public:
  void record(RouteId route, int status, double seconds);
  // The ccanalytics_http_* families.
  void render(std::string& out) const;

 private:
  // Upper bounds in seconds; the last bucket is +Inf.
  static constexpr std::array<double, 15> kBounds = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
  static constexpr std::array<int, 10> kStatuses = {200, 400, 401, 404, 405, 413, 415, 500, 503, 0};

  struct RouteCounters {
    std::array<std::atomic<uint64_t>, kStatuses.size()> by_status{};
    std::array<std::atomic<uint64_t>, kBounds.size() + 1> buckets{};
    std::atomic<uint64_t> nanoseconds{0};
    std::atomic<uint64_t> count{0};
  };

  std::array<RouteCounters, kRouteCount> routes_{};
};

}  // namespace cca::server
