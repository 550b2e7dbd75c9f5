#include "system/server_process.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <thread>

namespace cca::system_test {

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) close(fd);
    throw std::runtime_error("no free loopback port");
  }
  close(fd);
  return ntohs(address.sin_port);
}

ServerProcess::ServerProcess(const std::string& db_path, const std::string& log_prefix,
                             const std::vector<std::string>& extra_args)
    : log_prefix_(log_prefix) {
  grpc_port_ = free_port();
  std::vector<std::string> args = {"serve",
                                   "--db",
                                   db_path,
                                   "--host",
                                   "127.0.0.1",
                                   "--port",
                                   "0",
                                   "--poll-ms",
                                   "100",
                                   "--otlp-grpc-port",
                                   std::to_string(grpc_port_)};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<ChildProcess>(args, log_prefix + ".out", log_prefix + ".err");

  // serve prints its port once the store is loaded and the port bound.
  const std::regex serving(R"(serving http://[^:]+:(\d+))");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch match;
    const std::string out = read_text(log_prefix + ".out");
    if (std::regex_search(out, match, serving)) {
      port_ = std::stoi(match[1]);
      return;
    }
    if (!process_->running())
      throw std::runtime_error("ccanalytics serve exited at start with code " +
                               std::to_string(process_->wait()) + ": " + stderr_text() +
                               read_text(log_prefix + ".out"));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("ccanalytics serve did not start within 3 minutes");
}

std::unique_ptr<httplib::Client> ServerProcess::client() const {
  auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
  client->set_keep_alive(true);
  client->set_read_timeout(60, 0);
  client->set_write_timeout(60, 0);
  client->set_connection_timeout(10, 0);
  return client;
}

nlohmann::json ServerProcess::health() const {
  const auto answer = client()->Get("/health");
  if (!answer || answer->status != 200)
    throw std::runtime_error("GET /health failed: " +
                             (answer ? std::to_string(answer->status) : to_string(answer.error())));
  return nlohmann::json::parse(answer->body);
}

void ServerProcess::wait_until_visible() const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (health().value("refresh_pending", true)) {
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("answered OTLP exports are not visible after 60 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

uint64_t ServerProcess::rss_kib() const {
  std::ifstream status("/proc/" + std::to_string(process_->pid()) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6));
  return 0;
}

}  // namespace cca::system_test
