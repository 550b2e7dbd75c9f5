#pragma once

#include <cstdint>
#include <vector>

#include "common/event_record.h"
#include "common/string_arena.h"
#include "ingest/rejection.h"

namespace cca::ingest {

// The unit handed from parsing to the store writer: a run of consecutive lines, parsed.
// Batches are pooled and reused; the arena owns every string the records view.
struct EventBatch {
  uint64_t sequence = 0;  // order of the chunk in its source
  uint64_t lines = 0;     // non-blank lines
  uint64_t bytes = 0;
  std::vector<EventRecord> events;
  std::vector<Rejected> rejected;
  StringArena arena;

  void clear() {
    sequence = lines = bytes = 0;
    events.clear();
    rejected.clear();
    arena.clear();
  }
};

}  // namespace cca::ingest
