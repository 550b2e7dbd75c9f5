#include "engine/attribute_sets.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace cca::engine {

AttributeSets::AttributeSets() : sets_(1), texts_(1, nullptr) {}

uint32_t AttributeSets::intern(std::string_view json) {
  if (json.empty()) return 0;
  {
    std::lock_guard lock(mutex_);
    const auto found = codes_.find(std::string(json));
    if (found != codes_.end()) return found->second;
  }
  Pairs pairs;
  const nlohmann::json object = nlohmann::json::parse(json, nullptr, false);
  if (object.is_object()) {
    for (const auto& [key, value] : object.items()) {
      if (!value.is_string() || key.empty() || value.get_ref<const std::string&>().empty())
        continue;
      pairs.emplace_back(keys.intern(key), values.intern(value.get_ref<const std::string&>()));
    }
  }
  std::sort(pairs.begin(), pairs.end());
  std::lock_guard lock(mutex_);
  const auto code = static_cast<uint32_t>(sets_.size());
  sets_.push_back(std::move(pairs));
  const auto stored = codes_.emplace(std::string(json), code).first;
  texts_.push_back(&stored->first);  // map nodes never move
  return code;
}

std::string_view AttributeSets::value_in(uint32_t set, std::string_view key) const {
  const auto key_code = keys.find(key);
  if (!key_code) return {};
  std::lock_guard lock(mutex_);
  for (const auto& [k, v] : sets_[set])
    if (k == *key_code) return values.value(v);
  return {};
}

std::vector<uint32_t> AttributeSets::values_of(uint32_t key) const {
  std::lock_guard lock(mutex_);
  std::vector<uint32_t> table(sets_.size(), 0);
  if (key == Dictionary::kAbsent) return table;
  for (size_t set = 0; set < sets_.size(); ++set)
    for (const auto& [k, v] : sets_[set])
      if (k == key) table[set] = v;
  return table;
}

uint32_t AttributeSets::size() const {
  std::lock_guard lock(mutex_);
  return static_cast<uint32_t>(sets_.size());
}

std::vector<AttributeSets::Pairs> AttributeSets::all() const {
  std::lock_guard lock(mutex_);
  return sets_;
}

std::vector<std::string> AttributeSets::texts() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> texts;
  texts.reserve(texts_.size());
  for (const std::string* text : texts_) texts.push_back(text ? *text : std::string());
  return texts;
}

}  // namespace cca::engine
