#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace cca::generate {

// Flags and defaults of `ccanalytics generate`, the same as the reference generator's.
struct GenerateOptions {
  std::string output_dir;
  int num_users = 30;
  int num_sessions = 500;
  int days = 30;
  uint64_t seed = 42;
  // The directory's people drawn from this seed instead of `seed`: datasets made with different
  // seeds and the same people seed are one organisation's people with other sessions, as the
  // chunks of a larger dataset should be.
  std::optional<uint64_t> people_seed;
  std::string end_date = "2026-02-01";  // YYYY-MM-DD, exclusive end of the window
  // A scenario file (docs/generator.md, "Scenarios"): trend, weekly rhythm, incidents. Empty:
  // none, and the output is the plain generator's.
  std::string scenario_file;
};

struct GenerateSummary {
  std::string metrics_path;  // OTLP/JSON metrics, one export per session
  uint64_t metric_points = 0;
  uint64_t events = 0;
  uint64_t batches = 0;
  uint64_t users = 0;
  uint64_t sessions = 0;
  uint64_t telemetry_bytes = 0;  // size of telemetry_logs.jsonl
  std::string telemetry_path;
  std::string employees_path;
};

// Writes DIR/telemetry_logs.jsonl and DIR/employees.csv, streaming: memory stays bounded
// whatever the number of sessions. The same options (and scenario file) give byte-identical
// files. Throws std::runtime_error on bad options, a bad scenario file or I/O failure.
GenerateSummary generate_dataset(const GenerateOptions& options);

}  // namespace cca::generate
