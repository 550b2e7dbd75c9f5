#include "engine/snapshot_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <stdexcept>
#include <string_view>
#include <type_traits>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace cca::engine {
namespace {

// Layout: header and body (checksummed), then a trailer of the body's length, its XXH3-128 and an
// end mark. Numbers are in the machine's byte order; the header's byte-order mark and layout
// sizes make a file from another layout fail to open rather than decode wrongly.
constexpr char kMagic[8] = {'c', 'c', 'a', 's', 'n', 'a', 'p', '\0'};
constexpr char kEndMark[8] = {'c', 'c', 'a', 's', 'e', 'n', 'd', '\0'};
// Bumped whenever what is written changes.
constexpr uint32_t kFormatVersion = 5;
constexpr uint32_t kByteOrderMark = 0x01020304;
constexpr uint32_t kLayout = static_cast<uint32_t>(sizeof(Cell)) << 16 |
                             static_cast<uint32_t>(kEventKinds) << 8 | kCellIndexes;
constexpr size_t kTrailerBytes = 8 + 16 + 8;
// Arrays start at file offsets that are multiples of this, so that a mapping of the file holds
// them aligned.
constexpr size_t kAlignment = 8;
// Arrays this large are copied out of a mapping of the file rather than read into zeroed memory.
constexpr size_t kMappedBytes = 64 << 10;

size_t padding(uint64_t offset) {
  return static_cast<size_t>((kAlignment - offset % kAlignment) % kAlignment);
}

static_assert(std::is_trivially_copyable_v<Cell>);

std::runtime_error failure(const std::string& path, const std::string& what) {
  return std::runtime_error(path + ": " + what);
}

class Writer {
 public:
  Writer(std::FILE* file, std::string path)
      : file_(file), path_(std::move(path)), state_(XXH3_createState()) {
    if (state_ == nullptr) throw failure(path_, "out of memory");
    XXH3_128bits_reset(state_);
  }
  ~Writer() { XXH3_freeState(state_); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void bytes(const void* data, size_t size) {
    if (size == 0) return;
    if (std::fwrite(data, 1, size, file_) != size)
      throw failure(path_, std::string("cannot write: ") + std::strerror(errno));
    XXH3_128bits_update(state_, data, size);
    written_ += size;
  }
  template <class T>
  void pod(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes(&value, sizeof value);
  }
  template <class T>
  void vec(const std::vector<T>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
    pod<uint64_t>(values.size());
    static constexpr char kZeros[kAlignment] = {};
    bytes(kZeros, padding(written_));
    bytes(values.data(), values.size() * sizeof(T));
  }
  void str(std::string_view text) {
    pod<uint64_t>(text.size());
    bytes(text.data(), text.size());
  }
  template <class T, class F>
  void list(const std::vector<T>& values, F&& each) {
    pod<uint64_t>(values.size());
    for (const T& value : values) each(value);
  }
  void column(const CodeColumn& codes) {
    pod(codes.width());
    vec(codes.raw());
  }
  void column(const NumberColumn& numbers) {
    pod<uint8_t>(numbers.narrow());
    vec(numbers.floats());
    vec(numbers.doubles());
  }
  void column(const SparseNumbers& numbers) {
    pod<uint64_t>(numbers.size());
    vec(numbers.present());
    column(numbers.values());
  }

  // The trailer, outside the checksum.
  void finish() {
    const XXH128_hash_t hash = XXH3_128bits_digest(state_);
    const uint64_t body = written_;
    for (const void* part :
         {static_cast<const void*>(&body), static_cast<const void*>(&hash.high64),
          static_cast<const void*>(&hash.low64)})
      if (std::fwrite(part, 1, 8, file_) != 8)
        throw failure(path_, std::string("cannot write: ") + std::strerror(errno));
    if (std::fwrite(kEndMark, 1, sizeof kEndMark, file_) != sizeof kEndMark)
      throw failure(path_, std::string("cannot write: ") + std::strerror(errno));
  }

 private:
  std::FILE* file_;
  std::string path_;
  XXH3_state_t* state_;
  uint64_t written_ = 0;
};

class Reader {
 public:
  // Checks the trailer first, so that a truncated file is refused before its body is read.
  Reader(std::FILE* file, std::string path)
      : file_(file), path_(std::move(path)), state_(XXH3_createState()) {
    if (state_ == nullptr) throw failure(path_, "out of memory");
    XXH3_128bits_reset(state_);
    struct stat info {};
    if (fstat(fileno(file_), &info) != 0) throw failure(path_, "cannot stat");
    const auto size = static_cast<uint64_t>(info.st_size);
    if (size < sizeof kMagic + kTrailerBytes) throw failure(path_, "truncated");
    if (std::fseek(file_, static_cast<long>(size - kTrailerBytes), SEEK_SET) != 0)
      throw failure(path_, "cannot seek");
    uint64_t body = 0;
    char end[8];
    if (std::fread(&body, 8, 1, file_) != 1 || std::fread(&expected_.high64, 8, 1, file_) != 1 ||
        std::fread(&expected_.low64, 8, 1, file_) != 1 || std::fread(end, 8, 1, file_) != 1)
      throw failure(path_, "cannot read the trailer");
    if (std::memcmp(end, kEndMark, sizeof end) != 0 || body != size - kTrailerBytes)
      throw failure(path_, "truncated or not a snapshot file");
    remaining_ = body_ = body;
    std::rewind(file_);
  }
  ~Reader() { XXH3_freeState(state_); }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  void bytes(void* data, size_t size) {
    if (size > remaining_) throw failure(path_, "truncated");
    if (size == 0) return;
    if (std::fread(data, 1, size, file_) != size) throw failure(path_, "cannot read");
    XXH3_128bits_update(state_, data, size);
    remaining_ -= size;
  }
  template <class T>
  T pod() {
    static_assert(std::is_trivially_copyable_v<T>);
    T value;
    bytes(&value, sizeof value);
    return value;
  }
  // A count of items of at least `item_bytes` each, checked against what is left.
  uint64_t count(size_t item_bytes) {
    const auto n = pod<uint64_t>();
    if (n > remaining_ / std::max<size_t>(item_bytes, 1)) throw failure(path_, "corrupt length");
    return n;
  }
  template <class T>
  void vec(std::vector<T>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
    const uint64_t size = count(sizeof(T));
    char pad[kAlignment];
    bytes(pad, padding(body_ - remaining_));
    const size_t length = size * sizeof(T);
    if (length > remaining_) throw failure(path_, "truncated");
    reserve_columns(values, size);
    if (length < kMappedBytes) {
      values.resize(size);
      bytes(values.data(), length);
      return;
    }
    // Copied straight out of the page cache: no zeroing of the vector first, and the kernel's
    // copy into a read buffer saved.
    const uint64_t offset = body_ - remaining_;
    const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    const uint64_t start = offset / page * page;
    const size_t mapped = static_cast<size_t>(offset - start) + length;
    void* const map = mmap(nullptr, mapped, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fileno(file_),
                           static_cast<off_t>(start));
    if (map == MAP_FAILED) throw failure(path_, std::string("cannot map: ") + std::strerror(errno));
    const char* const source = static_cast<const char*>(map) + (offset - start);
    XXH3_128bits_update(state_, source, length);
    const T* const first = reinterpret_cast<const T*>(source);
    values.assign(first, first + size);
    munmap(map, mapped);
    remaining_ -= length;
    if (std::fseek(file_, static_cast<long>(offset + length), SEEK_SET) != 0)
      throw failure(path_, "cannot seek");
  }
  std::string str() {
    std::string text(count(1), '\0');
    bytes(text.data(), text.size());
    return text;
  }
  template <class T, class F>
  void list(std::vector<T>& values, F&& each) {
    values.resize(count(8));
    for (T& value : values) each(value);
  }
  void column(CodeColumn& codes) {
    const auto width = pod<uint8_t>();
    std::vector<uint8_t> raw;
    vec(raw);
    if (!codes.assign_raw(width, std::move(raw))) throw failure(path_, "corrupt code column");
  }
  void column(NumberColumn& numbers) {
    const auto narrow = pod<uint8_t>();
    std::vector<float> floats;
    std::vector<double> doubles;
    vec(floats);
    vec(doubles);
    if (narrow > 1 || !numbers.assign_raw(narrow == 1, std::move(floats), std::move(doubles)))
      throw failure(path_, "corrupt number column");
  }
  void column(SparseNumbers& numbers) {
    const auto size = pod<uint64_t>();
    std::vector<uint64_t> present;
    NumberColumn values;
    vec(present);
    column(values);
    if (!numbers.assign_raw(size, std::move(present), std::move(values)))
      throw failure(path_, "corrupt number column");
  }

