#pragma once

#include <cstdint>
#include <vector>

#include "common/hash128.h"

namespace cca {

// Open-addressing set of 128-bit hashes. The keys are already uniform hashes, so the low bits
// index the table directly and linear probing stays short. Flat storage: one allocation per
// growth, none per insert, which a node-based std::unordered_set cannot offer.
class Hash128Set {
 public:
  size_t size() const { return size_ + (has_zero_ ? 1 : 0); }

  // True when the key was not present (and is now).
  bool insert(const Hash128& key) {
    if (is_empty(key)) {
      const bool added = !has_zero_;
      has_zero_ = true;
      return added;
    }
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    return insert_unchecked(key);
  }

  bool contains(const Hash128& key) const {
    if (is_empty(key)) return has_zero_;
    if (slots_.empty()) return false;
    for (size_t i = key.lo & mask_;; i = (i + 1) & mask_) {
      if (slots_[i] == key) return true;
      if (is_empty(slots_[i])) return false;
    }
  }

  void reserve(size_t count) {
    while (count * 4 > slots_.size() * 3) grow();
  }

 private:
  // All-zero marks an empty slot; the all-zero key itself is kept aside in has_zero_.
  static bool is_empty(const Hash128& slot) { return slot.hi == 0 && slot.lo == 0; }

  bool insert_unchecked(const Hash128& key) {
    for (size_t i = key.lo & mask_;; i = (i + 1) & mask_) {
      if (slots_[i] == key) return false;
      if (is_empty(slots_[i])) {
        slots_[i] = key;
        ++size_;
        return true;
      }
    }
  }

  void grow() {
    std::vector<Hash128> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Hash128{});
    mask_ = slots_.size() - 1;
    size_ = 0;
    for (const Hash128& key : old)
      if (!is_empty(key)) insert_unchecked(key);
  }

  std::vector<Hash128> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
  bool has_zero_ = false;
};

}  // namespace cca
