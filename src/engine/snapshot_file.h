#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/dictionaries.h"
#include "engine/segment.h"
#include "engine/user_table.h"

namespace cca::engine {

// What ties a snapshot file to the store it was built from. A file is used only when every field
// matches the store being opened (see SnapshotFileKey::matches in engine.cpp): same schema, same
// retention_version (no rows deleted since), and the store still holds the same rows up to
// last_seq (fingerprint: a hash of the identity keys of rows sampled across 1..last_seq, the row
// at last_seq included). Rows committed after last_seq are read from the store as a refresh would.
struct SnapshotFileKey {
  int64_t schema_version = 0;
  int64_t retention_version = 0;
  int64_t last_seq = 0;
  uint64_t fingerprint = 0;
  std::string practice_attribute;  // serve --practice-attribute rewrites the rows' hints
};

// The events part of an engine snapshot, as written to and read from a snapshot file.
struct SnapshotFileData {
  SnapshotFileKey key;
  uint64_t events = 0;
  std::vector<std::shared_ptr<const Segment>> segments;
  std::vector<LatestHint> latest_hints;  // by user code
};

// Writes `data` and the dictionaries to `path` atomically: a temporary file in the same folder,
// flushed to disk, then renamed over `path`. The body is checksummed (XXH3-128). Throws
// std::runtime_error on any failure (the temporary file is removed). Safe while the engine's
// refresh interns new codes: only codes the segments hold are needed, and values never move.
void write_snapshot_file(const std::string& path, const SnapshotFileData& data,
                         const Dictionaries& dictionaries);

// Reads only the key of the file at `path`; throws std::runtime_error when it is missing or not
// a snapshot file of this format.
SnapshotFileKey read_snapshot_file_key(const std::string& path);

// Reads the file at `path` into `dictionaries` (fresh ones, holding only their fixed codes) and
// returns its events. Throws std::runtime_error when the file is missing, truncated, of another
// format, fails its checksum or does not decode consistently; `dictionaries` must then be thrown
// away.
SnapshotFileData read_snapshot_file(const std::string& path, Dictionaries& dictionaries);

}  // namespace cca::engine
