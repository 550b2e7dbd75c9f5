#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/breakdown.h"
#include "engine/code_activity.h"
#include "engine/directory.h"
#include "engine/distribution.h"
#include "engine/facets.h"
#include "engine/heatmap.h"
#include "engine/latency.h"
#include "engine/sessions.h"
#include "engine/summary.h"
#include "engine/timeseries.h"
#include "engine/users.h"

namespace cca::engine {

// One event of a session's detail, as answers show it: text where the store keeps text, NaN for
// numbers the event did not carry.
struct EventValues {
  int64_t time_ms = 0;
  std::string event_name;
  std::optional<std::string> model, tool, decision, decision_source, status_code, error;
  int8_t success = -1;  // 1 true, 0 false, -1 absent
  double attempt = kAbsentNumber, input_tokens = kAbsentNumber, output_tokens = kAbsentNumber,
         cache_read_tokens = kAbsentNumber, cache_creation_tokens = kAbsentNumber,
         cost_usd = kAbsentNumber, duration_ms = kAbsentNumber, prompt_length = kAbsentNumber,
         tool_result_size_bytes = kAbsentNumber;
};

struct SessionEvents {
  SessionRow row;
  std::vector<EventValues> events;  // the matching events in time order
};

// Every analytics question, whichever store answers it: the engine over one snapshot
// (SnapshotAnalytics) or ClickHouse's SQL (clickhouse::ClickHouseAnalytics). The server's
// endpoints, the insights and the report ask through this, so that each answer is written once.
// Each method has the semantics of the engine function of the same name.
class Analytics {
 public:
  virtual ~Analytics() = default;

  // The first and last stored event's times; none when the store holds no event.
  virtual std::optional<int64_t> first_time() const = 0;
  virtual std::optional<int64_t> last_time() const = 0;

  virtual Summary summarize(const Filter& filter) const = 0;
  virtual std::vector<BreakdownRow> breakdown(const Filter& filter, Dimension by,
                                              Metric sort = Metric::kEvents) const = 0;
  // Of the figures, only those `metric` is computed from are certain: a store may leave the
  // others 0 (ClickHouse reads only the metric's sums where it has no distinct count).
  virtual std::vector<std::vector<RangedBreakdownRow>> ranged_breakdowns(
      const Filter& filter, std::span<const Dimension> by, Metric metric,
      std::span<const TimeRange> ranges) const = 0;
  virtual Timeseries timeseries(const Filter& filter, Bucket bucket,
                                std::optional<Dimension> split = std::nullopt,
                                size_t split_limit = 12,
                                const std::vector<std::string>* split_values = nullptr) const = 0;
  // A time series of one metric: only the figures it is computed from are certain, as in
  // ranged_breakdowns (the forecasts and the anomalies of an amount ask it).
  virtual Timeseries metric_timeseries(const Filter& filter, Bucket bucket,
                                       Metric metric) const = 0;
  virtual std::vector<MetricSet> heatmap(const Filter& filter) const = 0;
  virtual SessionsPage list_sessions(const Filter& filter, const SessionOrder& order, size_t limit,
                                     size_t offset) const = 0;
  virtual std::optional<SessionEvents> session_detail(const Filter& filter,
                                                      std::string_view session_id) const = 0;
  virtual UsersPage list_users(const Filter& filter, const UserOrder& order, size_t limit,
                               size_t offset) const = 0;
  virtual std::optional<UserProfile> user_profile(const Filter& filter,
                                                  std::string_view email) const = 0;
  virtual std::vector<LatencyRow> latency(const Filter& filter, LatencyBy by,
                                          LatencyMeasure measure) const = 0;
  virtual LatencySeries latency_timeseries(const Filter& filter, LatencyBy of,
                                           LatencyMeasure measure, Bucket bucket) const = 0;
  virtual Distribution session_distribution(const Filter& filter, SessionQuantity of,
                                            size_t bins) const = 0;
  virtual Facets facets(const Filter& filter) const = 0;
  virtual std::vector<Employee> employees() const = 0;  // sorted by email

