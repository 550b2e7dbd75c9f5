#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace cca::system_test {

// What a store holds, read with SQL straight from its file (not through the server).
struct StoreCensus {
  std::string integrity;            // PRAGMA integrity_check: "ok" when sound
  int64_t rows = 0;                 // rows of `events`
  int64_t distinct_identities = 0;  // distinct (key_hi, key_lo): the store's own identities
  // Rows per identity as the test knows it (see identity_sql below).
  std::unordered_map<std::string, int> identities;
};

// SQL giving the test's identity of an event row.
inline constexpr const char* kLogEventId = "log_event_id";
inline constexpr const char* kEventSequence =
    "CAST(json_extract(extra, '$.\"event.sequence\"') AS TEXT)";

StoreCensus take_census(const std::string& db_path, const char* identity_sql);
// The identities a store holds, each once.
std::unordered_set<std::string> identities_in(const std::string& db_path, const char* identity_sql);

// The ingest log: (path, status) per row, in order.
std::vector<std::pair<std::string, std::string>> ingest_log(const std::string& db_path);

}  // namespace cca::system_test
