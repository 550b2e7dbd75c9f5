#pragma once

#include <atomic>
#include <memory>
#include <mutex>

#include "clickhouse/client.h"
#include "clickhouse/code_queries.h"
#include "clickhouse/event_sql.h"
#include "clickhouse/people_queries.h"
#include "clickhouse/queries.h"
#include "clickhouse/shape_queries.h"
#include "engine/analytics.h"

namespace cca::clickhouse {

// The analytics questions answered by ClickHouse's SQL (Queries, ShapeQueries, PeopleQueries,
// CodeQueries), for the server's endpoints, the insights and the report: every question of
// engine::Analytics.
class ClickHouseAnalytics final : public engine::Analytics {
 public:
  explicit ClickHouseAnalytics(std::shared_ptr<const ClickHouseClient> client);

  std::optional<int64_t> first_time() const override;
  std::optional<int64_t> last_time() const override;
  engine::Summary summarize(const engine::Filter& filter) const override;
  std::vector<engine::BreakdownRow> breakdown(const engine::Filter& filter, engine::Dimension by,
                                              engine::Metric sort) const override;
  std::vector<std::vector<engine::RangedBreakdownRow>> ranged_breakdowns(
      const engine::Filter& filter, std::span<const engine::Dimension> by, engine::Metric metric,
      std::span<const engine::TimeRange> ranges) const override;
  engine::Timeseries timeseries(const engine::Filter& filter, engine::Bucket bucket,
                                std::optional<engine::Dimension> split, size_t split_limit,
                                const std::vector<std::string>* split_values) const override;
  engine::Timeseries metric_timeseries(const engine::Filter& filter, engine::Bucket bucket,
                                       engine::Metric metric) const override;
  std::vector<engine::MetricSet> heatmap(const engine::Filter& filter) const override;
  engine::SessionsPage list_sessions(const engine::Filter& filter,
                                     const engine::SessionOrder& order, size_t limit,
                                     size_t offset) const override;
  std::optional<engine::SessionEvents> session_detail(const engine::Filter& filter,
                                                      std::string_view session_id) const override;
  engine::UsersPage list_users(const engine::Filter& filter, const engine::UserOrder& order,
                               size_t limit, size_t offset) const override;
  std::optional<engine::UserProfile> user_profile(const engine::Filter& filter,
                                                  std::string_view email) const override;
  std::vector<engine::LatencyRow> latency(const engine::Filter& filter, engine::LatencyBy by,
                                          engine::LatencyMeasure measure) const override;
  engine::LatencySeries latency_timeseries(const engine::Filter& filter, engine::LatencyBy of,
                                           engine::LatencyMeasure measure,
                                           engine::Bucket bucket) const override;
  engine::Distribution session_distribution(const engine::Filter& filter,
                                            engine::SessionQuantity of, size_t bins) const override;
  engine::Facets facets(const engine::Filter& filter) const override;
  std::vector<engine::Employee> employees() const override;
  engine::CodeActivity code_activity(const engine::Filter& filter) const override;
  engine::CodeTimeline code_timeline(const engine::Filter& filter,
                                     engine::Bucket bucket) const override;
  std::vector<engine::CodeRow> code_breakdown(const engine::Filter& filter,
                                              const engine::CodeGrouping& by) const override;
  std::vector<engine::MetricNameRow> metric_names() const override;

  // The store changed: questions from now on read its people again.
  void forget_people() const { people_cache_.forget(); }

 private:
  std::shared_ptr<const ClickHouseClient> client_;
  PeopleCache people_cache_;
  Queries queries_;
  ShapeQueries shapes_;
  PeopleQueries people_;
  CodeQueries code_;
};

// ClickHouse as the server's source of answers. The version moves when ClickHouse's events,
// metric points, directory or ingest log change (refresh() asks, cheaply: the events are counted
// by the month totals' rows), so that cached answers and the live update stream follow what any
// process stored.
class ClickHouseSource final : public engine::AnalyticsSource {
 public:
  // Creates or migrates the schema. Throws ClickHouseError.
  explicit ClickHouseSource(ClickHouseUrl url);

  std::shared_ptr<const engine::Analytics> analytics() const override { return analytics_; }
  uint64_t version() const override { return version_.load(); }
  uint64_t events() const override { return events_.load(); }
  bool refresh() override;

 private:
  std::shared_ptr<const ClickHouseClient> client_;
  std::shared_ptr<const ClickHouseAnalytics> analytics_;
  std::mutex refresh_mutex_;
  std::string state_;  // what refresh() last saw
  std::atomic<uint64_t> version_{1}, events_{0};
};

}  // namespace cca::clickhouse
