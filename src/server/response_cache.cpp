#include "server/response_cache.h"

namespace cca::server {

size_t ResponseCache::cost(const Entry& entry) {
  return entry.target.size() + entry.response->body.size() + entry.response->content_type.size() +
         128;  // list node, map slot, control block
}

std::shared_ptr<const CachedResponse> ResponseCache::find(std::string_view target,
                                                          uint64_t version) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(target);
  if (it == index_.end() || it->second->version != version) {
    ++misses_;
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  ++hits_;
  return it->second->response;
}

void ResponseCache::store(std::string_view target, uint64_t version,
                          std::shared_ptr<const CachedResponse> response) {
  std::lock_guard lock(mutex_);
  if (const auto it = index_.find(target); it != index_.end()) {
    if (it->second->version > version) return;  // a newer answer raced ahead of this one
    bytes_ -= cost(*it->second);
    lru_.erase(it->second);
    index_.erase(it);
  }
  lru_.push_front({std::string(target), version, std::move(response)});
  const size_t added = cost(lru_.front());
  if (added > max_bytes_ / 4) {  // one answer must not flush everything else
    lru_.pop_front();
    return;
  }
  bytes_ += added;
  index_.emplace(lru_.front().target, lru_.begin());
  evict_locked();
}

void ResponseCache::evict_locked() {
  while (bytes_ > max_bytes_ && !lru_.empty()) {
    Entry& oldest = lru_.back();
    bytes_ -= cost(oldest);
    index_.erase(oldest.target);
    lru_.pop_back();
  }
}

}  // namespace cca::server
