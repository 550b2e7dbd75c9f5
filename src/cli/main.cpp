// ccanalytics: one binary, three subcommands (generate, ingest, serve).
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands.h"
#include "generate/generator.h"
#include "server/serve.h"

namespace {

int run_generate(const cca::generate::GenerateOptions& options) {
  try {
    const cca::generate::GenerateSummary summary = cca::generate::generate_dataset(options);
    std::cout << "wrote " << summary.events << " events in " << summary.batches << " batches ("
              << summary.users << " users, " << summary.sessions << " sessions) to "
              << summary.telemetry_path << " and " << summary.employees_path << "\n";
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ccanalytics: analytics for Claude Code telemetry"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "ccanalytics 0.1.0");

  cca::generate::GenerateOptions generate;
  CLI::App* generate_cmd = app.add_subcommand("generate", "Write a synthetic telemetry dataset");
  generate_cmd->add_option("--output-dir", generate.output_dir, "Folder for the two files")->required();
  generate_cmd->add_option("--num-users", generate.num_users, "Engineers")->capture_default_str();
  generate_cmd->add_option("--num-sessions", generate.num_sessions, "Sessions")->capture_default_str();
  generate_cmd->add_option("--days", generate.days, "Days before the end date")->capture_default_str();
  generate_cmd->add_option("--seed", generate.seed, "Random seed")->capture_default_str();
  generate_cmd->add_option("--end-date", generate.end_date, "End of the window, YYYY-MM-DD")
      ->capture_default_str();

  cca::cli::IngestCommandOptions ingest;
  CLI::App* ingest_cmd = app.add_subcommand("ingest", "Load telemetry and the employee directory");
  ingest_cmd->add_option("--db", ingest.db_path, "Store (created if missing)")->required();
  ingest_cmd->add_option("--telemetry", ingest.telemetry_files,
                         "CloudWatch-batch JSONL, plain or .gz (repeatable)");
  ingest_cmd->add_option("--employees", ingest.employees_file, "Employee directory CSV");
  ingest_cmd->add_flag("--json", ingest.json, "Print one JSON report as the last line of stdout");

  cca::server::ServeOptions serve;
  CLI::App* serve_cmd = app.add_subcommand("serve", "Serve the REST API and the dashboard");
  serve_cmd->add_option("--db", serve.db_path, "Store")->required();
  serve_cmd->add_option("--host", serve.host, "Address to listen on")->capture_default_str();
  serve_cmd->add_option("--port", serve.port, "Port")->capture_default_str();
  serve_cmd->add_option("--max-body-mb", serve.max_body_mb, "Largest request body (MiB)")
      ->capture_default_str();
  serve_cmd->add_option("--threads", serve.threads, "Worker threads")->capture_default_str();
  serve_cmd->add_option("--poll-ms", serve.poll_ms, "How often to look for new rows in the store")
      ->capture_default_str();
  serve_cmd->add_flag("--access-log", serve.access_log, "Log every request to stderr");
  serve_cmd
      ->add_option("--max-streams", serve.max_streams,
                   "Open /api/v1/stream connections at most (at most half the threads)")
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);

  if (generate_cmd->parsed()) return run_generate(generate);
  if (ingest_cmd->parsed()) return cca::cli::run_ingest(ingest);
  if (serve_cmd->parsed()) return cca::server::serve(serve);
  return 1;
}
