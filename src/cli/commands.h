#pragma once

#include <string>
#include <vector>

#include "replay/replay_options.h"

// The subcommands, each a plain function of its parsed options. Only main.cpp sees CLI11:
// it is slow to compile, so it stays in one translation unit.
namespace cca::cli {

struct IngestCommandOptions {
  std::string db_path;
  std::string clickhouse_url;  // instead of db_path: a ClickHouse store
  std::vector<std::string> telemetry_files;
  std::vector<std::string> metrics_files;
  std::string employees_file;
  bool json = false;
  int retention_days = 0;  // after loading, delete what is older (0: keep everything)
};

// Returns the process exit code.
int run_ingest(const IngestCommandOptions& options);

struct TokenCommandOptions {
  std::string db_path;
  std::string name;
  std::string role;
  std::vector<std::string> practices;
};

// `token create` prints the new token on stdout, once; `token list` a table; `token revoke`
// ends a token. Each returns the process exit code.
int run_token_create(const TokenCommandOptions& options);
int run_token_list(const TokenCommandOptions& options);
int run_token_revoke(const TokenCommandOptions& options);

struct ReplayCommandOptions {
  replay::ReplayOptions replay;
  std::string protocol = "http/json";
  bool as_fast_as_possible = false;
};

// Prints the replay's report as one JSON line; non-zero when a request was given up on.
int run_replay(ReplayCommandOptions options);

struct BackupCommandOptions {
  std::string db_path;
  std::string destination;
};

// 0 when the backup was written and checked; 1 otherwise, with nothing left at the destination.
int run_backup(const BackupCommandOptions& options);

struct ReportCommandOptions {
  std::string db_path;
  std::string from, to;       // dates or instants as the API takes them; empty: the data's days
  std::string format = "md";  // md, html or json
  std::string output;         // a file; empty: stdout
};

// Writes the period's digest (docs/api.md, "The report"), as GET /api/v1/report answers it.
// 0 when written; 1 with the reason on stderr.
int run_report(const ReportCommandOptions& options);

struct RestoreCommandOptions {
  std::string db_path;
  std::string backup_path;
  bool force = false;
};

// 0 when the store was restored; 1 when the backup is unfit or the store was left alone
// (it exists and --force was not given, or a server or an ingest is using it).
int run_restore(const RestoreCommandOptions& options);

}  // namespace cca::cli
