#pragma once

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace cca::generate {

// An output file written through two large buffers: while a background thread hands one to
// the kernel, the caller fills the other, so formatting and the copy into the page cache
// overlap. Data goes to PATH.partial and is renamed to PATH by commit(), so an interrupted
// run never leaves a truncated file under the final name; without commit() the partial file
// is removed.
class BufferedFile {
 public:
  explicit BufferedFile(std::string path);
  ~BufferedFile();
  BufferedFile(const BufferedFile&) = delete;
  BufferedFile& operator=(const BufferedFile&) = delete;

  static constexpr size_t kBufferBytes = size_t{8} << 20;

  // Room for at least max_bytes (<= kBufferBytes) at the returned position; finish with
  // advance(end).
  char* reserve(size_t max_bytes) {
    if (size_ + max_bytes > kBufferBytes) swap_buffers();
    return buffers_[active_].get() + size_;
  }
  void advance(const char* end) { size_ = static_cast<size_t>(end - buffers_[active_].get()); }
  void append(std::string_view text);

  // Writes out everything, closes the file and moves it to its final name.
  void commit();

  uint64_t bytes_written() const { return bytes_handed_over_ + size_; }

 private:
  void swap_buffers();
  void wait_idle(std::unique_lock<std::mutex>& lock);
  void write_loop();
  void stop_writer();

  std::string path_;
  std::string partial_path_;
  std::FILE* file_ = nullptr;
  std::unique_ptr<char[]> buffers_[2];
  int active_ = 0;
  size_t size_ = 0;
  uint64_t bytes_handed_over_ = 0;

  // Shared with the writer thread, under mutex_.
  std::mutex mutex_;
  std::condition_variable changed_;
  const char* pending_ = nullptr;
  size_t pending_size_ = 0;
  bool stopping_ = false;
  std::string write_error_;
  std::thread writer_;
};

}  // namespace cca::generate
