#include "common/text_hash.h"

// Inlined, xxHash compiles with this project's flags and so uses AVX2 where the build does:
// the shared library's portable build hashes about 8x slower.
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace cca {

size_t TextHash::operator()(std::string_view text) const noexcept {
  return XXH3_64bits(text.data(), text.size());
}

}  // namespace cca
