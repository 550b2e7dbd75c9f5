#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cca {

// A hash of text that takes a std::string and a std::string_view alike, so that a map keyed by
// strings is searched with a view, without making a string of it.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const noexcept;
};

// A hash map keyed by text, searched with a view.
template <class Value>
using TextMap = std::unordered_map<std::string, Value, TextHash, std::equal_to<>>;

}  // namespace cca
