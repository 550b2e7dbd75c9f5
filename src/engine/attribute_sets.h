#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/dictionary.h"

namespace cca::engine {

// The distinct sets of custom attributes (events.attributes_id), numbered densely like a
// Dictionary's values, so that a row carries one code for all of them. Set code 0 is the empty set.
// Keys and values have dictionaries of their own; a query turns a key into a table by set code
// once, and then reads rows and cells without touching a string.
//
// One writer (the engine's refresh) interns while queries read: the tables a query asks for cover
// every set code of any snapshot published before the call.
class AttributeSets {
 public:
  using Pairs = std::vector<std::pair<uint32_t, uint32_t>>;  // (key code, value code), by key

  AttributeSets();

  // Writer only. The code of the set stored as `json` (a JSON object of strings; anything else
  // holds no attributes).
  uint32_t intern(std::string_view json);
  // Writer only. The value of `key` in the set, or empty.
  std::string_view value_in(uint32_t set, std::string_view key) const;

  // Any thread. By set code: the value code of the key in that set, 0 when the set lacks it.
  std::vector<uint32_t> values_of(uint32_t key) const;
  // Any thread. Set codes handed out so far.
  uint32_t size() const;
  // Any thread. Every set's pairs, by set code.
  std::vector<Pairs> all() const;
  // Any thread. The JSON text each set was interned from, by set code (empty for set 0).
  std::vector<std::string> texts() const;

  Dictionary keys, values;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, uint32_t> codes_;
  std::vector<Pairs> sets_;
  std::vector<const std::string*> texts_;  // keys of codes_, by set code; null for set 0
};

}  // namespace cca::engine
