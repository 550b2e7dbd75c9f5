#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "support/test_support.h"

namespace cca::system_test {

struct ProcessOptions {
  std::vector<std::pair<std::string, std::string>> environment;  // added to this process's
  bool as_nobody = false;  // run as the unprivileged user 65534 (the caller must be root)
};

// The ccanalytics binary run as a child process, its stdout and stderr kept in files. Killed
// (SIGKILL) when destroyed still running.
class Process {
 public:
  explicit Process(const std::vector<std::string>& arguments, const ProcessOptions& options = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  bool running();
  void signal(int number);
  // The exit code, -1 when a signal ended it. Throws std::runtime_error after `timeout`.
  int wait(std::chrono::seconds timeout = std::chrono::seconds(300));
  std::string out() const;
  std::string err() const;

 private:
  test::TempDir files_;
  pid_t pid_ = -1;
  int status_ = -1;
};

// Runs the binary to its end.
struct Finished {
  int exit_code;
  std::string out, err;
};
Finished run(const std::vector<std::string>& arguments, const ProcessOptions& options = {});

// `ccanalytics serve` on 127.0.0.1 and a port of its choosing (read from what it prints),
// gRPC off; stopped with SIGTERM when destroyed.
class ServeProcess {
 public:
  explicit ServeProcess(const std::string& db_path, std::vector<std::string> extra = {},
                        const ProcessOptions& options = {});
  ~ServeProcess();

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  Process& process() { return process_; }
  // SIGTERM and the exit code.
  int stop();

 private:
  Process process_;
  int port_ = 0;
};

}  // namespace cca::system_test
