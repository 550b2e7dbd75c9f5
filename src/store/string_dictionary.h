#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/database.h"

namespace cca::store {

// The store's one dictionary of strings (table `strings`): every text column of `events` holds
// an id into it, which keeps rows small and inserts fast.
class StringDictionary {
 public:
  explicit StringDictionary(Database& db);

  // Loads ids that other connections added since the last call.
  void catch_up();
  // The id of value, inserting it when new. Must run inside a write transaction.
  int64_t id_of(std::string_view value);

 private:
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept;
  };

  Database& db_;
  Statement insert_;
  Statement select_since_;
  std::unordered_map<std::string, int64_t, TextHash, std::equal_to<>> ids_;
  int64_t max_id_ = 0;
};

}  // namespace cca::store
