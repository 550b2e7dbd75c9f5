#include "system/dashboard_questions.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

namespace cca::system_test {
namespace {

bool close_enough(double a, double b) {
  return a == b || std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b));
}

// Where two JSON documents differ ("" when they agree), numbers compared by close_enough.
std::string json_difference(const nlohmann::json& a, const nlohmann::json& b,
                            const std::string& where) {
  if (a.is_number() && b.is_number())
    return close_enough(a.get<double>(), b.get<double>())
               ? ""
               : where + ": " + a.dump() + " vs " + b.dump();
  if (a.type() != b.type()) return where + ": " + a.dump() + " vs " + b.dump();
  if (a.is_object()) {
    if (a.size() != b.size())
      return where + ": " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) +
             " members";
    for (const auto& [key, value] : a.items()) {
      if (!b.contains(key)) return where + "." + key + ": missing";
      if (auto diff = json_difference(value, b[key], where + "." + key); !diff.empty()) return diff;
    }
    return "";
  }
  if (a.is_array()) {
    if (a.size() != b.size())
      return where + ": " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) + " items";
    for (size_t i = 0; i < a.size(); ++i)
      if (auto diff = json_difference(a[i], b[i], where + "[" + std::to_string(i) + "]");
          !diff.empty())
        return diff;
    return "";
  }
  return a == b ? "" : where + ": " + a.dump() + " vs " + b.dump();
}

bool as_number(const std::string& cell, double& value) {
  if (cell.empty()) return false;
  const auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  return error == std::errc() && end == cell.data() + cell.size();
}

// Where two CSV texts differ; cells are split on commas, which is enough to compare two answers
// of the same server (a quoted comma splits both alike).
std::string csv_difference(const std::string& a, const std::string& b) {
  std::istringstream left(a), right(b);
  std::string line_a, line_b;
  for (int row = 1;; ++row) {
    const bool more_a = static_cast<bool>(std::getline(left, line_a));
    const bool more_b = static_cast<bool>(std::getline(right, line_b));
    if (!more_a || !more_b)
      return more_a == more_b ? "" : "row " + std::to_string(row) + ": one answer is shorter";
    if (line_a == line_b) continue;
    std::istringstream cells_a(line_a), cells_b(line_b);
    std::string cell_a, cell_b;
    while (true) {
      const bool has_a = static_cast<bool>(std::getline(cells_a, cell_a, ','));
      const bool has_b = static_cast<bool>(std::getline(cells_b, cell_b, ','));
      if (!has_a && !has_b) break;
      double x = 0, y = 0;
      if (has_a != has_b || (cell_a != cell_b &&
                             !(as_number(cell_a, x) && as_number(cell_b, y) && close_enough(x, y))))
        return "row " + std::to_string(row) + ": " + line_a + " vs " + line_b;
    }
  }
}

}  // namespace

const std::vector<std::string>& dashboard_questions() {
  static const std::vector<std::string> questions = {
      "/api/v1/summary",
      "/api/v1/summary?from=2026-01-05&to=2026-01-18",
      "/api/v1/breakdown?by=model&sort=cost_usd",
      "/api/v1/breakdown?by=practice",
      "/api/v1/breakdown?by=tool",
      "/api/v1/breakdown?by=event_type",
      "/api/v1/breakdown?by=terminal",
      "/api/v1/breakdown?by=email&sort=cost_usd&limit=20",
      "/api/v1/timeseries?bucket=day&split=model",
      "/api/v1/timeseries?bucket=hour&from=2026-01-05&to=2026-01-11",
      "/api/v1/heatmap",
      "/api/v1/latency?by=model",
      "/api/v1/distribution?of=session_cost_usd",
      "/api/v1/sessions?limit=50&sort=cost_usd&order=desc",
      "/api/v1/users?limit=50",
      "/api/v1/facets",
      "/api/v1/export.csv?view=breakdown&by=model",
      "/api/v1/export.csv?view=users",
      "/api/v1/export.csv?view=sessions&limit=200",
  };
  return questions;
}

std::map<std::string, std::string> ask_all(httplib::Client& client) {
  std::map<std::string, std::string> answers;
  for (const std::string& path : dashboard_questions()) {
    const auto answer = client.Get(path);
    if (!answer) {
      ADD_FAILURE() << path << ": " << httplib::to_string(answer.error());
      continue;
    }
    EXPECT_EQ(answer->status, 200) << path << ": " << answer->body.substr(0, 300);
    answers[path] = answer->body;
  }
  return answers;
}

void expect_same_answers(const std::map<std::string, std::string>& actual,
                         const std::map<std::string, std::string>& expected,
                         const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (const auto& [path, body] : expected) {
    const auto found = actual.find(path);
    ASSERT_NE(found, actual.end()) << what << ": " << path;
    const bool csv = path.find("export.csv") != std::string::npos;
    const std::string difference = csv ? csv_difference(found->second, body)
                                       : json_difference(nlohmann::json::parse(found->second),
                                                         nlohmann::json::parse(body), "$");
    EXPECT_EQ(difference, "") << what << ": " << path;
  }
}

}  // namespace cca::system_test
