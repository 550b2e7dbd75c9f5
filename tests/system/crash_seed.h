#pragma once

#include <cstdint>

namespace cca::system_test {

// The seed of a test's random kill moments: CCANALYTICS_CRASH_SEED when set (to rerun a failure),
// else a fresh one. Either way it is printed, and recorded in the test's XML properties.
uint64_t crash_seed();

}  // namespace cca::system_test
