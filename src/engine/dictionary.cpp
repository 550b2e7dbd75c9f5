#include "engine/dictionary.h"

#include <bit>
#include <stdexcept>

namespace cca::engine {

Dictionary::Dictionary() {
  blocks_[0].store(new std::string[kFirstBlock], std::memory_order_release);
  index_.emplace(std::string_view(), kAbsent);  // slot 0 holds the empty string already
  size_.store(1, std::memory_order_release);
}

Dictionary::~Dictionary() {
  for (auto& block : blocks_) delete[] block.load(std::memory_order_relaxed);
}

std::string& Dictionary::slot(uint32_t code) const {
  const uint64_t scaled = uint64_t{code} / kFirstBlock + 1;
  const int block = std::bit_width(scaled) - 1;
  const uint64_t block_start = uint64_t{kFirstBlock} * ((uint64_t{1} << block) - 1);
  return blocks_[block].load(std::memory_order_acquire)[code - block_start];
}

uint32_t Dictionary::intern(std::string_view value) {
  {
    std::lock_guard lock(index_mutex_);
    if (auto it = index_.find(value); it != index_.end()) return it->second;
  }
  const uint32_t code = size_.load(std::memory_order_relaxed);
  const uint64_t scaled = uint64_t{code} / kFirstBlock + 1;
  const int block = std::bit_width(scaled) - 1;
  if (block >= kBlocks) throw std::length_error("dictionary full");
  if (blocks_[block].load(std::memory_order_relaxed) == nullptr)
    blocks_[block].store(new std::string[size_t{kFirstBlock} << block], std::memory_order_release);
  std::string& stored = slot(code);
  stored.assign(value);
  // Size first: whoever finds the code may size a table by size().
  size_.store(code + 1, std::memory_order_release);
  {
    std::lock_guard lock(index_mutex_);
    index_.emplace(std::string_view(stored), code);
  }
  return code;
}

std::optional<uint32_t> Dictionary::find(std::string_view value) const {
  std::lock_guard lock(index_mutex_);
  const auto it = index_.find(value);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::string_view Dictionary::value(uint32_t code) const {
  return slot(code);
}

}  // namespace cca::engine
