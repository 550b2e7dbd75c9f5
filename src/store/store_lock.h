#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <utility>

namespace cca::store {

// Tells processes that use a store apart from one that replaces it. Every ccanalytics process
// holds a shared lock (flock) on the store's file for as long as it has the store open; restore
// takes it exclusively before swapping the file, so it refuses while a server or an ingest runs,
// and a process starting meanwhile waits for the swap and then opens the new file.
//
// A process keeps one descriptor per store file, shared by all its connections, and closes it
// only when its last connection to that file has closed. Closing any descriptor of a file drops
// every POSIX record lock the process holds on it, SQLite's included: a descriptor per connection,
// closed while other connections of the process were open, once let another process believe it
// was the store's last user and delete the write-ahead log under them. flock locks themselves are
// independent of SQLite's record locks (on local file systems, which WAL mode needs anyway).
class StoreLock {
 public:
  // The process's shared lock on the file at path (created empty when missing and `create`;
  // SQLite takes an empty file for an empty database). Waits up to `wait` while a restore holds
  // the lock. Throws StoreError when the file cannot be opened or the wait runs out.
  static StoreLock shared(const std::string& path, bool create,
                          std::chrono::milliseconds wait = std::chrono::seconds(30));
  // The exclusive lock, without waiting, on the file at path (created empty when missing).
  // Throws StoreError when a process (this one included) holds the store open.
  static StoreLock exclusive(const std::string& path);

  StoreLock(StoreLock&& other) noexcept { swap(other); }
  StoreLock& operator=(StoreLock&& other) noexcept {
    StoreLock(std::move(other)).swap(*this);
    return *this;
  }
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;
  ~StoreLock();

 private:
  StoreLock() = default;
  void swap(StoreLock& other) noexcept {
    std::swap(exclusive_fd_, other.exclusive_fd_);
    std::swap(device_, other.device_);
    std::swap(inode_, other.inode_);
    std::swap(shared_, other.shared_);
  }

  int exclusive_fd_ = -1;
  dev_t device_ = 0;
  ino_t inode_ = 0;
  bool shared_ = false;  // holds a reference to the process's descriptor of (device_, inode_)
};

}  // namespace cca::store
