#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cca::system_test {

// Answer times of the dashboard's questions, by question; thread-safe.
class LatencyLog {
 public:
  void add(const std::string& question, double ms);
  // {"all": {"count", "p50_ms", "p99_ms", "max_ms"}, "<question>": {...}, ...}; nearest rank.
  nlohmann::json percentiles() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<double>> by_question_;
};

}  // namespace cca::system_test
