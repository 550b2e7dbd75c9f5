#pragma once

#include <httplib.h>

#include <map>
#include <string>
#include <vector>

namespace cca::system_test {

// The questions the dashboard asks (web/src/api/queries.ts): summary, breakdowns, timeseries,
// heatmap, latency, distribution, sessions, users, facets and the CSV exports, as request paths.
const std::vector<std::string>& dashboard_questions();

// Asks every question; a question answered with anything but 200 fails the calling test.
// Returns the bodies by path.
std::map<std::string, std::string> ask_all(httplib::Client& client);

// Expects the same answers: JSON and CSV alike, numbers equal within a relative 1e-9 (sums of
// floating-point costs come out in the last digits differently when rows were stored in another
// order), everything else exactly.
void expect_same_answers(const std::map<std::string, std::string>& actual,
                         const std::map<std::string, std::string>& expected,
                         const std::string& what);

}  // namespace cca::system_test
