#include "engine/analytics.h"

namespace cca::engine {

Summary SnapshotAnalytics::summarize(const Filter& filter) const {
  return engine::summarize(*snapshot_, filter);
}

std::vector<BreakdownRow> SnapshotAnalytics::breakdown(const Filter& filter, Dimension by,
                                                       Metric sort) const {
  return engine::breakdown(*snapshot_, filter, by, sort);
}

std::vector<std::vector<RangedBreakdownRow>> SnapshotAnalytics::ranged_breakdowns(
    const Filter& filter, std::span<const Dimension> by, Metric,
    std::span<const TimeRange> ranges) const {
  return engine::ranged_breakdowns(*snapshot_, filter, by, ranges);
}

Timeseries SnapshotAnalytics::timeseries(const Filter& filter, Bucket bucket,
                                         std::optional<Dimension> split, size_t split_limit,
                                         const std::vector<std::string>* split_values) const {
  return engine::timeseries(*snapshot_, filter, bucket, split, split_limit, split_values);
}

Timeseries SnapshotAnalytics::metric_timeseries(const Filter& filter, Bucket bucket, Metric) const {
  return engine::timeseries(*snapshot_, filter, bucket);
}

std::vector<MetricSet> SnapshotAnalytics::heatmap(const Filter& filter) const {
  return engine::heatmap(*snapshot_, filter);
}

SessionsPage SnapshotAnalytics::list_sessions(const Filter& filter, const SessionOrder& order,
                                              size_t limit, size_t offset) const {
  return engine::list_sessions(*snapshot_, filter, order, limit, offset);
}

std::optional<SessionEvents> SnapshotAnalytics::session_detail(const Filter& filter,
                                                               std::string_view session_id) const {
  std::optional<SessionDetail> detail = engine::session_detail(*snapshot_, filter, session_id);
  if (!detail) return std::nullopt;
  const Dictionaries& d = snapshot_->dict();
  const auto text = [](const Dictionary& dictionary, uint32_t code) -> std::optional<std::string> {
    if (code == Dictionary::kAbsent) return std::nullopt;
    return std::string(dictionary.value(code));
  };
  SessionEvents out{std::move(detail->row), {}};
  out.events.reserve(detail->events.size());
  for (const EventRow& e : detail->events) {
    EventValues v;
    v.time_ms = e.time_ms;
    v.event_name = d.event_name.value(e.event_name);
    v.model = text(d.model, e.model);
    v.tool = text(d.tool, e.tool);
    v.decision = text(d.decision, e.decision);
    v.decision_source = text(d.decision_source, e.decision_source);
    v.status_code = text(d.status_code, e.status_code);
    v.error = text(d.error, e.error);
    v.success = e.success;
    v.attempt = e.attempt;
    v.input_tokens = e.input_tokens;
    v.output_tokens = e.output_tokens;
    v.cache_read_tokens = e.cache_read_tokens;
    v.cache_creation_tokens = e.cache_creation_tokens;
    v.cost_usd = e.cost_usd;
    v.duration_ms = e.duration_ms;
    v.prompt_length = e.prompt_length;
    v.tool_result_size_bytes = e.tool_result_size_bytes;
    out.events.push_back(std::move(v));
  }
  return out;
}

UsersPage SnapshotAnalytics::list_users(const Filter& filter, const UserOrder& order, size_t limit,
                                        size_t offset) const {
  return engine::list_users(*snapshot_, filter, order, limit, offset);
}

std::optional<UserProfile> SnapshotAnalytics::user_profile(const Filter& filter,
                                                           std::string_view email) const {
  return engine::user_profile(*snapshot_, filter, email);
}

std::vector<LatencyRow> SnapshotAnalytics::latency(const Filter& filter, LatencyBy by,
                                                   LatencyMeasure measure) const {
  return engine::latency(*snapshot_, filter, by, measure);
}

LatencySeries SnapshotAnalytics::latency_timeseries(const Filter& filter, LatencyBy of,
                                                    LatencyMeasure measure, Bucket bucket) const {
  return engine::latency_timeseries(*snapshot_, filter, of, measure, bucket);
}

Distribution SnapshotAnalytics::session_distribution(const Filter& filter, SessionQuantity of,
                                                     size_t bins) const {
  return engine::session_distribution(*snapshot_, filter, of, bins);
}

Facets SnapshotAnalytics::facets(const Filter& filter) const {
  return engine::facets(*snapshot_, filter);
}

std::vector<Employee> SnapshotAnalytics::employees() const {
  return snapshot_->directory->employees;
}

CodeActivity SnapshotAnalytics::code_activity(const Filter& filter) const {
  return engine::code_activity(*snapshot_, filter);
}

CodeTimeline SnapshotAnalytics::code_timeline(const Filter& filter, Bucket bucket) const {
  return engine::code_timeline(*snapshot_, filter, bucket);
}

std::vector<CodeRow> SnapshotAnalytics::code_breakdown(const Filter& filter,
                                                       const CodeGrouping& by) const {
  return engine::code_breakdown(*snapshot_, filter, by);
}

std::vector<MetricNameRow> SnapshotAnalytics::metric_names() const {
  return engine::metric_names(*snapshot_);
}

}  // namespace cca::engine
