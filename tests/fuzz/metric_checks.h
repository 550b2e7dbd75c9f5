#pragma once

#include <cstddef>

#include "ingest/metric_point.h"

namespace cca::fuzz {

// The ingest rules for a parsed MetricBatch, whichever encoding it came from: points are numbered
// 1..n in request order, each accepted or rejected exactly once; accepted ones have a user, a
// time and a finite value where their kind needs one, monotonic sums no negative one. Returns n.
size_t check_metric_batch(const ingest::MetricBatch& batch);

}  // namespace cca::fuzz
