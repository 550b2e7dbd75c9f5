#include "engine/timeseries.h"

#include <algorithm>

#include "common/time_util.h"
#include "engine/query_error.h"
#include "engine/scan.h"

namespace cca::engine {
namespace {

constexpr std::string_view kBucketNames[] = {"hour", "day", "week"};

// Walks time-sorted rows and says which bucket each falls in, without a division per row.
class BucketCursor {
 public:
  BucketCursor(Bucket bucket, int64_t origin)
      : width_(bucket_width_ms(bucket)), end_(origin + width_) {}

  uint32_t index_of(int64_t t) {
    while (t >= end_) {
      end_ += width_;
      ++index_;
    }
    return index_;
  }

 private:
  int64_t width_;
  int64_t end_;
  uint32_t index_ = 0;
};

// Metric sets per (series, bucket), filled in bucket order. A cell's bucket never goes back, so
// "already counted in this bucket" is a stamp per series and entity rather than a set of pairs.
class BucketedMetrics {
 public:
  BucketedMetrics(size_t series, size_t buckets, const Snapshot& snapshot)
      : buckets_(buckets),
        sessions_(snapshot.session_codes()),
        users_(snapshot.user_codes()),
        sets_(series * buckets),
        session_stamp_(series * sessions_, 0),
        user_stamp_(series * users_, 0) {}

  void add(uint32_t series, uint32_t bucket, const Cell& cell) {
    MetricSet& set = sets_[series * buckets_ + bucket];
    set.add(cell);
    const uint32_t stamp = bucket + 1;
    uint32_t& session = session_stamp_[series * sessions_ + cell.session];
    if (session != stamp && cell.session != Dictionary::kAbsent) {
      session = stamp;
      ++set.sessions;
    }
    uint32_t& user = user_stamp_[series * users_ + cell.user];
    if (user != stamp) {
      user = stamp;
      ++set.users;
    }
  }

  std::vector<MetricSet> take() { return std::move(sets_); }