  // Everything read: nothing may be left, and the checksum must match.
  void finish() {
    if (remaining_ != 0) throw failure(path_, "unexpected bytes after the body");
    const XXH128_hash_t hash = XXH3_128bits_digest(state_);
    if (!XXH128_isEqual(hash, expected_)) throw failure(path_, "checksum mismatch");
  }

 private:
  std::FILE* file_;
  std::string path_;
  XXH3_state_t* state_;
  XXH128_hash_t expected_{};
  uint64_t body_ = 0;       // bytes before the trailer
  uint64_t remaining_ = 0;  // of them, not read yet
};

// The fields of a segment in file order, for writing (const Segment) and reading alike.
template <class Archive, class S>
void segment_fields(Archive& a, S& s) {
  a.vec(s.time_ms);
  a.vec(s.kind);
  a.vec(s.flags);
  a.vec(s.success);
  for (auto* column : {&s.event_name, &s.session, &s.user, &s.terminal, &s.model, &s.tool,
                       &s.decision, &s.decision_source, &s.error, &s.status_code, &s.version, &s.os,
                       &s.practice_hint, &s.attempt_code, &s.query_source, &s.attributes})
    a.column(*column);
  for (auto* column : {&s.duration_ms, &s.prompt_length, &s.attempt, &s.tool_result_size_bytes})
    a.column(*column);
  for (auto* column : {&s.api.input_tokens, &s.api.output_tokens, &s.api.cache_read_tokens,
                       &s.api.cache_creation_tokens, &s.api.cost_usd, &s.api.ttft_ms})
    a.column(*column);
  a.vec(s.api.present);
  a.vec(s.api_before_block);
  for (auto& cells : s.cells) a.vec(cells);
  for (auto* by_key : {&s.latency.by_model, &s.latency.by_tool, &s.latency.ttft_by_model}) {
    a.list(*by_key, [&](auto& durations) {
      a.vec(durations.row);
      a.vec(durations.duration_ms);
      a.vec(durations.sorted);
      if constexpr (std::is_const_v<S>) {
        a.pod(durations.sum);
      } else {
        durations.sum = a.template pod<double>();
      }
    });
  }
}

// The dictionaries in file order; attribute sets are written after their keys and values.
template <class D>
auto dictionary_list(D& d) {
  return std::array<decltype(&d.event_name), 19>{&d.event_name,
                                                 &d.session,
                                                 &d.user,
                                                 &d.terminal,
                                                 &d.model,
                                                 &d.tool,
                                                 &d.decision,
                                                 &d.decision_source,
                                                 &d.error,
                                                 &d.status_code,
                                                 &d.version,
                                                 &d.os,
                                                 &d.query_source,
                                                 &d.attempt,
                                                 &d.practice,
                                                 &d.level,
                                                 &d.location,
                                                 &d.attributes.keys,
                                                 &d.attributes.values};
}

void write_key(Writer& w, const SnapshotFileKey& key) {
  w.pod(key.schema_version);
  w.pod(key.retention_version);
  w.pod(key.last_seq);
  w.pod(key.fingerprint);
  w.str(key.practice_attribute);
}

SnapshotFileKey read_key(Reader& r, const std::string& path) {
  char magic[sizeof kMagic];
  r.bytes(magic, sizeof magic);
  if (std::memcmp(magic, kMagic, sizeof magic) != 0) throw failure(path, "not a snapshot file");
  if (r.pod<uint32_t>() != kFormatVersion) throw failure(path, "another format version");
  if (r.pod<uint32_t>() != kByteOrderMark || r.pod<uint32_t>() != kLayout)
    throw failure(path, "written by another build or machine");
  SnapshotFileKey key;
  key.schema_version = r.pod<int64_t>();
  key.retention_version = r.pod<int64_t>();
  key.last_seq = r.pod<int64_t>();
  key.fingerprint = r.pod<uint64_t>();
  key.practice_attribute = r.str();
  return key;
}

// What a reader may rely on: every column as long as the segment, the api figures one per
// api_request row, latency rows inside the segment, segments in time order.
void check_segment(const Segment& s, const std::string& path) {
  const size_t n = s.time_ms.size();
  if (n == 0) throw failure(path, "empty segment");
  bool ok = s.kind.size() == n && s.flags.size() == n && s.success.size() == n;
  for (const auto* column :
       {&s.event_name, &s.session, &s.user, &s.terminal, &s.model, &s.tool, &s.decision,
        &s.decision_source, &s.error, &s.status_code, &s.version, &s.os, &s.practice_hint,
        &s.attempt_code, &s.query_source, &s.attributes})
    ok = ok && column->size() == n;
  for (const auto* column :
       {&s.duration_ms, &s.prompt_length, &s.attempt, &s.tool_result_size_bytes})
    ok = ok && column->size() == n;
  size_t api_rows = 0;
  const auto api = static_cast<uint8_t>(EventKind::kApiRequest);
  for (size_t i = 0; i < n; ++i) {
    api_rows += s.kind[i] == api;
    ok = ok && s.kind[i] < kEventKinds && (i == 0 || s.time_ms[i - 1] <= s.time_ms[i]);
  }
  for (const auto* column : {&s.api.input_tokens, &s.api.output_tokens, &s.api.cache_read_tokens,
                             &s.api.cache_creation_tokens, &s.api.cost_usd, &s.api.ttft_ms})
    ok = ok && column->size() == api_rows;
  ok = ok && s.api.present.size() == api_rows &&
       s.api_before_block.size() == n / Segment::kBlockRows + 1;
  for (const auto* by_key : {&s.latency.by_model, &s.latency.by_tool, &s.latency.ttft_by_model}) {
    for (const KeyDurations& d : *by_key) {
      ok = ok && (d.duration_ms.empty() || d.duration_ms.size() == d.row.size()) &&
           d.sorted.size() == d.row.size();
      for (size_t i = 0; i < d.row.size(); ++i)
        ok = ok && d.row[i] < n && (i == 0 || d.row[i - 1] < d.row[i]);
    }
  }
  if (!ok) throw failure(path, "inconsistent segment");
}

std::FILE* open_for_reading(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) throw failure(path, std::strerror(errno));
  return file;
}

struct FileCloser {
  std::FILE* file;
  ~FileCloser() {
    if (file != nullptr) std::fclose(file);
  }
};

}  // namespace

