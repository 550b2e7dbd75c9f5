#pragma once

#include <chrono>
#include <string>

namespace cca::store {

// Tells processes that use a store apart from one that replaces it. Every ccanalytics process
// holds a shared lock (flock) on the store's file for as long as it has the store open; restore
// takes it exclusively before swapping the file, so it refuses while a server or an ingest runs,
// and a process starting meanwhile waits for the swap and then opens the new file.
//
// flock locks are independent of the POSIX record locks SQLite itself takes, so the two never
// interfere (on local file systems; SQLite's WAL mode needs one anyway).
class StoreLock {
 public:
  // The shared lock, on the file at path (created empty when missing and `create`; SQLite takes
  // an empty file for an empty database). Waits up to `wait` while a restore holds the lock.
  // Throws StoreError when the file cannot be opened or the wait runs out.
  static StoreLock shared(const std::string& path, bool create,
                          std::chrono::milliseconds wait = std::chrono::seconds(30));
  // The exclusive lock, without waiting, on the file at path (created empty when missing).
  // Throws StoreError when another process holds the store open.
  static StoreLock exclusive(const std::string& path);

  StoreLock(StoreLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  StoreLock& operator=(StoreLock&& other) noexcept;
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;
  ~StoreLock();

 private:
  explicit StoreLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace cca::store
