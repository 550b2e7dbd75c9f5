#include "clickhouse/clickhouse_analytics.h"

#include "clickhouse/event_sql.h"
#include "clickhouse/rollups.h"
#include "clickhouse/schema.h"

namespace cca::clickhouse {

ClickHouseAnalytics::ClickHouseAnalytics(std::shared_ptr<const ClickHouseClient> client)
    : client_(std::move(client)),
      people_cache_(*client_),
      queries_(*client_, &people_cache_),
      shapes_(*client_, &people_cache_),
      people_(*client_, &people_cache_),
      code_(*client_, &people_cache_) {}

std::optional<int64_t> ClickHouseAnalytics::first_time() const {
  return queries_.span().first;
}
std::optional<int64_t> ClickHouseAnalytics::last_time() const {
  return queries_.span().second;
}

engine::Summary ClickHouseAnalytics::summarize(const engine::Filter& filter) const {
  return queries_.summarize(filter);
}

std::vector<engine::BreakdownRow> ClickHouseAnalytics::breakdown(const engine::Filter& filter,
                                                                 engine::Dimension by,
                                                                 engine::Metric sort) const {
  return queries_.breakdown(filter, by, sort);
}

std::vector<std::vector<engine::RangedBreakdownRow>> ClickHouseAnalytics::ranged_breakdowns(
    const engine::Filter& filter, std::span<const engine::Dimension> by, engine::Metric metric,
    std::span<const engine::TimeRange> ranges) const {
  return queries_.ranged_breakdowns(filter, by, metric, ranges);
}

engine::Timeseries ClickHouseAnalytics::timeseries(
    const engine::Filter& filter, engine::Bucket bucket, std::optional<engine::Dimension> split,
    size_t split_limit, const std::vector<std::string>* split_values) const {
  return queries_.timeseries(filter, bucket, split, split_limit, split_values);
}

std::vector<engine::MetricSet> ClickHouseAnalytics::heatmap(const engine::Filter& filter) const {
  return shapes_.heatmap(filter);
}

engine::SessionsPage ClickHouseAnalytics::list_sessions(const engine::Filter& filter,
                                                        const engine::SessionOrder& order,
                                                        size_t limit, size_t offset) const {
  return people_.list_sessions(filter, order, limit, offset);
}

std::optional<engine::SessionEvents> ClickHouseAnalytics::session_detail(
    const engine::Filter& filter, std::string_view session_id) const {
  return people_.session_detail(filter, session_id);
}

engine::UsersPage ClickHouseAnalytics::list_users(const engine::Filter& filter,
                                                  const engine::UserOrder& order, size_t limit,
                                                  size_t offset) const {
  return people_.list_users(filter, order, limit, offset);
}

std::optional<engine::UserProfile> ClickHouseAnalytics::user_profile(const engine::Filter& filter,
                                                                     std::string_view email) const {
  return people_.user_profile(filter, email);
}

std::vector<engine::LatencyRow> ClickHouseAnalytics::latency(const engine::Filter& filter,
                                                             engine::LatencyBy by,
                                                             engine::LatencyMeasure measure) const {
  return shapes_.latency(filter, by, measure);
}

engine::Timeseries ClickHouseAnalytics::metric_timeseries(const engine::Filter& filter,
                                                          engine::Bucket bucket,
                                                          engine::Metric metric) const {
  return queries_.timeseries(filter, bucket, std::nullopt, 0, nullptr, metric);
}

engine::LatencySeries ClickHouseAnalytics::latency_timeseries(const engine::Filter& filter,
                                                              engine::LatencyBy of,
                                                              engine::LatencyMeasure measure,
                                                              engine::Bucket bucket) const {
  return shapes_.latency_timeseries(filter, of, measure, bucket);
}

engine::Distribution ClickHouseAnalytics::session_distribution(const engine::Filter& filter,
                                                               engine::SessionQuantity of,
                                                               size_t bins) const {
  return shapes_.session_distribution(filter, of, bins);
}

engine::Facets ClickHouseAnalytics::facets(const engine::Filter& filter) const {
  return shapes_.facets(filter);
}

std::vector<engine::Employee> ClickHouseAnalytics::employees() const {
  std::vector<engine::Employee> employees;
  for (const auto& row : rows_of(client_->query(
           "SELECT email, full_name, practice, level, location, user_id FROM employees WHERE "
           "version = (SELECT max(version) FROM employees) AND email != '' ORDER BY email")))
    employees.push_back({row.at(0), row.at(1), row.at(2), row.at(3), row.at(4), row.at(5)});
  return employees;
}

engine::CodeActivity ClickHouseAnalytics::code_activity(const engine::Filter& filter) const {
  return code_.code_activity(filter);
}

engine::CodeTimeline ClickHouseAnalytics::code_timeline(const engine::Filter& filter,
                                                        engine::Bucket bucket) const {
  return code_.code_timeline(filter, bucket);
}

std::vector<engine::CodeRow> ClickHouseAnalytics::code_breakdown(
    const engine::Filter& filter, const engine::CodeGrouping& by) const {
  return code_.code_breakdown(filter, by);
}

std::vector<engine::MetricNameRow> ClickHouseAnalytics::metric_names() const {
  return code_.metric_names();
}

ClickHouseSource::ClickHouseSource(ClickHouseUrl url)
    : client_(std::make_shared<const ClickHouseClient>(std::move(url))),
      analytics_(std::make_shared<const ClickHouseAnalytics>(client_)) {
  ensure_schema(*client_);
  refresh();
}

bool ClickHouseSource::refresh() {
  std::lock_guard lock(refresh_mutex_);
  // The events are counted by the totals (a row a month): count() without a condition is read
  // from part metadata on current ClickHouse, but 18.16 reads a column for it, 33-66 ms at 52-103 M
  // events every second, competing with the questions. The ingest log's revisions catch a
  // redelivery that added nothing, which needs no new version but costs none.
  const std::string state = client_->query(
      "SELECT (SELECT sum(events) FROM " + std::string(kRollupTables[kMonthRollup].totals) +
      " WHERE dimension = ''), (SELECT count() FROM employees), (SELECT count() FROM ingests), "
      "(SELECT count() FROM metric_points)");
  if (state == state_) return false;
  state_ = state;
  analytics_->forget_people();
  const auto rows = rows_of(state);
  if (!rows.empty()) events_ = std::stoull(rows[0].at(0));
  version_.fetch_add(1);
  return true;
}

}  // namespace cca::clickhouse
