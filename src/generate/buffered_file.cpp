#include "generate/buffered_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace cca::generate {
namespace {

std::string describe_errno(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

}  // namespace

BufferedFile::BufferedFile(std::string path)
    : path_(std::move(path)), partial_path_(path_ + ".partial") {
  file_ = std::fopen(partial_path_.c_str(), "wb");
  if (file_ == nullptr) throw std::runtime_error(describe_errno("cannot create", partial_path_));
  std::setvbuf(file_, nullptr, _IONBF, 0);  // the buffers are ours; stdio's would add a copy
  buffers_[0] = std::make_unique<char[]>(kBufferBytes);
  buffers_[1] = std::make_unique<char[]>(kBufferBytes);
  writer_ = std::thread(&BufferedFile::write_loop, this);
}

BufferedFile::~BufferedFile() {
  stop_writer();
  if (file_ != nullptr) {
    std::fclose(file_);
    std::error_code ignored;
    std::filesystem::remove(partial_path_, ignored);
  }
}

void BufferedFile::append(std::string_view text) {
  while (!text.empty()) {
    const size_t chunk = std::min(text.size(), kBufferBytes);
    char* out = reserve(chunk);
    std::memcpy(out, text.data(), chunk);
    advance(out + chunk);
    text.remove_prefix(chunk);
  }
}

void BufferedFile::wait_idle(std::unique_lock<std::mutex>& lock) {
  changed_.wait(lock, [this] { return pending_ == nullptr; });
  if (!write_error_.empty()) throw std::runtime_error(write_error_);
}

void BufferedFile::swap_buffers() {
  std::unique_lock lock(mutex_);
  wait_idle(lock);
  if (size_ == 0) return;
  pending_ = buffers_[active_].get();
  pending_size_ = size_;
  bytes_handed_over_ += size_;
  active_ = 1 - active_;
  size_ = 0;
  changed_.notify_all();
}

void BufferedFile::write_loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return pending_ != nullptr || stopping_; });
    if (pending_ == nullptr) return;
    const char* data = pending_;
    const size_t size = pending_size_;
    lock.unlock();
    const bool ok = std::fwrite(data, 1, size, file_) == size;
    lock.lock();
    if (!ok && write_error_.empty()) write_error_ = describe_errno("cannot write", partial_path_);
    pending_ = nullptr;
    changed_.notify_all();
  }
}

void BufferedFile::stop_writer() {
  if (!writer_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  writer_.join();
}

void BufferedFile::commit() {
  swap_buffers();
  {
    std::unique_lock lock(mutex_);
    wait_idle(lock);
  }
  stop_writer();
  std::FILE* file = file_;
  file_ = nullptr;
  std::error_code ignored;
  if (std::fclose(file) != 0) {
    const std::string message = describe_errno("cannot write", partial_path_);
    std::filesystem::remove(partial_path_, ignored);
    throw std::runtime_error(message);
  }
  std::error_code error;
  std::filesystem::rename(partial_path_, path_, error);
  if (error) {
    std::filesystem::remove(partial_path_, ignored);
    throw std::runtime_error("cannot rename " + partial_path_ + " to " + path_ + ": " +
                             error.message());
  }
}

}  // namespace cca::generate
