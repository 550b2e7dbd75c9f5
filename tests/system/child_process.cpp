#include "system/child_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cca::system_test {

std::string binary_path() {
  return CCANALYTICS_BINARY;
}

ChildProcess::ChildProcess(const std::vector<std::string>& args, const std::string& stdout_path,
                           const std::string& stderr_path, int niceness) {
  std::vector<std::string> argv_text = {binary_path()};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);

  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int out = open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || err < 0) _exit(126);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    const int in = open("/dev/null", O_RDONLY);
    if (in >= 0) dup2(in, STDIN_FILENO);
    errno = 0;
    if (niceness != 0 && nice(niceness) == -1 && errno != 0) _exit(125);
    execv(argv[0], argv.data());
    _exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (!reaped_) kill_now();
}

void ChildProcess::record(int status) {
  reaped_ = true;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool ChildProcess::running() {
  if (reaped_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) record(status);
  return !reaped_;
}

void ChildProcess::kill_now() {
  if (reaped_) return;
  ::kill(pid_, SIGKILL);
  wait();
}

int ChildProcess::stop(int signal) {
  if (!reaped_) ::kill(pid_, signal);
  return wait();
}

int ChildProcess::wait() {
  if (!reaped_) {
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    record(status);
  }
  return exit_code_;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int run_to_end(const std::vector<std::string>& args, const std::string& log_prefix) {
  ChildProcess child(args, log_prefix + ".out", log_prefix + ".err");
  const int code = child.wait();
  EXPECT_EQ(code, 0) << "ccanalytics " << args.front()
                     << " failed: " << read_text(log_prefix + ".err");
  return code;
}

}  // namespace cca::system_test
