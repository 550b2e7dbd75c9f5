#pragma once

#include <cstdint>
#include <memory>

#include "ingest/event_batch.h"

namespace cca::ingest {

// Parses CloudWatch-batch JSONL (one subscription-filter batch per line, each log event's
// `message` a JSON object inside a string) into an EventBatch.
//
// One parser per thread: it owns simdjson parsers and scratch buffers that are reused for
// every line, so steady-state parsing does not allocate.
class CloudWatchParser {
 public:
  virtual ~CloudWatchParser() = default;

  // Parses the lines of [data, data + size). `data` must stay readable for
  // simdjson::SIMDJSON_PADDING bytes past `size` (lines are parsed in place).
  // first_line is the 1-based number of the chunk's first line.
  virtual void parse_chunk(const char* data, size_t size, uint64_t first_line,
                           EventBatch& out) = 0;
};

std::unique_ptr<CloudWatchParser> make_cloudwatch_parser();

}  // namespace cca::ingest
