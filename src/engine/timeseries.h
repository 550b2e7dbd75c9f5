#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/dimension.h"
#include "engine/filter.h"
#include "engine/metric_set.h"

namespace cca::engine {

enum class Bucket { kHour, kDay, kWeek };  // weeks start on Monday, all in UTC

std::optional<Bucket> parse_bucket(std::string_view name);
std::string_view bucket_name(Bucket bucket);
// Start of the bucket that holds t.
int64_t bucket_start(Bucket bucket, int64_t t_ms);
int64_t bucket_width_ms(Bucket bucket);

struct TimeSeries {
  std::string key;
  std::vector<MetricSet> points;  // one per bucket of Timeseries::starts
};

struct Timeseries {
  std::vector<int64_t> starts;    // every bucket of the range, empty ones included
  std::vector<MetricSet> points;  // all matching events
  // With a split: the largest values of the dimension by events, largest first.
  std::vector<TimeSeries> series;
};

// The most buckets one answer may have; longer ranges need a wider bucket.
inline constexpr size_t kMaxBuckets = 20'000;

// The range a time series covers, [from_ms, to_ms): the filter's, or the data's where the filter
// leaves an end open; and the start of each of its buckets (none when the range is empty).
struct BucketRange {
  int64_t from_ms = 0, to_ms = 0;
  std::vector<int64_t> starts;
};
// Throws QueryError when the range needs more than kMaxBuckets buckets.
BucketRange bucket_range(const Snapshot& snapshot, const Filter& filter, Bucket bucket);
// The same over any store: data_first and data_last are its first and last event's times (none
// when it is empty).
BucketRange bucket_range(std::optional<int64_t> data_first, std::optional<int64_t> data_last,
                         const Filter& filter, Bucket bucket);

// Buckets cover the filter's time range, or the data's where the filter leaves an end open.
// Throws QueryError when the range needs more than kMaxBuckets buckets. With split_values, the
// split's series are those values in that order (zeros for one without events), not the largest.
Timeseries timeseries(const Snapshot& snapshot, const Filter& filter, Bucket bucket,
                      std::optional<Dimension> split = std::nullopt, size_t split_limit = 12,
                      const std::vector<std::string>* split_values = nullptr);

}  // namespace cca::engine
