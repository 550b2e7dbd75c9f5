#include "common/hash128.h"

// Inlined, xxHash compiles with this project's flags and so uses AVX2 where the build does:
// the shared library's portable build hashes about 8x slower.
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace cca {

Hash128 hash128(std::string_view bytes) { return hash128(bytes, 0); }

Hash128 hash128(std::string_view bytes, uint64_t seed) {
  const XXH128_hash_t h = XXH3_128bits_withSeed(bytes.data(), bytes.size(), seed);
  return {h.high64, h.low64};
}

}  // namespace cca
