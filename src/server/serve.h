#pragma once

#include <chrono>
#include <string>

namespace cca::server {

// Flags of `ccanalytics serve`.
struct ServeOptions {
  // The embedded store; with clickhouse_url, the store of tokens, budgets and the audit log only
  // (a private temporary one when empty).
  std::string db_path;
  // ClickHouse's HTTP URL (--clickhouse): the telemetry's store instead of db_path.
  std::string clickhouse_url;
  std::string host = "127.0.0.1";
  int port = 8080;
  // Request bodies above this many MiB answer 413 (--max-body-mb).
  int max_body_mb = 256;
  // Worker threads; each keep-alive connection holds one while it is open (--threads).
  int threads = 64;
  // OTLP exports ingested at once; one more is answered 503 / UNAVAILABLE, to be retried
  // (--otlp-max-in-flight). Ingests are serialised anyway: waiters would only hold threads.
  int otlp_max_in_flight = 4;
  // How often the store is polled for rows written by other processes (--poll-ms).
  int poll_ms = 1000;
  // OTLP/gRPC port on `host` (--otlp-grpc-port); 0 turns it off, -1 picks a free one (tests).
  int otlp_grpc_port = 4317;
  // A token for the ingest endpoints outside the store; when empty, CCANALYTICS_INGEST_TOKEN is
  // read. Tokens in the store (`ccanalytics token`) work beside it.
  std::string ingest_token;
  // Serve HTTPS (and OTLP/gRPC over TLS) with this PEM certificate chain and key (--tls-cert,
  // --tls-key); both empty for plaintext.
  std::string tls_cert_path;
  std::string tls_key_path;
  // Serve beyond loopback although no token guards the server (--insecure).
  bool insecure = false;
  // /metrics answers without a token even when the store holds tokens (--metrics-public), for
  // scrapers that cannot send one.
  bool metrics_public = false;
  // Wrong tokens one client address may send within a minute before it is refused for a minute
  // (--max-auth-failures); 0 turns the limit off (behind a proxy every client has its address).
  int max_auth_failures = 10;
  // One line per request on stderr (--access-log).
  bool access_log = false;
  // A custom attribute that gives the practice of events whose user the directory does not list,
  // before the resource's user.practice (--practice-attribute); empty for none.
  std::string practice_attribute;
  // Open GET /api/v1/stream connections at most (--max-streams); never more than half the
  // threads, so that streams cannot starve the API.
  int max_streams = 16;
  // Quiet streams send a comment this often, so that proxies and clients see them alive.
  int stream_keep_alive_ms = 15000;
  // Events, metric points and quarantined records older than this many days are deleted when
  // the server starts (before it loads the store) and then every retention_interval
  // (--retention-days); 0 keeps everything.
  int retention_days = 0;
  std::chrono::milliseconds retention_interval = std::chrono::hours(1);  // tests shorten it
  // A budget alert's webhook is retried after this many milliseconds, then twice as long each
  // time, up to ten minutes (--webhook-retry-ms).
  int webhook_retry_ms = 1000;
  // The engine's snapshot file (engine/snapshot_file.h): started from when it matches the store,
  // written in the background after a load that read many rows from the store and at a clean
  // shutdown. Empty for none (tests); the command line uses "<db>.snapshot" unless
  // --no-snapshot.
  std::string snapshot_path;
};

// Loads the store, serves the API and the dashboard, and blocks until SIGINT or SIGTERM; then
// stops accepting, finishes the requests in flight and returns the process exit code
// (0 after a clean shutdown, 1 when the store cannot be opened or the port cannot be bound).
int serve(const ServeOptions& options);

}  // namespace cca::server
