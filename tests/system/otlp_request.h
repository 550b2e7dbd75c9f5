#pragma once

#include <string>

namespace cca::system_test {

// An OTLP/JSON ExportLogsServiceRequest of `records` user_prompt records whose content differs
// by `first` + i (so each is an event of its own), as Claude Code's exporter shapes them.
std::string otlp_logs_json(int first, int records);
// The same request in protobuf.
std::string otlp_logs_protobuf(int first, int records);

}  // namespace cca::system_test
