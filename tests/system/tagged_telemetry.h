#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cca::system_test {

// CloudWatch-batch JSONL whose every log event carries a unique `event.sequence` attribute (its
// position in the file), the identity by which the tests find an event in the store whatever path
// delivered it: CloudWatch ids do not survive OTLP, and OTLP identities are content hashes.
// Claude Code numbers its events this way too, so the attribute is stored in `extra` like any
// other.
struct TaggedTelemetry {
  std::vector<std::string> lines;              // one CloudWatch batch a line, without newline
  std::vector<std::vector<std::string>> tags;  // the tags of each line's events, in order
  size_t events = 0;
};

// Tags every log event of a CloudWatch-batch JSONL file (plain or gzip).
TaggedTelemetry tag_telemetry(const std::string& jsonl_path);

// The lines, newline-terminated, as one JSONL text.
std::string jsonl(const std::vector<std::string>& lines);

// The telemetry file the tests use: the 30-user reference dataset when the datasets are there,
// else one `ccanalytics generate` writes into `scratch`. `large` asks for the 100-user one
// (454k events), else a generated one of that size.
std::string telemetry_file(const std::string& scratch, bool large);

}  // namespace cca::system_test
