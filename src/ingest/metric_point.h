#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/hash128.h"

namespace cca::ingest {

// Why a metric data point was quarantined (kind "data_point"), beside the event reasons of
// rejection.h: missing_user, missing_timestamp and invalid_number apply to points too.
namespace reason {
inline constexpr std::string_view kMissingValue = "missing_value";
inline constexpr std::string_view kNegativeCounter = "negative_counter";
}  // namespace reason

inline constexpr std::string_view kDataPointKind = "data_point";

// The OTLP metric data kinds, by the name of their field in a Metric.
enum class MetricKind : uint8_t { kGauge, kSum, kHistogram, kExponentialHistogram, kSummary };
std::string_view metric_kind_name(MetricKind kind);  // gauge, sum, histogram, ...

// OTLP AggregationTemporality numbers.
inline constexpr int kTemporalityUnspecified = 0;
inline constexpr int kTemporalityDelta = 1;
inline constexpr int kTemporalityCumulative = 2;

// One OTLP metric data point as a walker of the request (JSON or protobuf) found it: the walker
// fills the raw fields, add_point() checks them and derives the typed ones.
struct MetricPoint {
  std::string name, unit;
  MetricKind kind = MetricKind::kGauge;
  int temporality = kTemporalityUnspecified;
  bool monotonic = false;
  int64_t start_ns = 0;  // 0 when absent
  int64_t time_ns = 0;
  // Sum and gauge: the value (asDouble or asInt). Histograms and summaries: their sum, which may
  // be absent (a histogram of negative values has none).
  std::optional<double> value;
  std::optional<uint64_t> count;  // histograms and summaries
  // Attribute values as JSON (a string attribute is a JSON string). nlohmann's objects keep keys
  // sorted, which makes the series identity independent of the order the client sent them in.
  nlohmann::json resource = nlohmann::json::object();
  nlohmann::json attributes = nlohmann::json::object();
  std::string raw;      // the data point as it arrived, for the quarantine
  uint64_t number = 0;  // 1-based position in the request

  // Derived by add_point() from the attributes (empty when absent).
  std::string user;  // lowercase(trim(user.email)), else user.id
  std::string session, terminal, model, type, language, tool, decision, source, query_source;
  std::string practice_hint;  // resource user.practice
};

// The identity of a point's series: what the point measures, whatever its times (its resource, its
// metric's name and its attributes, each object's JSON text with keys sorted). A point is its
// series, start time and time.
Hash128 series_key(std::string_view resource_json, std::string_view name,
                   std::string_view attributes_json);

// A point add_point() refused, with the reason.
struct RejectedPoint {
  std::string reason, field, detail, raw;
  uint64_t number = 0;
};

struct MetricBatch {
  std::vector<MetricPoint> points;
  std::vector<RejectedPoint> rejected;
};

// Applies the ingest rules to a point the walker filled: drops prompt/response/tool content
// attributes, derives the typed fields and appends it to batch.points, or appends its rejection
// (no user, no time, a missing or non-finite value, a negative value on a monotonic sum).
void add_point(MetricPoint&& point, MetricBatch& batch);

}  // namespace cca::ingest
