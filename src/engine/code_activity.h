#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/filter.h"
#include "engine/snapshot.h"
#include "engine/timeseries.h"

namespace cca::engine {

// The metrics code activity sums, by their OTLP names, and the lines-of-code types it tells apart.
namespace code_metric {
inline constexpr std::string_view kLinesOfCode = "claude_code.lines_of_code.count";
inline constexpr std::string_view kCommits = "claude_code.commit.count";
inline constexpr std::string_view kPullRequests = "claude_code.pull_request.count";
inline constexpr std::string_view kActiveTime = "claude_code.active_time.total";
inline constexpr std::string_view kSessions = "claude_code.session.count";
inline constexpr std::string_view kEditDecisions = "claude_code.code_edit_tool.decision";
inline constexpr std::string_view kAdded = "added";
inline constexpr std::string_view kRemoved = "removed";
}  // namespace code_metric

// Claude Code's code-activity figures, summed over metric data points (each point's delta, so
// cumulative and delta exports count alike).
struct CodeActivity {
  double lines_added = 0, lines_removed = 0, commits = 0, pull_requests = 0, active_time_s = 0,
         sessions_started = 0, edit_decisions = 0, edit_accepts = 0;

  // edit_accepts / edit_decisions; none without decisions.
  std::optional<double> edit_accept_rate() const;
};

// The points matching the filter: from/to by the point's timeUnixNano (the end of its interval,
// from inclusive, to exclusive), the other filters as for events (a model filter keeps only
// points that carry a model).
CodeActivity code_activity(const Snapshot& snapshot, const Filter& filter);

// The figures per time bucket of the points' times, dense like timeseries(): every bucket of the
// filter's range or, where it leaves an end open, of the stored metric points' times. Throws
// QueryError when that needs more than kMaxBuckets buckets.
struct CodeTimeline {
  std::vector<int64_t> starts;
  std::vector<CodeActivity> points;  // one per bucket
};
CodeTimeline code_timeline(const Snapshot& snapshot, const Filter& filter, Bucket bucket);

// What a code breakdown groups by: language, model, tool, email, practice, or attr.<key> (any
// string attribute of the point or its resource).
struct CodeGrouping {
  enum class By { kLanguage, kModel, kTool, kEmail, kPractice, kAttribute } by;
  std::string attribute;  // the key, for kAttribute
};
std::optional<CodeGrouping> parse_code_grouping(std::string_view name);

struct CodeRow {
  std::string key;
  CodeActivity activity;
};
// One row per value among the matching points of the code-activity metrics (points without the
// value are in no row), sorted by key.
std::vector<CodeRow> code_breakdown(const Snapshot& snapshot, const Filter& filter,
                                    const CodeGrouping& by);

// Every metric the store holds, whether or not the API names it.
struct MetricNameRow {
  std::string name, kind, unit;
  uint64_t series = 0, points = 0;
};
std::vector<MetricNameRow> metric_names(const Snapshot& snapshot);  // sorted by name

}  // namespace cca::engine
