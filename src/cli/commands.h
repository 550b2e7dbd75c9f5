#pragma once

#include <string>
#include <vector>

// The subcommands, each a plain function of its parsed options. Only main.cpp sees CLI11:
// it is slow to compile, so it stays in one translation unit.
namespace cca::cli {

struct IngestCommandOptions {
  std::string db_path;
  std::vector<std::string> telemetry_files;
  std::string employees_file;
  bool json = false;
};

// Returns the process exit code.
int run_ingest(const IngestCommandOptions& options);

}  // namespace cca::cli
