#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cca::engine {

// The distinct strings of one attribute, numbered densely in order of first appearance, so that
// columns hold small integer codes. Code 0 is the empty string and stands for "absent".
//
// One writer (the engine's refresh) appends while any number of queries read. Values live in
// blocks that never move, so value() takes no lock; find() takes a short one.
class Dictionary {
 public:
  static constexpr uint32_t kAbsent = 0;

  Dictionary();
  ~Dictionary();
  Dictionary(const Dictionary&) = delete;
  Dictionary& operator=(const Dictionary&) = delete;

  // Writer only. The empty string is always kAbsent.
  uint32_t intern(std::string_view value);
  // Any thread. A code newer than the caller's snapshot matches none of its rows.
  std::optional<uint32_t> find(std::string_view value) const;
  // Any thread, for a code from a published snapshot or from find().
  std::string_view value(uint32_t code) const;
  // Codes handed out so far: every code in a published snapshot is below it.
  uint32_t size() const { return size_.load(std::memory_order_acquire); }

 private:
  // Block b holds kFirstBlock << b values; 26 blocks cover every uint32 code.
  static constexpr uint32_t kFirstBlock = 64;
  static constexpr int kBlocks = 26;

  std::string& slot(uint32_t code) const;

  std::atomic<std::string*> blocks_[kBlocks] = {};
  std::atomic<uint32_t> size_{0};
  mutable std::mutex index_mutex_;
  std::unordered_map<std::string_view, uint32_t> index_;
};

}  // namespace cca::engine
