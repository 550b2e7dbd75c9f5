#include "system/crash_seed.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <random>
#include <string>

namespace cca::system_test {

uint64_t crash_seed() {
  uint64_t seed = 0;
  if (const char* given = std::getenv("CCANALYTICS_CRASH_SEED"))
    seed = std::stoull(given);
  else
    seed = (static_cast<uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
  std::cout << "crash seed: " << seed << " (rerun with CCANALYTICS_CRASH_SEED=" << seed << ")"
            << std::endl;
  ::testing::Test::RecordProperty("crash_seed", std::to_string(seed));
  return seed;
}

}  // namespace cca::system_test
