#pragma once

#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace cca {

// Bump allocator for strings whose views must stay valid while more are added.
// Blocks are kept across clear(), so a reused arena stops allocating once warm:
// this is what keeps the per-event parse path free of allocations.
class StringArena {
 public:
  explicit StringArena(size_t block_size = 1 << 20) : block_size_(block_size) {}

  std::string_view copy(std::string_view text) {
    if (text.empty()) return {};
    char* out = allocate(text.size());
    std::memcpy(out, text.data(), text.size());
    return {out, text.size()};
  }

  // Space for `size` bytes; the caller fills it.
  char* allocate(size_t size) {
    if (current_ == blocks_.size() || used_ + size > capacity_of(current_)) next_block(size);
    char* out = blocks_[current_].data.get() + used_;
    used_ += size;
    return out;
  }

  // A position to roll back to, for discarding what a failed line added.
  struct Mark {
    size_t block, used;
  };
  Mark mark() const { return {current_, used_}; }
  void rollback(Mark m) {
    current_ = m.block;
    used_ = m.used;
  }

  void clear() {
    current_ = 0;
    used_ = 0;
  }

 private:
  struct Block {
    std::unique_ptr<char[]> data;
    size_t capacity;
  };

  size_t capacity_of(size_t index) const {
    return index < blocks_.size() ? blocks_[index].capacity : 0;
  }

  void next_block(size_t size) {
    if (current_ < blocks_.size() && used_ > 0) ++current_;
    while (current_ < blocks_.size() && blocks_[current_].capacity < size) ++current_;
    if (current_ == blocks_.size()) {
      const size_t capacity = size > block_size_ ? size : block_size_;
      blocks_.push_back({std::make_unique_for_overwrite<char[]>(capacity), capacity});
    }
    used_ = 0;
  }

  size_t block_size_;
  std::vector<Block> blocks_;
  size_t current_ = 0;
  size_t used_ = 0;
};

}  // namespace cca
