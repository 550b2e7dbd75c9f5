#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace cca::ingest {

// What one ingest did. The CLI prints it; POST /api/v1/ingest answers it as JSON.
struct IngestReport {
  int64_t ingest_id = 0;  // row in the store's ingests table
  uint64_t lines = 0;     // non-blank lines read
  uint64_t bytes = 0;
  uint64_t accepted = 0;
  uint64_t duplicates = 0;
  uint64_t rejected_events = 0;
  uint64_t rejected_lines = 0;
  uint64_t employees = 0;  // directory rows loaded (employee CSV ingests)
  std::map<std::string, uint64_t> rejected_by_reason;  // reason code -> count
  double seconds = 0;

  void merge(const IngestReport& other);
  // {"accepted": N, "duplicates": N, "rejected_events": N, "rejected_lines": N, ...}
  std::string to_json() const;
};

}  // namespace cca::ingest
