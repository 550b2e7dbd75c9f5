#include "common/hash128.h"

#include <xxhash.h>

namespace cca {

Hash128 hash128(std::string_view bytes) { return hash128(bytes, 0); }

Hash128 hash128(std::string_view bytes, uint64_t seed) {
  const XXH128_hash_t h = XXH3_128bits_withSeed(bytes.data(), bytes.size(), seed);
  return {h.high64, h.low64};
}

}  // namespace cca
