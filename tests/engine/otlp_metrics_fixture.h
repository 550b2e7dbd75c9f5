#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace cca::testing {

// The real Claude Code OTLP captures (datasets/claude-code-2.1.328-otlp), nullopt when absent.
std::optional<std::filesystem::path> otlp_dataset();

// The bodies of a capture's metric requests in arrival order: metrics-1.json, metrics-2.json at
// the top, or a folder's NNN_metrics.json files.
std::vector<std::string> metric_requests(const std::filesystem::path& folder_or_files,
                                         const std::vector<std::string>& names = {});

// Code-activity figures computed straight from request bodies with nlohmann::json, independently
// of the ingest: delta points summed, cumulative series counted by their last value (the
// captures have no counter resets).
struct ExpectedCode {
  double lines_added = 0, lines_removed = 0, commits = 0, pull_requests = 0, active_time_s = 0,
         sessions_started = 0, edit_decisions = 0, edit_accepts = 0;
};

// A point's attributes merged over its resource's ({key: value}); returns the group of the
// point, nullopt to leave it out.
using GroupOf = std::function<std::optional<std::string>(const nlohmann::json& attributes)>;

std::map<std::string, ExpectedCode> expected_code(const std::vector<std::string>& requests,
                                                  const GroupOf& group_of);
ExpectedCode expected_total(const std::vector<std::string>& requests);

// Data points in the requests, each counted once per occurrence.
size_t data_point_count(const std::vector<std::string>& requests);

}  // namespace cca::testing
