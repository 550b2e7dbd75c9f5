#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/text_hash.h"
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
  Database& db_;
  Statement insert_;
  Statement select_since_;
  TextMap<int64_t> ids_;
  int64_t max_id_ = 0;
};

}  // namespace cca::store
