#include "generate/uuid.h"

#include <cstdint>

namespace cca::generate {

std::string random_uuid(Random& random) {
  const uint64_t high = (random.next_u64() & ~uint64_t{0xF000}) | 0x4000;  // version 4
  const uint64_t low = (random.next_u64() >> 2) | (uint64_t{1} << 63);     // variant 10xx
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (int nibble = 15; nibble >= 0; --nibble) {
    text.push_back(kHex[(high >> (4 * nibble)) & 0xF]);
    if (nibble == 8 || nibble == 4) text.push_back('-');
  }
  text.push_back('-');
  for (int nibble = 15; nibble >= 0; --nibble) {
    text.push_back(kHex[(low >> (4 * nibble)) & 0xF]);
    if (nibble == 12) text.push_back('-');
  }
  return text;
}

}  // namespace cca::generate
