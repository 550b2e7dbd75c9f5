#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cca {

// Appends each byte as two lowercase hex digits.
inline void append_hex(std::string& out, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (const char c : bytes) {
    out += kHex[static_cast<uint8_t>(c) >> 4];
    out += kHex[static_cast<uint8_t>(c) & 15];
  }
}

}  // namespace cca
