#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "engine/cell.h"
#include "engine/columns.h"
#include "engine/dictionaries.h"

namespace cca::engine {

inline constexpr double kAbsentNumber = std::numeric_limits<double>::quiet_NaN();

// One event as read from the store: strings as dictionary codes (0 when absent), numbers NaN when
// absent.
struct EventRow {
  int64_t time_ms = 0;
  uint32_t event_name = 0, session = 0, user = 0, terminal = 0, model = 0, tool = 0, decision = 0,
           decision_source = 0, error = 0, status_code = 0, version = 0, os = 0, practice_hint = 0,
           attempt_code = 0, query_source = 0;
  uint32_t attributes = 0;  // custom attribute set (Dictionaries::attributes)
  int8_t success = -1;  // 1 true, 0 false, -1 absent
  bool cost_estimated = false;  // cost_usd computed by the price table at ingest
  double input_tokens = kAbsentNumber, output_tokens = kAbsentNumber,
         cache_read_tokens = kAbsentNumber, cache_creation_tokens = kAbsentNumber,
         cost_usd = kAbsentNumber, duration_ms = kAbsentNumber, prompt_length = kAbsentNumber,
         attempt = kAbsentNumber, tool_result_size_bytes = kAbsentNumber, ttft_ms = kAbsentNumber;
};

// Row flags, precomputed so that the metric loop needs no dictionary look-ups.
inline constexpr uint8_t kAcceptedDecision = 1;  // a tool_decision whose decision is "accept"
inline constexpr uint8_t kSuccessfulResult = 2;  // a tool_result whose success is true
inline constexpr uint8_t kUserAbort = 4;         // an api_error whose error is kUserAbortError

// The token and cost figures of api_request rows: the only numbers the metric set sums. They are
// kept apart, one entry per api_request row in row order, so that a scan reads them sequentially
// instead of dragging five sparse columns through the cache. Absent figures are 0 here; `present`
// says which were sent (bit i for the i-th figure in declaration order), and kEstimatedCost whether
// the cost was estimated.
inline constexpr uint8_t kEstimatedCost = 1u << 5;
inline constexpr uint8_t kTtftPresent = 1u << 6;  // ttft_ms was sent
struct ApiRequestFigures {
  NumberColumn input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, cost_usd;
  NumberColumn ttft_ms;  // 0 where absent (kTtftPresent)
  std::vector<uint8_t> present;
};

// Durations of one model's api_request events or one tool's tool_result events, in row order, so
// that exact percentiles read only those events. Their times are the segment's (time_ms[row]).
struct Segment;
struct KeyDurations {
  // The i-th duration, in row order.
  double value(const Segment& segment, size_t i) const;

  std::vector<uint32_t> row;
  // In row order; empty where they are the segment's own duration_ms of the rows (by model and
  // by tool), kept for time to first token, which lives among the api_request figures.
  std::vector<double> duration_ms;
  std::vector<double> sorted;  // duration_ms sorted: a question over the whole segment reads ranks
  double sum = 0;
};

struct LatencyIndex {
  std::vector<KeyDurations> by_model, by_tool;  // by dictionary code
  std::vector<KeyDurations> ttft_by_model;      // api_request time to first token
};

// A run of events sorted by time (ties in store order), in columns. Immutable once built;
// snapshots share segments, so a refresh copies only what it merges.
struct Segment {
  static constexpr size_t kBlockRows = 256;

  size_t size() const { return time_ms.size(); }
  int64_t first_time() const { return time_ms.front(); }
  int64_t last_time() const { return time_ms.back(); }
  // The api_request rows before `row`: the index of row's figures when it is one.
  uint32_t api_rank(size_t row) const;
  // The row back as read from the store; api_index is api_rank(i) (callers walking rows in order
  // keep it as a running count).
  EventRow row(size_t i, uint32_t api_index) const;

  // The first entry of `durations` (row indexes into this segment) at or after time t.
  size_t first_at_or_after(const std::vector<uint32_t>& rows, int64_t t) const {
    return static_cast<size_t>(
        std::lower_bound(rows.begin(), rows.end(), t,
                         [&](uint32_t row, int64_t time) { return time_ms[row] < time; }) -
        rows.begin());
  }

  std::vector<int64_t> time_ms;
  std::vector<uint8_t> kind;  // EventKind
  std::vector<uint8_t> flags;
  std::vector<int8_t> success;
  // Dictionary codes, each column as narrow as its largest code allows.
  CodeColumn event_name, session, user, terminal, model, tool, decision, decision_source, error,
      status_code, version, os, practice_hint, attempt_code, query_source, attributes;
  // Numbers each event kind has its own of: stored for the rows that carry them.
  SparseNumbers duration_ms, prompt_length, attempt, tool_result_size_bytes;
  ApiRequestFigures api;
  std::vector<uint32_t> api_before_block;  // api_request rows before each block of kBlockRows
  std::array<std::vector<Cell>, kCellIndexes> cells;  // by CellIndex
  LatencyIndex latency;
};

inline double KeyDurations::value(const Segment& segment, size_t i) const {
  return duration_ms.empty() ? segment.duration_ms[row[i]] : duration_ms[i];
}

// Collects rows in any order, then builds a time-sorted Segment.
class SegmentBuilder {
 public:
  explicit SegmentBuilder(const Dictionaries& dictionaries) : dictionaries_(dictionaries) {}

  void reserve(size_t rows);
  void append(const EventRow& row);
  size_t size() const { return rows_.time_ms.size(); }
  // Sorts stably by time and moves the rows into a segment; the builder is empty afterwards.
  // Without indexes (cells, latency) the segment serves only as a run to merge (Segment::row).
  Segment build(bool with_indexes = true);

 private:
  struct Columns {
    std::vector<int64_t> time_ms;
    std::vector<int8_t> success;
    std::vector<uint8_t> cost_estimated;
    std::vector<uint32_t> event_name, session, user, terminal, model, tool, decision,
        decision_source, error, status_code, version, os, practice_hint, attempt_code, query_source, attributes;
    std::vector<double> input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens,
        cost_usd, duration_ms, prompt_length, attempt, tool_result_size_bytes, ttft_ms;
  };

  void sort_by_time();

  const Dictionaries& dictionaries_;
  Columns rows_;
};

}  // namespace cca::engine
