#pragma once

#include <httplib.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "system/child_process.h"

namespace cca::system_test {

// `ccanalytics serve` as a process of its own on a store: loopback, free ports for HTTP and
// OTLP/gRPC, a quick store poll. The constructor returns once the server serves.
class ServerProcess {
 public:
  ServerProcess(const std::string& db_path, const std::string& log_prefix,
                const std::vector<std::string>& extra_args = {});

  int port() const { return port_; }
  int grpc_port() const { return grpc_port_; }
  pid_t pid() const { return process_->pid(); }
  std::string http_endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string grpc_endpoint() const { return "127.0.0.1:" + std::to_string(grpc_port_); }
  // A fresh keep-alive client (clients are not thread-safe: one per thread).
  std::unique_ptr<httplib::Client> client() const;

  bool running() { return process_->running(); }
  // kill -9: the process is gone, with whatever it had not committed, when this returns.
  void kill_now() { process_->kill_now(); }
  // SIGTERM, as an operator stops it; returns the exit code.
  int stop() { return process_->stop(SIGTERM); }

  nlohmann::json health() const;
  // Waits until every answered OTLP export is visible to queries (/health refresh_pending).
  void wait_until_visible() const;
  // VmRSS of the process in KiB, from /proc/<pid>/status; 0 when it is gone.
  uint64_t rss_kib() const;
  std::string stderr_text() const { return read_text(log_prefix_ + ".err"); }

 private:
  std::string log_prefix_;
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
  int grpc_port_ = 0;
};

// A TCP port on 127.0.0.1 that nothing listens on now.
int free_port();

}  // namespace cca::system_test