void write_snapshot_file(const std::string& path, const SnapshotFileData& data,
                         const Dictionaries& dictionaries) {
  static std::atomic<uint64_t> counter{0};
  const std::string temporary =
      path + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) throw failure(temporary, std::strerror(errno));
  try {
    FileCloser closer{file};
    std::setvbuf(file, nullptr, _IOFBF, 1 << 20);
    Writer w(file, temporary);
    w.bytes(kMagic, sizeof kMagic);
    w.pod(kFormatVersion);
    w.pod(kByteOrderMark);
    w.pod(kLayout);
    write_key(w, data.key);
    w.pod(data.events);
    // Set texts first: the keys and values dictionaries written after them cover their pairs.
    const std::vector<std::string> sets = dictionaries.attributes.texts();
    for (const Dictionary* dictionary : dictionary_list(dictionaries)) {
      const uint32_t size = dictionary->size();
      w.pod(size);
      for (uint32_t code = 1; code < size; ++code) w.str(dictionary->value(code));
    }
    w.pod(static_cast<uint32_t>(sets.size()));
    for (size_t code = 1; code < sets.size(); ++code) w.str(sets[code]);
    w.list(data.latest_hints, [&](const LatestHint& hint) {
      w.pod(hint.time_ms);
      w.pod(hint.practice);
    });
    w.list(data.segments,
           [&](const std::shared_ptr<const Segment>& segment) { segment_fields(w, *segment); });
    w.finish();
    if (std::fflush(file) != 0 || fsync(fileno(file)) != 0)
      throw failure(temporary, std::string("cannot flush: ") + std::strerror(errno));
    closer.file = nullptr;
    if (std::fclose(file) != 0)
      throw failure(temporary, std::string("cannot close: ") + std::strerror(errno));
    if (std::rename(temporary.c_str(), path.c_str()) != 0)
      throw failure(path, std::string("cannot rename: ") + std::strerror(errno));
  } catch (...) {
    std::remove(temporary.c_str());
    throw;
  }
  // The rename itself reaches the disk with the folder's entry.
  std::string folder = std::filesystem::path(path).parent_path().string();
  if (folder.empty()) folder = ".";
  const int dir = open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    fsync(dir);
    close(dir);
  }
}