  // Code activity, from OTLP metrics.
  virtual CodeActivity code_activity(const Filter& filter) const = 0;
  virtual CodeTimeline code_timeline(const Filter& filter, Bucket bucket) const = 0;
  virtual std::vector<CodeRow> code_breakdown(const Filter& filter,
                                              const CodeGrouping& by) const = 0;
  virtual std::vector<MetricNameRow> metric_names() const = 0;

  // The range a time series over `filter` covers (engine::bucket_range).
  BucketRange bucket_range(const Filter& filter, Bucket bucket) const {
    return engine::bucket_range(first_time(), last_time(), filter, bucket);
  }
};

// Where answers come from, as they change: the engine over the embedded store, or ClickHouse.
class AnalyticsSource {
 public:
  virtual ~AnalyticsSource() = default;
  // What a question reads; an answer holds it from start to end.
  virtual std::shared_ptr<const Analytics> analytics() const = 0;
  // Changes whenever the data may have; answers may be cached under it.
  virtual uint64_t version() const = 0;
  // Events stored, as of the last refresh.
  virtual uint64_t events() const = 0;
  // Looks for data stored since the last look. Returns true when the version changed.
  virtual bool refresh() = 0;
};

// The engine's answers over one snapshot, which it keeps alive.
class SnapshotAnalytics final : public Analytics {
 public:
  explicit SnapshotAnalytics(std::shared_ptr<const Snapshot> snapshot)
      : snapshot_(std::move(snapshot)) {}

  const Snapshot& snapshot() const { return *snapshot_; }

  std::optional<int64_t> first_time() const override { return snapshot_->first_time(); }
  std::optional<int64_t> last_time() const override { return snapshot_->last_time(); }
  Summary summarize(const Filter& filter) const override;
  std::vector<BreakdownRow> breakdown(const Filter& filter, Dimension by,
                                      Metric sort) const override;
  std::vector<std::vector<RangedBreakdownRow>> ranged_breakdowns(
      const Filter& filter, std::span<const Dimension> by, Metric metric,
      std::span<const TimeRange> ranges) const override;
  Timeseries timeseries(const Filter& filter, Bucket bucket, std::optional<Dimension> split,
                        size_t split_limit,
                        const std::vector<std::string>* split_values) const override;
  Timeseries metric_timeseries(const Filter& filter, Bucket bucket, Metric metric) const override;
  std::vector<MetricSet> heatmap(const Filter& filter) const override;
  SessionsPage list_sessions(const Filter& filter, const SessionOrder& order, size_t limit,
                             size_t offset) const override;
  std::optional<SessionEvents> session_detail(const Filter& filter,
                                              std::string_view session_id) const override;
  UsersPage list_users(const Filter& filter, const UserOrder& order, size_t limit,
                       size_t offset) const override;
  std::optional<UserProfile> user_profile(const Filter& filter,
                                          std::string_view email) const override;
  std::vector<LatencyRow> latency(const Filter& filter, LatencyBy by,
                                  LatencyMeasure measure) const override;
  LatencySeries latency_timeseries(const Filter& filter, LatencyBy of, LatencyMeasure measure,
                                   Bucket bucket) const override;
  Distribution session_distribution(const Filter& filter, SessionQuantity of,
                                    size_t bins) const override;
  Facets facets(const Filter& filter) const override;
  std::vector<Employee> employees() const override;
  CodeActivity code_activity(const Filter& filter) const override;
  CodeTimeline code_timeline(const Filter& filter, Bucket bucket) const override;
  std::vector<CodeRow> code_breakdown(const Filter& filter, const CodeGrouping& by) const override;
  std::vector<MetricNameRow> metric_names() const override;

 private:
  std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace cca::engine
