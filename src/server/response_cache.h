#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cca::server {

struct CachedResponse {
  std::string body;
  std::string content_type;
};

// Serialised answers keyed by request target (path and query as sent), valid for one data version:
// repeated dashboard queries cost a hash lookup. Least recently used entries go first once the
// cache holds more than its byte budget.
class ResponseCache {
 public:
  explicit ResponseCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  std::shared_ptr<const CachedResponse> find(std::string_view target, uint64_t version);
  void store(std::string_view target, uint64_t version,
             std::shared_ptr<const CachedResponse> response);

  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }

 private:
  struct Entry {
    std::string target;
    uint64_t version;
    std::shared_ptr<const CachedResponse> response;
  };
  using Lru = std::list<Entry>;

  void evict_locked();
  static size_t cost(const Entry& entry);

  std::mutex mutex_;
  size_t max_bytes_;
  size_t bytes_ = 0;
  Lru lru_;  // most recent first
  std::unordered_map<std::string_view, Lru::iterator> index_;
  std::atomic<uint64_t> hits_{0}, misses_{0};
};

}  // namespace cca::server