SnapshotFileKey read_snapshot_file_key(const std::string& path) {
  FileCloser closer{open_for_reading(path)};
  Reader r(closer.file, path);
  return read_key(r, path);
}

SnapshotFileData read_snapshot_file(const std::string& path, Dictionaries& dictionaries) {
  FileCloser closer{open_for_reading(path)};
  std::setvbuf(closer.file, nullptr, _IOFBF, 1 << 20);
  Reader r(closer.file, path);
  SnapshotFileData data;
  data.key = read_key(r, path);
  data.events = r.pod<uint64_t>();
  for (Dictionary* dictionary : dictionary_list(dictionaries)) {
    const auto size = r.pod<uint32_t>();
    if (size == 0) throw failure(path, "corrupt dictionary");
    for (uint32_t code = 1; code < size; ++code) {
      if (dictionary->intern(r.str()) != code) throw failure(path, "inconsistent dictionary");
    }
  }
  const auto sets = r.pod<uint32_t>();
  for (uint32_t code = 1; code < sets; ++code)
    if (dictionaries.attributes.intern(r.str()) != code)
      throw failure(path, "inconsistent attribute sets");
  r.list(data.latest_hints, [&](LatestHint& hint) {
    hint.time_ms = r.pod<int64_t>();
    hint.practice = r.pod<uint32_t>();
  });
  std::vector<std::shared_ptr<const Segment>>& segments = data.segments;
  segments.resize(r.count(8));
  for (auto& segment : segments) {
    auto fresh = std::make_shared<Segment>();
    segment_fields(r, *fresh);
    segment = std::move(fresh);
  }
  r.finish();
  // Decoded consistently: sizes agree, segments in order.
  uint64_t events = 0;
  for (size_t i = 0; i < segments.size(); ++i) {
    check_segment(*segments[i], path);
    events += segments[i]->size();
    if (i > 0 && segments[i - 1]->last_time() > segments[i]->first_time())
      throw failure(path, "segments out of order");
  }
  if (events != data.events || data.latest_hints.size() > dictionaries.user.size())
    throw failure(path, "inconsistent event count");
  return data;
}

}  // namespace cca::engine
