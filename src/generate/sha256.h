#pragma once

#include <string>
#include <string_view>

namespace cca::generate {

// SHA-256 (FIPS 180-4) as 64 lowercase hex digits. Claude Code's `user.id` is this digest
// of the email; only the generator needs it, hence no crypto library dependency.
std::string sha256_hex(std::string_view bytes);

}  // namespace cca::generate
