// ccanalytics: one binary, its subcommands (generate, ingest, serve, replay, report, token, backup,
// restore).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "engine/engine.h"
#include "generate/generator.h"
#include "server/serve.h"

namespace {

int run_generate(const cca::generate::GenerateOptions& options) {
  try {
    const cca::generate::GenerateSummary summary = cca::generate::generate_dataset(options);
    std::cout << "wrote " << summary.events << " events in " << summary.batches << " batches ("
              << summary.users << " users, " << summary.sessions << " sessions) to "
              << summary.telemetry_path << " and " << summary.employees_path << "; "
              << summary.metric_points << " metric data points to " << summary.metrics_path << "\n";
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
  generate_cmd->add_option("--output-dir", generate.output_dir, "Folder for the two files")
      ->required();
  generate_cmd->add_option("--num-users", generate.num_users, "Engineers")->capture_default_str();
  generate_cmd->add_option("--num-sessions", generate.num_sessions, "Sessions")
      ->capture_default_str();
  generate_cmd->add_option("--days", generate.days, "Days before the end date")
      ->capture_default_str();
  generate_cmd->add_option("--seed", generate.seed, "Random seed")->capture_default_str();
  generate_cmd->add_option("--people-seed", generate.people_seed,
                           "Seed of the directory's people (default: --seed)");
  generate_cmd->add_option("--end-date", generate.end_date, "End of the window, YYYY-MM-DD")
      ->capture_default_str();
  generate_cmd->add_option("--scenario", generate.scenario_file,
                           "JSON scenario: trend, weekly rhythm, incidents (docs/generator.md)");

  cca::cli::IngestCommandOptions ingest;
  CLI::App* ingest_cmd = app.add_subcommand("ingest", "Load telemetry and the employee directory");
  auto* ingest_db = ingest_cmd->add_option("--db", ingest.db_path, "Store (created if missing)");
  auto* ingest_clickhouse = ingest_cmd->add_option(
      "--clickhouse", ingest.clickhouse_url,
      "ClickHouse store instead: its HTTP URL, e.g. http://127.0.0.1:8123/?database=ccanalytics");
  ingest_db->excludes(ingest_clickhouse);
  ingest_cmd->add_option("--telemetry", ingest.telemetry_files,
                         "CloudWatch-batch JSONL, plain or .gz (repeatable)");
  ingest_cmd->add_option("--metrics", ingest.metrics_files,
                         "OTLP/JSON metrics exports, one a line, plain or .gz (repeatable)");
  ingest_cmd->add_option("--employees", ingest.employees_file, "Employee directory CSV");
  ingest_cmd->add_flag("--json", ingest.json, "Print one JSON report as the last line of stdout");
  ingest_cmd
      ->add_option("--retention-days", ingest.retention_days,
                   "Then delete events, metric points, quarantine older than N days")
      ->check(CLI::PositiveNumber);

  cca::server::ServeOptions serve;
  CLI::App* serve_cmd = app.add_subcommand("serve", "Serve the REST API and the dashboard");
  serve_cmd->add_option("--db", serve.db_path,
                        "Store (with --clickhouse: of tokens, budgets and the audit log only)");
  serve_cmd->add_option(
      "--clickhouse", serve.clickhouse_url,
      "ClickHouse store instead: its HTTP URL, e.g. http://127.0.0.1:8123/?database=ccanalytics");
  serve_cmd->add_option("--host", serve.host, "Address to listen on")->capture_default_str();
  serve_cmd->add_option("--port", serve.port, "Port")->capture_default_str();
  serve_cmd
      ->add_option("--otlp-grpc-port", serve.otlp_grpc_port,
                   "OTLP/gRPC port on --host (0 turns it off)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  serve_cmd->add_option("--max-body-mb", serve.max_body_mb, "Largest request body (MiB)")
      ->capture_default_str();
  serve_cmd->add_option("--threads", serve.threads, "Worker threads")->capture_default_str();
  serve_cmd
      ->add_option("--otlp-max-in-flight", serve.otlp_max_in_flight,
                   "OTLP exports ingested at once; more are answered 503, to be retried")
      ->capture_default_str();
  serve_cmd->add_option("--poll-ms", serve.poll_ms, "How often to look for new rows in the store")
      ->capture_default_str();
  serve_cmd->add_flag("--access-log", serve.access_log, "Log every request to stderr");
  auto* tls_cert = serve_cmd
                       ->add_option("--tls-cert", serve.tls_cert_path,
                                    "Serve HTTPS and OTLP/gRPC over TLS: PEM certificate chain")
                       ->check(CLI::ExistingFile);
  serve_cmd->add_option("--tls-key", serve.tls_key_path, "The certificate's PEM private key")
      ->check(CLI::ExistingFile)
      ->needs(tls_cert);
  tls_cert->needs(serve_cmd->get_option("--tls-key"));
  serve_cmd->add_flag("--insecure", serve.insecure,
                      "Serve beyond loopback although no token guards the data");
  serve_cmd
      ->add_option("--max-auth-failures", serve.max_auth_failures,
                   "Wrong tokens one address may send a minute before it is blocked (0: no limit)")
      ->capture_default_str();
  serve_cmd->add_flag("--metrics-public", serve.metrics_public,
                      "Answer /metrics without a token even when the store holds tokens");
  serve_cmd
      ->add_option("--webhook-retry-ms", serve.webhook_retry_ms,
                   "First retry of a budget alert's webhook; each next waits twice as long")
      ->capture_default_str()
      ->check(CLI::Range(10, 600'000));
  serve_cmd
      ->add_option("--max-streams", serve.max_streams,
                   "Open /api/v1/stream connections at most (at most half the threads)")
      ->capture_default_str();
  bool no_snapshot = false;
  serve_cmd->add_flag("--no-snapshot", no_snapshot,
                      "Neither read nor write the engine's snapshot file <db>.snapshot");
  serve_cmd->add_option("--practice-attribute", serve.practice_attribute,
                        "Custom attribute whose value is the practice of events whose user the "
                        "directory does not list");
  serve_cmd
      ->add_option("--retention-days", serve.retention_days,
                   "Delete events, metric points, quarantine older than N days, hourly")
      ->check(CLI::PositiveNumber);

  cca::cli::TokenCommandOptions token;
  CLI::App* token_cmd = app.add_subcommand("token", "Create, list and revoke access tokens");
  token_cmd->require_subcommand(1);
  CLI::App* token_create = token_cmd->add_subcommand("create", "Create a token; prints it once");
  CLI::App* token_list = token_cmd->add_subcommand("list", "List the tokens (never the secrets)");
  CLI::App* token_revoke = token_cmd->add_subcommand("revoke", "Revoke a token by name");
  for (CLI::App* command : {token_create, token_list, token_revoke})
    command->add_option("--db", token.db_path, "Store")->required();
  for (CLI::App* command : {token_create, token_revoke})
    command->add_option("--name", token.name, "The token's name")->required();
  token_create->add_option("--role", token.role, "viewer, ingest or admin")
      ->required()
      ->check(CLI::IsMember({"viewer", "ingest", "admin"}));
  token_create
      ->add_option("--practice", token.practices,
                   "Practices a viewer sees, comma-separated (every practice when absent)")
      ->delimiter(',');

  cca::cli::ReplayCommandOptions replay;
  CLI::App* replay_cmd =
      app.add_subcommand("replay", "Send telemetry files to a server as live OTLP traffic");
  replay_cmd->add_option("--telemetry", replay.replay.telemetry_files,
                         "CloudWatch-batch JSONL, plain or .gz (repeatable)");
  replay_cmd->add_option("--metrics", replay.replay.metrics_files,
                         "OTLP/JSON metrics exports, one a line (repeatable)");
  replay_cmd->add_option("--endpoint", replay.replay.endpoint, "Server (gRPC: its OTLP port)")
      ->capture_default_str();
  replay_cmd->add_option("--protocol", replay.protocol, "http/json, http/protobuf or grpc")
      ->capture_default_str();
  replay_cmd->add_option("--exporters", replay.replay.exporters, "Parallel senders")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  replay_cmd->add_option("--batch", replay.replay.batch, "Log records per request at most")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  auto* speed = replay_cmd->add_option("--speed", replay.replay.speed, "Times real time")
                    ->capture_default_str()
                    ->check(CLI::PositiveNumber);
  replay_cmd->add_flag("--as-fast-as-possible", replay.as_fast_as_possible, "No pacing")
      ->excludes(speed);
  replay_cmd->add_flag(
      "--preload", replay.replay.preload,
      "Build every request before sending the first (load tests: the report times sending only)");
  replay_cmd->add_flag("--gzip", replay.replay.gzip, "Compress the requests");
  replay_cmd->add_option("--token", replay.replay.token, "Bearer token");
  replay_cmd
      ->add_option("--max-attempts", replay.replay.max_attempts,
                   "Attempts per request before it counts as failed")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);

  cca::cli::BackupCommandOptions backup;
  CLI::App* backup_cmd =
      app.add_subcommand("backup", "Copy the store consistently, while it serves");
  backup_cmd->add_option("--db", backup.db_path, "Store")->required();
  backup_cmd->add_option("--to", backup.destination, "Backup file (replaced when present)")
      ->required();

  cca::cli::ReportCommandOptions report;
  CLI::App* report_cmd = app.add_subcommand("report", "Write the period's digest");
  report_cmd->add_option("--db", report.db_path, "Store")->required();
  report_cmd->add_option("--from", report.from, "First day (YYYY-MM-DD) or instant");
  report_cmd->add_option("--to", report.to, "Last day (YYYY-MM-DD, included) or instant");
  report_cmd->add_option("--format", report.format, "md, html or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"md", "html", "json"}));
  report_cmd->add_option("--output", report.output, "File to write (stdout when absent)");

  cca::cli::RestoreCommandOptions restore;
  CLI::App* restore_cmd =
      app.add_subcommand("restore", "Put a backup in place of a store (its server stopped)");
  restore_cmd->add_option("--db", restore.db_path, "Store to create or replace")->required();
  restore_cmd->add_option("--from", restore.backup_path, "Backup file")->required();
  restore_cmd->add_flag("--force", restore.force, "Replace a store that is there");

  CLI11_PARSE(app, argc, argv);

  if (generate_cmd->parsed()) return run_generate(generate);
  if (ingest_cmd->parsed()) return cca::cli::run_ingest(ingest);
  if (serve_cmd->parsed()) {
    if (!no_snapshot) serve.snapshot_path = cca::engine::default_snapshot_path(serve.db_path);
    return cca::server::serve(serve);
  }
  if (replay_cmd->parsed()) return cca::cli::run_replay(replay);
  if (token_create->parsed()) return cca::cli::run_token_create(token);
  if (token_list->parsed()) return cca::cli::run_token_list(token);
  if (token_revoke->parsed()) return cca::cli::run_token_revoke(token);
  if (backup_cmd->parsed()) return cca::cli::run_backup(backup);
  if (restore_cmd->parsed()) return cca::cli::run_restore(restore);
  if (report_cmd->parsed()) return cca::cli::run_report(report);
  return 1;
}
