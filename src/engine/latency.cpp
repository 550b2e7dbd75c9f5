#include "engine/latency.h"

#include <algorithm>
#include <cmath>

#include "engine/scan.h"

namespace cca::engine {

std::optional<LatencyBy> parse_latency_by(std::string_view name) {
  if (name == "model") return LatencyBy::kModel;
  if (name == "tool") return LatencyBy::kTool;
  return std::nullopt;
}

std::vector<LatencyRow> latency(const Snapshot& snapshot, const Filter& filter, LatencyBy by) {
  const RowFilter rows(snapshot, filter);
  const bool by_model = by == LatencyBy::kModel;
  const Dictionary& dictionary = by_model ? snapshot.dict().model : snapshot.dict().tool;
  const auto kind =
      static_cast<uint8_t>(by_model ? EventKind::kApiRequest : EventKind::kToolResult);
  std::vector<std::vector<double>> samples(dictionary.size());
  scan(snapshot, rows, [&](const Segment& s, size_t row, uint32_t) {
    if (s.kind[row] != kind) return;
    const uint32_t key = by_model ? s.model[row] : s.tool[row];
    const double duration = s.duration_ms[row];
    if (key != Dictionary::kAbsent && !std::isnan(duration)) samples[key].push_back(duration);
  });
  std::vector<LatencyRow> result;
  for (uint32_t code = 1; code < samples.size(); ++code)
    if (!samples[code].empty())
      result.push_back({std::string(dictionary.value(code)), percentiles(samples[code])});
  std::sort(result.begin(), result.end(), [](const LatencyRow& a, const LatencyRow& b) {
    if (a.duration_ms.count != b.duration_ms.count)
      return a.duration_ms.count > b.duration_ms.count;
    return a.key < b.key;
  });
  return result;
}

}  // namespace cca::engine
