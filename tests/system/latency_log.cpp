#include "system/latency_log.h"

#include <algorithm>
#include <cmath>

namespace cca::system_test {
namespace {

nlohmann::json summarise(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const auto rank = [&](double p) {
    const size_t index = static_cast<size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::clamp<size_t>(index, 1, values.size()) - 1];
  };
  if (values.empty()) return {{"count", 0}};
  return {{"count", values.size()},
          {"p50_ms", std::round(rank(0.50) * 100) / 100},
          {"p99_ms", std::round(rank(0.99) * 100) / 100},
          {"max_ms", std::round(values.back() * 100) / 100}};
}

}  // namespace

void LatencyLog::add(const std::string& question, double ms) {
  std::lock_guard lock(mutex_);
  by_question_[question].push_back(ms);
}

nlohmann::json LatencyLog::percentiles() const {
  std::lock_guard lock(mutex_);
  nlohmann::json out = nlohmann::json::object();
  std::vector<double> all;
  for (const auto& [question, values] : by_question_) {
    out[question] = summarise(values);
    all.insert(all.end(), values.begin(), values.end());
  }
  out["all"] = summarise(all);
  return out;
}

}  // namespace cca::system_test
