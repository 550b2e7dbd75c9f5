#include "system/process.h"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace cca::system_test {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace

Process::Process(const std::vector<std::string>& arguments, const ProcessOptions& options) {
  const std::string out = files_.file("stdout"), err = files_.file("stderr");
  if (options.as_nobody) std::filesystem::permissions(files_.path(), std::filesystem::perms::all);
  std::vector<std::string> argv_text = {CCANALYTICS_BINARY};
  argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& argument : argv_text) argv.push_back(argument.data());
  argv.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out_fd < 0 || err_fd < 0) ::_exit(125);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    for (const auto& [name, value] : options.environment) ::setenv(name.c_str(), value.c_str(), 1);
    if (options.as_nobody &&
        (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0))
      ::_exit(126);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
}

Process::~Process() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
  }
}

bool Process::running() {
  if (pid_ < 0) return false;
  int status = 0;
  const pid_t done = ::waitpid(pid_, &status, WNOHANG);
  if (done == 0) return true;
  if (done == pid_) status_ = status;
  pid_ = -1;
  return false;
}

void Process::signal(int number) {
  if (pid_ > 0) ::kill(pid_, number);
}

int Process::wait(std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      throw std::runtime_error("a ccanalytics process ran longer than " +
                               std::to_string(timeout.count()) + " s; stderr: " + err());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
}

std::string Process::out() const {
  return read_text(files_.file("stdout"));
}
std::string Process::err() const {
  return read_text(files_.file("stderr"));
}

Finished run(const std::vector<std::string>& arguments, const ProcessOptions& options) {
  Process process(arguments, options);
  const int code = process.wait();
  return {code, process.out(), process.err()};
}

ServeProcess::ServeProcess(const std::string& db_path, std::vector<std::string> extra,
                           const ProcessOptions& options)
    : process_(
          [&] {
            std::vector<std::string> arguments = {
                "serve",     "--db",      db_path, "--host",
                "127.0.0.1", "--port",    "0",     "--otlp-grpc-port",
                "0",         "--poll-ms", "100"};
            arguments.insert(arguments.end(), extra.begin(), extra.end());
            return arguments;
          }(),
          options) {
  constexpr std::string_view kServing = "serving http://127.0.0.1:";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (port_ == 0) {
    const std::string out = process_.out();
    if (const size_t at = out.find(kServing); at != std::string::npos)
      port_ = std::atoi(out.c_str() + at + kServing.size());
    if (port_ != 0) break;
    if (!process_.running())
      throw std::runtime_error("serve exited before serving; stderr: " + process_.err());
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("serve did not start within 120 s; stderr: " + process_.err());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

ServeProcess::~ServeProcess() {
  stop();
}

int ServeProcess::stop() {
  if (!process_.running()) return process_.wait();
  process_.signal(SIGTERM);
  return process_.wait(std::chrono::seconds(60));
}

}  // namespace cca::system_test
