#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "common/event_record.h"

namespace cca::fuzz {

// An invariant the code under test broke: printed, then abort(), which libFuzzer reports as a
// crash and keeps the input for.
[[noreturn]] inline void broken(const char* file, int line, const char* what) {
  std::fprintf(stderr, "fuzz invariant broken at %s:%d: %s\n", file, line, what);
  std::abort();
}

#define FUZZ_REQUIRE(condition) \
  ((condition) ? void() : ::cca::fuzz::broken(__FILE__, __LINE__, #condition))

// Reads every byte of a view, so that AddressSanitizer catches one that dangles.
inline size_t touch(std::string_view text) {
  size_t sum = 0;
  for (const char c : text) sum += static_cast<unsigned char>(c);
  return sum;
}

// The contract's rules for an event the parsers accepted (docs/schema.md): a name, a user, and
// numbers that are absent or finite and >= 0. Every view is read.
void check_accepted_event(const EventRecord& event);

}  // namespace cca::fuzz
