#pragma once

#include <string>
#include <string_view>

namespace cca::engine {

// Emails key users in lowercase; only ASCII letters fold, as in the ingest's normalisation.
inline std::string ascii_lower(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return lowered;
}

}  // namespace cca::engine
