#pragma once

#include <sqlite3.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace cca::store {

// Why the store could not do what was asked. Callers answer these differently: a full disk and a
// read-only store are the operator's to fix, and clients should retry later rather than give up.
enum class StoreFailure {
  kOther,
  kDiskFull,  // the file system holding the store has no space left
  kReadOnly,  // the store's file or its file system cannot be written
};

class StoreError : public std::runtime_error {
 public:
  explicit StoreError(const std::string& message, StoreFailure failure = StoreFailure::kOther)
      : std::runtime_error(message), failure_(failure) {}

  StoreFailure failure() const { return failure_; }

 private:
  StoreFailure failure_;
};

// Classifies SQLite's last error on `db` (its extended code and the OS errno behind it).
StoreFailure failure_of(sqlite3* db);

// The error for SQLite's last failure on the store at `path` while doing `what`. A full disk and
// a read-only store get a message saying so in plain words, naming the file system and what to
// do, before SQLite's own text.
StoreError store_error(sqlite3* db, const std::string& path, std::string_view what);

// The plain-words part of those messages, for failures found outside SQLite.
std::string disk_full_message(const std::string& path);
std::string read_only_message(const std::string& path);

}  // namespace cca::store
