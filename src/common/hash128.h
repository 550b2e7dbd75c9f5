#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace cca {

// 128-bit content hash (XXH3). Used as the identity of events for deduplication:
// at 10^8 events the chance of any collision is about 10^-23.
struct Hash128 {
  uint64_t hi = 0;
  uint64_t lo = 0;

  friend bool operator==(const Hash128&, const Hash128&) = default;
};

Hash128 hash128(std::string_view bytes);
Hash128 hash128(std::string_view bytes, uint64_t seed);

struct Hash128Hasher {
  size_t operator()(const Hash128& h) const noexcept { return static_cast<size_t>(h.lo ^ (h.hi * 0x9E3779B97F4A7C15ull)); }
};

}  // namespace cca
