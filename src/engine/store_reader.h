#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "engine/dictionaries.h"
#include "engine/directory.h"
#include "engine/segment.h"
#include "store/database.h"

namespace cca::engine {

// What tells the engine whether the store changed since it last looked.
struct StoreState {
  int64_t max_seq = 0;
  int64_t directory_version = 0;
  // meta.retention_version: changes when a retention run deleted rows, which only a full reload
  // takes out of the engine.
  int64_t retention_version = 0;
};

// What ties a snapshot file to the rows it holds (snapshot_file.h): a hash of the identity keys
// (key_hi, key_lo) and seqs of rows sampled evenly across 1..last_seq, the row at last_seq
// included; 0 when that row does not exist. Reads in its own transaction.
uint64_t store_fingerprint(store::Database& db, int64_t last_seq);

// The event columns that hold ids into the store's `strings` table.
enum StringColumn {
  kEventNameColumn,
  kSessionColumn,
  kUserColumn,
  kTerminalColumn,
  kModelColumn,
  kToolColumn,
  kDecisionColumn,
  kDecisionSourceColumn,
  kErrorColumn,
  kStatusCodeColumn,
  kVersionColumn,
  kOsColumn,
  kPracticeHintColumn,
  kQuerySourceColumn,
  kAttributesColumn,  // set codes of Dictionaries::attributes
  kStringColumns
};

// Translates the store's string ids into per-attribute dictionary codes, looking each id up in
// the store once. Shared by the threads of a parallel load: misses are serialised, which also
// keeps the dictionaries to one writer at a time.
class StringCodes {
 public:
  explicit StringCodes(Dictionaries& dictionaries) : dictionaries_(dictionaries) {}

  // The code for a string id of a column; string_by_id is "SELECT value FROM strings WHERE id=?1"
  // on the calling thread's connection.
  uint32_t resolve(StringColumn column, int64_t string_id, store::Statement& string_by_id);
  // The attempt dictionary's code for an attempt number.
  uint32_t attempt_code(double attempt);
  // The practice code of the value of custom attribute practice_key in the set, 0 when the set
  // lacks it.
  uint32_t attribute_practice(uint32_t set, std::string_view practice_key);

 private:
  Dictionary& dictionary(StringColumn column);

  Dictionaries& dictionaries_;
  std::mutex mutex_;
  std::array<std::vector<uint32_t>, kStringColumns> codes_;  // id -> code + 1, 0: not yet
};

// Reads the store for the engine. Not thread-safe: the engine's refresh owns it.
class StoreReader {
 public:
  // practice_attribute: a custom attribute whose value is the practice hint of the events that
  // carry it (serve --practice-attribute), or empty.
  StoreReader(const std::string& db_path, Dictionaries& dictionaries,
              std::string practice_attribute = {});

  StoreState state();
  int64_t schema_version();
  uint64_t fingerprint(int64_t last_seq) { return store_fingerprint(db_, last_seq); }
  // Appends the events with after_seq < seq <= up_to_seq, in seq order. Large ranges are read by
  // `threads` connections at once, each into its own builder (in seq order across builders).
  std::vector<SegmentBuilder> read_events(int64_t after_seq, int64_t up_to_seq, int threads = 1);
  // The times of `samples` rows spread evenly over after_seq < seq <= up_to_seq, sorted.
  std::vector<int64_t> sample_times(int64_t after_seq, int64_t up_to_seq, int samples);
  // Reads after_seq < seq <= up_to_seq in chunks of chunk_rows seqs, `threads` chunks at a time,
  // each row into the builder of its time range (bounds[i - 1] <= time_ms < bounds[i] into
  // builders[i]; bounds.size() + 1 builders). Once a chunk is read, calls take(chunk, builders)
  // on the thread that read it, which must empty them; chunks are numbered in seq order. Memory
  // stays at what `take` keeps plus a chunk's rows per thread.
  void read_events_by_time(int64_t after_seq, int64_t up_to_seq, int64_t chunk_rows,
                           const std::vector<int64_t>& bounds, int threads,
                           const std::function<void(size_t, std::vector<SegmentBuilder>&)>& take);
  Directory read_directory();

 private:
  std::string db_path_;
  std::string practice_attribute_;
  Dictionaries& dictionaries_;
  store::Database db_;
  StringCodes codes_;
};

}  // namespace cca::engine
