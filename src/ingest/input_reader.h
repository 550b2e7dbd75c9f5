#pragma once

#include <zlib.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cca::ingest {

// A run of whole lines from the input, in a buffer padded for simdjson.
struct Chunk {
  std::vector<char> buffer;  // size() >= size + padding; reused across chunks
  size_t size = 0;
  uint64_t first_line = 1;
  uint64_t sequence = 0;
};

// Where the bytes come from: a file (plain or gzip, told apart by content) or memory.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to `capacity` bytes; 0 at the end. Throws IngestError on a read error.
  virtual size_t read(char* out, size_t capacity) = 0;
  // The content's size in bytes, for progress; 0 when unknown (gzip).
  virtual uint64_t total() const = 0;
};

std::unique_ptr<ByteSource> open_file_source(const std::string& path);
std::unique_ptr<ByteSource> memory_source(std::string_view bytes);

// Cuts a byte source into chunks of whole lines, streaming: memory stays at a few chunks
// whatever the input's size. Also checksums the content (XXH3-128) as it passes.
class ChunkReader {
 public:
  ChunkReader(ByteSource& source, size_t chunk_bytes);
  ~ChunkReader();

  // False at the end of the input.
  bool next(Chunk& chunk);
  uint64_t content_bytes() const { return content_bytes_; }
  std::string checksum_hex() const;

 private:
  ByteSource& source_;
  size_t chunk_bytes_;
  std::vector<char> carry_;  // the incomplete last line of the previous chunk
  uint64_t next_line_ = 1;
  uint64_t next_sequence_ = 0;
  uint64_t content_bytes_ = 0;
  bool eof_ = false;
  struct HashState;
  std::unique_ptr<HashState> hash_;
};

}  // namespace cca::ingest
