#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cca::engine {

// Counts distinct entities (sessions, users) per group in one pass over rows: mark(group, entity)
// is true the first time a pair is seen.
//
// Small group x entity spaces use a bitset. Large ones track each group's last entity and each
// entity's last group: an entity seen again in the group it was last in (a session in its user's
// group) or a group seeing its last entity again (a user in a session's group) costs an array
// read, and only the rest goes through a hash set of pairs.
class DistinctCounter {
 public:
  DistinctCounter(size_t groups, size_t entities);

  bool mark(uint32_t group, uint32_t entity) {
    if (!bits_.empty()) {
      const uint64_t bit = uint64_t{group} * entities_ + entity;
      uint64_t& word = bits_[bit >> 6];
      const uint64_t mask = uint64_t{1} << (bit & 63);
      if (word & mask) return false;
      word |= mask;
      return true;
    }
    uint32_t& last_entity = last_entity_[group];
    if (last_entity == entity) return false;
    last_entity = entity;
    uint32_t& last = last_group_[entity];
    if (last == group) return false;
    return mark_moved(group, entity, last);
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  static constexpr uint64_t kEmpty = UINT64_MAX;
  static constexpr size_t kBitsetLimit = size_t{1} << 24;  // 2 MiB of bits

  bool mark_moved(uint32_t group, uint32_t entity, uint32_t& last);
  bool insert_pair(uint64_t pair);
  void grow();

  size_t entities_;
  std::vector<uint64_t> bits_;
  // Pair mode. An entity seen in a single group so far lives only in last_group_; on its first
  // move its first pair joins the set, which from then on answers for it.
  std::vector<uint32_t> last_group_;
  std::vector<uint32_t> last_entity_;  // by group
  std::vector<uint8_t> moved_;
  std::vector<uint64_t> pairs_;  // open addressing, kEmpty marks a free slot
  size_t pair_count_ = 0;
};

}  // namespace cca::engine
