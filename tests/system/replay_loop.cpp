#include "system/replay_loop.h"

#include <signal.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "system/child_process.h"

namespace cca::system_test {

ReplayLoop::ReplayLoop(const ServerProcess& server, std::string telemetry, std::string scratch,
                       int slots, int exporters)
    : server_(server),
      telemetry_(std::move(telemetry)),
      scratch_(std::move(scratch)),
      exporters_(exporters) {
  running_.assign(static_cast<size_t>(slots), nullptr);
  for (int slot = 0; slot < slots; ++slot) threads_.emplace_back([this, slot] { run_slot(slot); });
}

ReplayLoop::~ReplayLoop() {
  stopping_.store(true);
  {
    std::lock_guard lock(mutex_);
    for (ChildProcess* run : running_)
      if (run) ::kill(run->pid(), SIGKILL);
  }
  stop();
}

void ReplayLoop::stop() {
  stopping_.store(true);
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
}

ReplayLoop::Totals ReplayLoop::totals() const {
  std::lock_guard lock(mutex_);
  return totals_;
}

void ReplayLoop::run_slot(int slot) {
  static const char* kProtocols[] = {"http/protobuf", "grpc", "http/json"};
  for (uint64_t run = 0; !stopping_.load(); ++run) {
    const std::string protocol = kProtocols[(slot + run) % 3];
    const std::string endpoint =
        protocol == "grpc" ? server_.grpc_endpoint() : server_.http_endpoint();
    const std::string log = scratch_ + "/replay-" + std::to_string(slot);
    // Niced: the exporters stand in for a fleet's own machines, not the server's.
    ChildProcess replay(
        {"replay", "--telemetry", telemetry_, "--endpoint", endpoint, "--protocol", protocol,
         "--exporters", std::to_string(exporters_), "--batch", "200", "--as-fast-as-possible"},
        log + ".out", log + ".err", 10);
    {
      std::lock_guard lock(mutex_);
      running_[static_cast<size_t>(slot)] = &replay;
    }
    const int code = replay.wait();
    std::lock_guard lock(mutex_);
    running_[static_cast<size_t>(slot)] = nullptr;
    ++totals_.runs;
    if (run == 0) ++totals_.first_pass_done;
    std::istringstream out(read_text(log + ".out"));
    std::string line, last;
    while (std::getline(out, line))
      if (!line.empty()) last = line;
    try {
      const nlohmann::json report = nlohmann::json::parse(last);
      totals_.requests += report.at("requests").get<uint64_t>();
      totals_.retries += report.at("retries").get<uint64_t>();
      totals_.records += report.at("records_sent").get<uint64_t>();
      totals_.failures += report.at("failures").get<uint64_t>();
    } catch (const std::exception& error) {
      totals_.errors.push_back("replay " + protocol + ": no report (" + error.what() + ")");
    }
    if (code != 0)
      totals_.errors.push_back("replay " + protocol + " exited " + std::to_string(code) + ": " +
                               read_text(log + ".err").substr(0, 500));
  }
}

}  // namespace cca::system_test