 private:
  size_t buckets_, sessions_, users_;
  std::vector<MetricSet> sets_;
  std::vector<uint32_t> session_stamp_, user_stamp_;
};

// The values of `split` with the most matching events, most first, ties by value.
std::vector<uint32_t> top_values(const Snapshot& snapshot, const RowFilter& rows, Dimension split,
                                 size_t limit) {
  const Dictionary& dictionary = dimension_dictionary(snapshot, split);
  std::vector<uint64_t> events(dictionary.size(), 0);
  with_dimension_key(snapshot, split, [&](auto key_of) {
    scan_cells(snapshot, rows, choose_cells(rows, dimension_needs(split)),
               [&](const Cell& cell) { events[key_of(cell)] += cell.events; });
  });
  std::vector<uint32_t> codes;
  for (uint32_t code = 1; code < events.size(); ++code)
    if (events[code] > 0) codes.push_back(code);
  std::sort(codes.begin(), codes.end(), [&](uint32_t a, uint32_t b) {
    if (events[a] != events[b]) return events[a] > events[b];
    return dictionary.value(a) < dictionary.value(b);
  });
  if (codes.size() > limit) codes.resize(limit);
  return codes;
}

}  // namespace

std::optional<Bucket> parse_bucket(std::string_view name) {
  for (size_t i = 0; i < std::size(kBucketNames); ++i)
    if (kBucketNames[i] == name) return static_cast<Bucket>(i);
  return std::nullopt;
}

std::string_view bucket_name(Bucket bucket) {
  return kBucketNames[static_cast<size_t>(bucket)];
}

int64_t bucket_width_ms(Bucket bucket) {
  switch (bucket) {
    case Bucket::kHour:
      return kMsPerHour;
    case Bucket::kDay:
      return kMsPerDay;
    case Bucket::kWeek:
      return 7 * kMsPerDay;
  }
  return kMsPerDay;
}

int64_t bucket_start(Bucket bucket, int64_t t_ms) {
  switch (bucket) {
    case Bucket::kHour:
      return floor_div(t_ms, kMsPerHour) * kMsPerHour;
    case Bucket::kDay:
      return floor_div(t_ms, kMsPerDay) * kMsPerDay;
    case Bucket::kWeek: {
      const int64_t day = floor_div(t_ms, kMsPerDay) * kMsPerDay;
      return day - weekday_monday0(day) * kMsPerDay;
    }
  }
  return t_ms;
}

BucketRange bucket_range(const Snapshot& snapshot, const Filter& filter, Bucket bucket) {
  return bucket_range(snapshot.first_time(), snapshot.last_time(), filter, bucket);
}

BucketRange bucket_range(std::optional<int64_t> data_first, std::optional<int64_t> last_time,
                         const Filter& filter, Bucket bucket) {
  BucketRange range;
  const std::optional<int64_t> start = filter.from_ms ? filter.from_ms : data_first;
  const std::optional<int64_t> end =
      filter.to_ms ? filter.to_ms
                   : (last_time ? std::optional<int64_t>(*last_time + 1) : std::nullopt);
  if (!start || !end || *end <= *start) return range;
  range.from_ms = *start;
  range.to_ms = *end;
  const int64_t origin = bucket_start(bucket, *start);
  const int64_t width = bucket_width_ms(bucket);
  const int64_t buckets = (bucket_start(bucket, *end - 1) - origin) / width + 1;
  if (buckets > static_cast<int64_t>(kMaxBuckets))
    throw QueryError("the range spans " + std::to_string(buckets) + " " +
                     std::string(bucket_name(bucket)) + " buckets; at most " +
                     std::to_string(kMaxBuckets) + " fit in one answer: choose a wider bucket");
  range.starts.reserve(buckets);
  for (int64_t i = 0; i < buckets; ++i) range.starts.push_back(origin + i * width);
  return range;
}

Timeseries timeseries(const Snapshot& snapshot, const Filter& filter, Bucket bucket,
                      std::optional<Dimension> split, size_t split_limit,
                      const std::vector<std::string>* split_values) {
  Timeseries result;
  BucketRange range = bucket_range(snapshot, filter, bucket);
  if (range.starts.empty()) return result;
  result.starts = std::move(range.starts);
  const int64_t origin = result.starts.front();

  Filter bounded = filter;
  bounded.from_ms = range.from_ms;
  bounded.to_ms = range.to_ms;
  const RowFilter rows(snapshot, bounded);
  const size_t bucket_count = result.starts.size();

  {
    BucketedMetrics total(1, bucket_count, snapshot);
    BucketCursor cursor(bucket, origin);
    scan_cells(snapshot, rows, choose_cells(rows, Needs::kNothing),
               [&](const Cell& cell) { total.add(0, cursor.index_of(cell.first_ms), cell); });
    result.points = total.take();
  }
  if (!split) return result;

  const Dictionary& dictionary = dimension_dictionary(snapshot, *split);
  std::vector<uint32_t> top;  // the series' codes; kAbsent for a value the data lacks
  if (split_values) {
    for (const std::string& value : *split_values)
      top.push_back(dictionary.find(value).value_or(Dictionary::kAbsent));
  } else {
    top = top_values(snapshot, rows, *split, split_limit);
  }
  std::vector<uint32_t> series_of(dictionary.size(), UINT32_MAX);
  for (uint32_t i = 0; i < top.size(); ++i)
    if (top[i] != Dictionary::kAbsent) series_of[top[i]] = i;
  const size_t series_count = std::max<size_t>(top.size(), 1);
  BucketedMetrics by_series(series_count, bucket_count, snapshot);
  BucketCursor cursor(bucket, origin);
  with_dimension_key(snapshot, *split, [&](auto key_of) {
    scan_cells(snapshot, rows, choose_cells(rows, dimension_needs(*split)), [&](const Cell& cell) {
      const uint32_t index = cursor.index_of(cell.first_ms);
      const uint32_t series = series_of[key_of(cell)];
      if (series != UINT32_MAX) by_series.add(series, index, cell);
    });
  });
  std::vector<MetricSet> flat = by_series.take();
  for (uint32_t i = 0; i < top.size(); ++i) {
    TimeSeries series{split_values ? (*split_values)[i] : std::string(dictionary.value(top[i])),
                      {}};
    series.points.assign(flat.begin() + i * bucket_count, flat.begin() + (i + 1) * bucket_count);
    result.series.push_back(std::move(series));
  }
  return result;
}

}  // namespace cca::engine
