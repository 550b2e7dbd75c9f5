#include "engine/temp_store.h"

#include <unistd.h>

#include <atomic>

namespace cca::testing {

TempStore::TempStore() {
  static std::atomic<int> counter{0};
  folder_ = std::filesystem::temp_directory_path() /
            ("ccanalytics-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(folder_);
  std::filesystem::create_directories(folder_);
  path_ = (folder_ / "store.db").string();
}

TempStore::~TempStore() {
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

}  // namespace cca::testing
