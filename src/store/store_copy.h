#pragma once

#include <string>

#include "store/database.h"
#include "store/store_check.h"

namespace cca::store {

// A copy of a store's committed state in a temporary file beside its destination
// ("<destination>.partial-XXXXXX"), removed unless it is moved into place: a failed or
// interrupted copy never leaves a half file under the destination's name.
class StoreCopy {
 public:
  // Copies what `source` has committed, in one read transaction (SQLite's online backup API in
  // a single step): writers go on meanwhile, and the copy is the state of one moment. The copy
  // is in rollback-journal mode, one self-contained file, and is checked (check_store_file).
  // Throws StoreError; a full disk is named as such.
  StoreCopy(Database& source, const std::string& destination);
  ~StoreCopy();
  StoreCopy(const StoreCopy&) = delete;
  StoreCopy& operator=(const StoreCopy&) = delete;

  const StoreContents& contents() const { return contents_; }
  const std::string& temporary_path() const { return temporary_; }

  // Flushes the copy to disk and renames it to the destination, atomically replacing a file of
  // that name. Throws StoreError.
  void move_into_place();

 private:
  void remove_temporary() noexcept;

  std::string destination_;
  std::string temporary_;
  StoreContents contents_;
  bool placed_ = false;
};

}  // namespace cca::store
