#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace cca::clickhouse {

// Equal JSON answers, numbers to 1e-9 relative (both stores add the same doubles in different
// orders); a failure names the first path that differs.
inline ::testing::AssertionResult same_json(const nlohmann::json& a, const nlohmann::json& b,
                                            const std::string& path) {
  if (a.is_number() && b.is_number()) {
    const double x = a.get<double>(), y = b.get<double>();
    if (std::abs(x - y) <= 1e-9 * std::max(std::abs(x), std::abs(y)) + 1e-9)
      return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << path << ": " << a << " != " << b;
  }
  if (a.type() != b.type())
    return ::testing::AssertionFailure() << path << ": " << a << " != " << b;
  if (a.is_object()) {
    if (a.size() != b.size())
      return ::testing::AssertionFailure() << path << ": keys differ: " << a.dump().substr(0, 300)
                                           << " vs " << b.dump().substr(0, 300);
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (!b.contains(it.key()))
        return ::testing::AssertionFailure() << path << ": no " << it.key();
      const auto r = same_json(it.value(), b[it.key()], path + "." + it.key());
      if (!r) return r;
    }
    return ::testing::AssertionSuccess();
  }
  if (a.is_array()) {
    if (a.size() != b.size())
      return ::testing::AssertionFailure()
             << path << ": " << a.size() << " vs " << b.size() << " items";
    for (size_t i = 0; i < a.size(); ++i) {
      const auto r = same_json(a[i], b[i], path + "[" + std::to_string(i) + "]");
      if (!r) return r;
    }
    return ::testing::AssertionSuccess();
  }
  if (a == b) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << path << ": " << a << " != " << b;
}

// A session's detail with events at the same millisecond (a tool's decision and result, often) in
// one order: each store lists them as it keeps them, the embedded store in insertion order, which
// ClickHouse does not have.
inline nlohmann::json in_time_order(nlohmann::json detail) {
  std::stable_sort(detail["events"].begin(), detail["events"].end(),
                   [](const nlohmann::json& a, const nlohmann::json& b) {
                     return std::make_pair(a["t"].get<std::string>(), a.dump()) <
                            std::make_pair(b["t"].get<std::string>(), b.dump());
                   });
  return detail;
}

}  // namespace cca::clickhouse
