#include "server/http_metrics.h"

#include <cstdio>

namespace cca::server {

void HttpMetrics::record(RouteId route, int status, double seconds) {
  RouteCounters& counters = routes_[static_cast<size_t>(route)];
  size_t status_slot = kStatuses.size() - 1;  // "other"
  for (size_t i = 0; i + 1 < kStatuses.size(); ++i)
    if (kStatuses[i] == status) status_slot = i;
  counters.by_status[status_slot].fetch_add(1, std::memory_order_relaxed);
  size_t bucket = kBounds.size();
  for (size_t i = 0; i < kBounds.size(); ++i) {
    if (seconds <= kBounds[i]) {
      bucket = i;
      break;
    }
  }
  counters.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  counters.nanoseconds.fetch_add(static_cast<uint64_t>(seconds * 1e9), std::memory_order_relaxed);
  counters.count.fetch_add(1, std::memory_order_relaxed);
}

void HttpMetrics::render(std::string& out) const {
  char line[256];
  out +=
      "# HELP ccanalytics_http_requests_total HTTP requests answered, by route and status.\n"
      "# TYPE ccanalytics_http_requests_total counter\n";
  for (size_t r = 0; r < kRouteCount; ++r) {
    const std::string label(route_label(static_cast<RouteId>(r)));
    for (size_t s = 0; s < kStatuses.size(); ++s) {
      const uint64_t n = routes_[r].by_status[s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      const std::string status = kStatuses[s] == 0 ? "other" : std::to_string(kStatuses[s]);
      std::snprintf(line, sizeof line,
                    "ccanalytics_http_requests_total{route=\"%s\",status=\"%s\"} %llu\n",
                    label.c_str(), status.c_str(), static_cast<unsigned long long>(n));
      out += line;
    }
  }
  out +=
      "# HELP ccanalytics_http_request_duration_seconds Time from routing to a complete answer, "
      "by route.\n"
      "# TYPE ccanalytics_http_request_duration_seconds histogram\n";
  for (size_t r = 0; r < kRouteCount; ++r) {
    const RouteCounters& counters = routes_[r];
    const uint64_t count = counters.count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    const std::string label(route_label(static_cast<RouteId>(r)));
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kBounds.size(); ++b) {
      cumulative += counters.buckets[b].load(std::memory_order_relaxed);
      char bound[32] = "+Inf";
      if (b < kBounds.size()) std::snprintf(bound, sizeof bound, "%g", kBounds[b]);
      std::snprintf(line, sizeof line,
                    "ccanalytics_http_request_duration_seconds_bucket{route=\"%s\",le=\"%s\"} "
                    "%llu\n",
                    label.c_str(), bound, static_cast<unsigned long long>(cumulative));
      out += line;
    }
    std::snprintf(line, sizeof line,
                  "ccanalytics_http_request_duration_seconds_sum{route=\"%s\"} %.9f\n"
                  "ccanalytics_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                  label.c_str(), counters.nanoseconds.load(std::memory_order_relaxed) / 1e9,
                  label.c_str(), static_cast<unsigned long long>(count));
    out += line;
  }
}

}  // namespace cca::server
