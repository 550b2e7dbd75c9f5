#include "engine/latency.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <span>

namespace cca::engine {
namespace {

bool filters_only_time(const Filter& filter) {
  return filter.practice.empty() && filter.level.empty() && filter.location.empty() &&
         filter.model.empty() && filter.email.empty() && filter.terminal.empty() &&
         filter.attributes.empty() && filter.scope_practices.empty() && filter.tool.empty() &&
         filter.status_code.empty() && filter.error.empty();
}

// The durations of one key: whole segments (sorted already) and values picked one by one.
struct Sample {
  std::vector<const KeyDurations*> whole;
  std::vector<double> loose;
};

// Doubles as unsigned integers in the same order (negatives flipped), so that a bisection can
// walk the values between two durations.
uint64_t order_key(double value) {
  const auto bits = std::bit_cast<uint64_t>(value);
  return bits >> 63 ? ~bits : bits | (uint64_t{1} << 63);
}

double from_order_key(uint64_t key) {
  return std::bit_cast<double>(key >> 63 ? key & ~(uint64_t{1} << 63) : ~key);
}

// The value of 0-based rank k in the union of sorted runs: the smallest value with more than k
// values at or below it, found by bisecting the doubles between the smallest and the largest
// value (at most 64 steps, each a binary search per run). Runs are one per segment: a few dozen
// at a hundred million events, where merging them would touch every value.
double rank_in_runs(const std::vector<std::span<const double>>& runs, size_t k) {
  const auto at_or_below = [&](double x) {
    size_t count = 0;
    for (const auto& run : runs)
      count += static_cast<size_t>(std::upper_bound(run.begin(), run.end(), x) - run.begin());
    return count;
  };
  uint64_t lo = std::numeric_limits<uint64_t>::max(), hi = 0;
  for (const auto& run : runs) {
    if (run.empty()) continue;
    lo = std::min(lo, order_key(run.front()));
    hi = std::max(hi, order_key(run.back()));
  }
  if (lo > hi) return std::numeric_limits<double>::infinity();
  while (lo < hi) {
    const uint64_t mid = lo + (hi - lo) / 2;
    if (at_or_below(from_order_key(mid)) > k) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  const double value = from_order_key(lo);
  return value == 0 ? 0.0 : value;  // -0 and 0 count as one value: answer 0
}

Percentiles summarise(Sample& sample) {
  if (sample.whole.empty()) return percentiles(sample.loose);
  std::sort(sample.loose.begin(), sample.loose.end());
  std::vector<std::span<const double>> runs;
  Percentiles p;
  double sum = 0;
  for (const KeyDurations* durations : sample.whole) {
    runs.emplace_back(durations->sorted);
    sum += durations->sum;
  }
  for (const double v : sample.loose) sum += v;
  if (!sample.loose.empty()) runs.emplace_back(sample.loose);
  for (const auto& run : runs) p.count += run.size();
  p.mean = sum / static_cast<double>(p.count);
  // Nearest rank: the smallest value with at least p% of the sample at or below it.
  const auto rank = [&](double percent) {
    return rank_in_runs(runs, nearest_rank(percent, p.count) - 1);
  };
  p.p50 = rank(50);
  p.p90 = rank(90);
  p.p95 = rank(95);
  p.p99 = rank(99);
  p.min = rank_in_runs(runs, 0);
  p.max = rank_in_runs(runs, p.count - 1);
  return p;
}

// The durations one question reads from a segment, one entry per model or tool.
const std::vector<KeyDurations>& key_durations(const Segment& segment, LatencyBy by,
                                               LatencyMeasure measure) {
  if (by == LatencyBy::kTool) return segment.latency.by_tool;
  return measure == LatencyMeasure::kTtftMs ? segment.latency.ttft_by_model
                                            : segment.latency.by_model;
}

}  // namespace

std::optional<LatencyBy> parse_latency_by(std::string_view name) {
  if (name == "model") return LatencyBy::kModel;
  if (name == "tool") return LatencyBy::kTool;
  return std::nullopt;
}

std::optional<LatencyMeasure> parse_latency_measure(std::string_view name) {
  if (name == "duration_ms") return LatencyMeasure::kDurationMs;
  if (name == "ttft_ms") return LatencyMeasure::kTtftMs;
  return std::nullopt;
}

std::vector<LatencyRow> latency(const Snapshot& snapshot, const Filter& filter, LatencyBy by,
                                LatencyMeasure measure) {
  const RowFilter rows(snapshot, filter);
  const bool by_model = by == LatencyBy::kModel;
  const Dictionary& dictionary = by_model ? snapshot.dict().model : snapshot.dict().tool;
  const bool only_time = filters_only_time(filter);
  size_t key_count = 0;
  for (const auto& segment : snapshot.segments)
    key_count = std::max(key_count, key_durations(*segment, by, measure).size());

  std::vector<LatencyRow> result;
  for (uint32_t key = 1; key < key_count && rows.accepts_some_user(); ++key) {
    Sample sample;
    for (const auto& segment : snapshot.segments) {
      const std::vector<KeyDurations>& keys = key_durations(*segment, by, measure);
      if (key >= keys.size() || keys[key].row.empty()) continue;
      const KeyDurations& durations = keys[key];
      const size_t lo = segment->first_at_or_after(durations.row, rows.from_ms());
      const size_t hi = segment->first_at_or_after(durations.row, rows.to_ms());
      if (lo >= hi) continue;
      if (only_time && lo == 0 && hi == durations.row.size()) {
        sample.whole.push_back(&durations);
      } else if (only_time) {
        for (size_t i = lo; i < hi; ++i) sample.loose.push_back(durations.value(*segment, i));
      } else {
        for (size_t i = lo; i < hi; ++i)
          if (rows.accepts(*segment, durations.row[i]))
            sample.loose.push_back(durations.value(*segment, i));
      }
    }
    if (!sample.whole.empty() || !sample.loose.empty())
      result.push_back({std::string(dictionary.value(key)), summarise(sample)});
  }
  std::sort(result.begin(), result.end(), [](const LatencyRow& a, const LatencyRow& b) {
    if (a.duration_ms.count != b.duration_ms.count)
      return a.duration_ms.count > b.duration_ms.count;
    return a.key < b.key;
  });
  return result;
}

LatencySeries latency_timeseries(const Snapshot& snapshot, const Filter& filter, LatencyBy of,
                                 LatencyMeasure measure, Bucket bucket) {
  LatencySeries result;
  BucketRange range = bucket_range(snapshot, filter, bucket);
  if (range.starts.empty()) return result;
  std::vector<std::vector<double>> by_bucket(range.starts.size());
  Filter bounded = filter;
  bounded.from_ms = range.from_ms;
  bounded.to_ms = range.to_ms;
  const RowFilter rows(snapshot, bounded);
  const bool only_time = filters_only_time(filter);
  const int64_t origin = range.starts.front(), width = bucket_width_ms(bucket);
  for (const auto& segment : snapshot.segments) {
    if (!rows.accepts_some_user()) break;
    for (const KeyDurations& durations : key_durations(*segment, of, measure)) {
      const size_t lo = segment->first_at_or_after(durations.row, rows.from_ms());
      const size_t hi = segment->first_at_or_after(durations.row, rows.to_ms());
      for (size_t i = lo; i < hi; ++i) {
        const uint32_t row = durations.row[i];
        if (!only_time && !rows.accepts(*segment, row)) continue;
        by_bucket[static_cast<size_t>((segment->time_ms[row] - origin) / width)].push_back(
            durations.value(*segment, i));
      }
    }
  }
  result.duration_ms.reserve(by_bucket.size());
  for (std::vector<double>& values : by_bucket) result.duration_ms.push_back(percentiles(values));
  result.starts = std::move(range.starts);
  return result;
}

}  // namespace cca::engine
