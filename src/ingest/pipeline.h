#pragma once

#include <functional>

#include "ingest/event_batch.h"
#include "ingest/input_reader.h"

namespace cca::ingest {

struct PipelineOptions {
  size_t chunk_bytes = 1 << 20;
  unsigned parse_threads = 2;
};

// Reads, parses and writes at once: the calling thread cuts the input into chunks, parse
// threads turn chunks into batches, and one writer thread hands the batches, in input order,
// to `write`. Buffers are pooled, so memory is bounded by a few chunks whatever the input size.
//
// `write` runs on the writer thread only. An exception from `write` or from reading stops the
// pipeline and is rethrown here after all threads have joined.
void run_cloudwatch_pipeline(ChunkReader& reader, const PipelineOptions& options,
                             const std::function<void(EventBatch&)>& write);

}  // namespace cca::ingest
