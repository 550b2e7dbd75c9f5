#include "ingest/input_reader.h"

#include <simdjson.h>
#include <sys/stat.h>
// Inlined, xxHash compiles with this project's flags and so uses AVX2 where the build does:
// the shared library's portable build hashes about 8x slower.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "ingest/ingestor.h"

namespace cca::ingest {
namespace {

class FileSource final : public ByteSource {
 public:
  explicit FileSource(const std::string& path) : path_(path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0)
      throw IngestError("cannot read " + path + ": " + std::strerror(errno));
    if (S_ISDIR(info.st_mode)) throw IngestError("cannot read " + path + ": it is a directory");
    total_ = static_cast<uint64_t>(info.st_size);
    file_ = gzopen(path.c_str(), "rb");  // reads plain files as they are
    if (!file_) throw IngestError("cannot read " + path + ": " + std::strerror(errno));
    gzbuffer(file_, 1 << 18);
    if (!gzdirect(file_)) total_ = 0;  // the decompressed size is not known up front
  }
  ~FileSource() override { gzclose(file_); }

  size_t read(char* out, size_t capacity) override {
    const int n = gzread(file_, out, static_cast<unsigned>(std::min<size_t>(capacity, 1u << 30)));
    if (n < 0) {
      int code = 0;
      const char* message = gzerror(file_, &code);
      throw IngestError("cannot read " + path_ + ": " +
                        (code == Z_ERRNO ? std::strerror(errno) : message));
    }
    return static_cast<size_t>(n);
  }
  uint64_t total() const override { return total_; }

 private:
  std::string path_;
  gzFile file_ = nullptr;
  uint64_t total_ = 0;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  size_t read(char* out, size_t capacity) override {
    const size_t n = std::min(capacity, bytes_.size() - position_);
    std::memcpy(out, bytes_.data() + position_, n);
    position_ += n;
    return n;
  }
  uint64_t total() const override { return bytes_.size(); }

 private:
  std::string_view bytes_;
  size_t position_ = 0;
};

// memchr is vectorised; a byte loop (std::count) cost a fifth of all ingest instructions.
uint64_t count_newlines(const char* data, size_t size) {
  uint64_t count = 0;
  const char* end = data + size;
  for (const char* p = data; (p = static_cast<const char*>(std::memchr(p, '\n', end - p))); ++p)
    ++count;
  return count;
}

}  // namespace

std::unique_ptr<ByteSource> open_file_source(const std::string& path) {
  return std::make_unique<FileSource>(path);
}

std::unique_ptr<ByteSource> memory_source(std::string_view bytes) {
  return std::make_unique<MemorySource>(bytes);
}

struct ChunkReader::HashState {
  XXH3_state_t* state = XXH3_createState();
  ~HashState() { XXH3_freeState(state); }
};

ChunkReader::ChunkReader(ByteSource& source, size_t chunk_bytes)
    : source_(source), chunk_bytes_(chunk_bytes), hash_(std::make_unique<HashState>()) {
  XXH3_128bits_reset(hash_->state);
}

ChunkReader::~ChunkReader() = default;

bool ChunkReader::next(Chunk& chunk) {
  if (eof_ && carry_.empty()) return false;
  const size_t padding = simdjson::SIMDJSON_PADDING;
  size_t capacity = std::max(chunk_bytes_, carry_.size() * 2);
  if (chunk.buffer.size() < capacity + padding) chunk.buffer.resize(capacity + padding);
  // An empty carry may have no storage at all: memcpy from a null pointer is undefined even for 0
  // bytes.
  if (!carry_.empty()) std::memcpy(chunk.buffer.data(), carry_.data(), carry_.size());
  size_t size = carry_.size();
  carry_.clear();

  // Fill until the buffer holds at least one newline, or the input ends.
  size_t line_end = std::string::npos;
  while (!eof_) {
    const size_t n = source_.read(chunk.buffer.data() + size, capacity - size);
    if (n == 0) {
      eof_ = true;
      break;
    }
    XXH3_128bits_update(hash_->state, chunk.buffer.data() + size, n);
    content_bytes_ += n;
    size += n;
    if (size == capacity) {
      const char* data = chunk.buffer.data();
      const void* last = memrchr(data, '\n', size);
      if (last) {
        line_end = static_cast<size_t>(static_cast<const char*>(last) - data) + 1;
        break;
      }
      capacity *= 2;  // one line longer than a chunk: grow
      chunk.buffer.resize(capacity + padding);
    }
  }
  if (eof_) line_end = size;
  if (line_end == 0 || size == 0) return false;
  carry_.assign(chunk.buffer.data() + line_end, chunk.buffer.data() + size);
  chunk.size = line_end;
  chunk.first_line = next_line_;
  chunk.sequence = next_sequence_++;
  next_line_ += count_newlines(chunk.buffer.data(), line_end);
  return true;
}

std::string ChunkReader::checksum_hex() const {
  const XXH128_hash_t h = XXH3_128bits_digest(hash_->state);
  char text[40];
  std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return std::string("xxh128:") + text;
}

}  // namespace cca::ingest
