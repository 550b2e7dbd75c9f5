#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace cca::system_test {

// The ccanalytics binary under test.
std::string binary_path();

// A child process running the ccanalytics binary, its stdout and stderr in files. The destructor
// kills and reaps it if it still runs, so a failing test leaves nothing behind.
class ChildProcess {
 public:
  // `niceness` lowers its priority (load generators standing in for other machines).
  ChildProcess(const std::vector<std::string>& args, const std::string& stdout_path,
               const std::string& stderr_path, int niceness = 0);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Whether it has not exited yet (reaps it when it has).
  bool running();
  // SIGKILL, then reaps it: nothing of it runs when this returns.
  void kill_now();
  // Sends `signal` and waits; returns the exit code (128 + signal when a signal ended it).
  int stop(int signal);
  // Waits for it to end by itself; returns the exit code (128 + signal when a signal ended it).
  int wait();

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int exit_code_ = 0;
  void record(int status);
};

// Runs the binary to its end; returns its exit code, failing the calling test with its stderr
// when it is not 0.
int run_to_end(const std::vector<std::string>& args, const std::string& log_prefix);

std::string read_text(const std::string& path);

}  // namespace cca::system_test
