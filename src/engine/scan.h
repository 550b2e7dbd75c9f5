#pragma once

#include <cstdint>

#include "engine/filter.h"
#include "engine/snapshot.h"

namespace cca::engine {

// Calls visit(segment, row, api_index) for every row the filter accepts, in time order.
// api_index is the row's index into segment.api when the row is an api_request.
template <class Visit>
void scan(const Snapshot& snapshot, const RowFilter& filter, Visit&& visit) {
  if (!filter.accepts_some_user()) return;
  const auto api = static_cast<uint8_t>(EventKind::kApiRequest);
  for (const auto& segment_ptr : snapshot.segments) {
    const Segment& segment = *segment_ptr;
    const auto [begin, end] = filter.row_range(segment);
    if (begin == end) continue;
    uint32_t api_index = segment.api_rank(begin);
    const uint8_t* kind = segment.kind.data();
    for (size_t row = begin; row < end; ++row) {
      if (filter.accepts(segment, row)) visit(segment, row, api_index);
      api_index += kind[row] == api;
    }
  }
}

}  // namespace cca::engine
