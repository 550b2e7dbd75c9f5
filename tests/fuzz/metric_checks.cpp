#include "fuzz/metric_checks.h"

#include <cmath>
#include <vector>

#include "fuzz/fuzz_check.h"

namespace cca::fuzz {

size_t check_metric_batch(const ingest::MetricBatch& batch) {
  using ingest::MetricKind;
  const size_t total = batch.points.size() + batch.rejected.size();
  std::vector<bool> seen(total + 1, false);
  const auto number = [&](uint64_t n) {
    FUZZ_REQUIRE(n >= 1 && n <= total && !seen[n]);
    seen[n] = true;
  };
  for (const ingest::MetricPoint& point : batch.points) {
    number(point.number);
    FUZZ_REQUIRE(!point.user.empty());
    FUZZ_REQUIRE(point.time_ns > 0);
    const bool needs_value = point.kind == MetricKind::kGauge || point.kind == MetricKind::kSum;
    if (needs_value) FUZZ_REQUIRE(point.value.has_value());
    if (point.value) FUZZ_REQUIRE(std::isfinite(*point.value));
    if (point.kind == MetricKind::kSum && point.monotonic) FUZZ_REQUIRE(*point.value >= 0);
    for (const char* secret :
         {"prompt", "prompt_text", "response", "tool_input", "tool_parameters"}) {
      FUZZ_REQUIRE(!point.attributes.contains(secret));
      FUZZ_REQUIRE(!point.resource.contains(secret));
    }
    // Series identity is the attributes' JSON: it must be writable.
    (void)point.attributes.dump();
    (void)point.resource.dump();
  }
  for (const ingest::RejectedPoint& rejected : batch.rejected) {
    number(rejected.number);
    FUZZ_REQUIRE(!rejected.reason.empty());
  }
  return total;
}

}  // namespace cca::fuzz
