#include "server/serve.h"

#include <malloc.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <exception>
#include <thread>

#include "server/server.h"

namespace cca::server {
namespace {

// Blocks SIGINT and SIGTERM in the calling thread and every thread it starts afterwards, so that
// they reach only the thread that waits for them.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace

int serve(const ServeOptions& options) {
  // Two malloc arenas rather than eight per core: the worker threads' short-lived answers would
  // otherwise keep pages in arenas of their own (about 10 MB at 10 M events).
  mallopt(M_ARENA_MAX, 2);
  const sigset_t signals = block_stop_signals();
  Server server(options);
  int port = 0;
  try {
    port = server.bind();
    server.load();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "ccanalytics serve: %s\n", error.what());
    return 1;
  }

  std::atomic<bool> served{false};
  std::thread signal_waiter([&] {
    const timespec tick{0, 200'000'000};
    while (!served.load()) {
      if (sigtimedwait(&signals, nullptr, &tick) > 0) {
        server.stop();
        return;
      }
    }
  });
  std::printf("ccanalytics: %llu events %s; serving http://%s:%d\n",
              static_cast<unsigned long long>(server.source().events()),
              options.clickhouse_url.empty() ? "loaded" : "in ClickHouse", options.host.c_str(),
              port);
  if (server.otlp_grpc_port() != 0)
    std::printf("ccanalytics: OTLP/gRPC on %s:%d\n", options.host.c_str(), server.otlp_grpc_port());
  std::fflush(stdout);
  server.run();
  served.store(true);
  signal_waiter.join();
  server.write_snapshot_at_shutdown();
  return 0;
}

}  // namespace cca::server
