#pragma once

#include <span>
#include <string_view>

namespace cca::store {

// The store's schema version, kept in PRAGMA user_version. Each migration moves the store
// from version i to i + 1; opening a store runs the ones it lacks in one transaction.
inline constexpr int kSchemaVersion = 5;

struct Migration {
  int to_version;
  std::string_view sql;
};

std::span<const Migration> migrations();

}  // namespace cca::store
