#include "engine/distinct_counter.h"

#include <algorithm>

namespace cca::engine {
namespace {

uint64_t pack(uint32_t group, uint32_t entity) {
  return uint64_t{group} << 32 | entity;
}

size_t slot_of(uint64_t pair, size_t mask) {
  return static_cast<size_t>((pair * 0x9E3779B97F4A7C15ull) >> 20) & mask;
}

}  // namespace

DistinctCounter::DistinctCounter(size_t groups, size_t entities) : entities_(entities) {
  const bool few_partners = std::min(groups, entities) <= kFewPartners;
  if (groups * entities <= (few_partners ? kLargeBitsetLimit : kBitsetLimit)) {
    bits_.assign((groups * entities + 63) / 64 + 1, 0);
    return;
  }
  by_group_ = groups > entities;
  const size_t sides = by_group_ ? groups : entities;
  last_partner_.assign(sides, kNone);
  spilled_.assign(sides, 0);
  pairs_.assign(1024, kEmpty);
}

bool DistinctCounter::mark_new_partner(uint32_t group, uint32_t entity, uint32_t side,
                                       uint32_t partner, uint32_t& last) {
  if (last == kNone) {
    last = partner;
    return true;
  }
  if (!spilled_[side]) {
    insert_pair(by_group_ ? pack(group, last) : pack(last, entity));
    spilled_[side] = 1;
  }
  last = partner;
  return insert_pair(pack(group, entity));
}

bool DistinctCounter::insert_pair(uint64_t pair) {
  if ((pair_count_ + 1) * 2 > pairs_.size()) grow();
  const size_t mask = pairs_.size() - 1;
  for (size_t slot = slot_of(pair, mask);; slot = (slot + 1) & mask) {
    if (pairs_[slot] == pair) return false;
    if (pairs_[slot] == kEmpty) {
      pairs_[slot] = pair;
      ++pair_count_;
      return true;
    }
  }
}

void DistinctCounter::grow() {
  std::vector<uint64_t> old(pairs_.size() * 2, kEmpty);
  old.swap(pairs_);
  const size_t mask = pairs_.size() - 1;
  for (const uint64_t pair : old) {
    if (pair == kEmpty) continue;
    size_t slot = slot_of(pair, mask);
    while (pairs_[slot] != kEmpty) slot = (slot + 1) & mask;
    pairs_[slot] = pair;
  }
}

}  // namespace cca::engine
