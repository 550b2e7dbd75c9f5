#include <exception>
#include <iostream>

#include "cli/commands.h"
#include "replay/replayer.h"

namespace cca::cli {

int run_replay(ReplayCommandOptions options) {
  try {
    options.replay.protocol = replay::parse_protocol(options.protocol);
    if (options.as_fast_as_possible) options.replay.speed = 0;
    if (options.replay.telemetry_files.empty() && options.replay.metrics_files.empty())
      throw std::invalid_argument("nothing to replay: give --telemetry or --metrics");
    const replay::ReplayReport report = replay::replay(options.replay);
    std::cout << report.to_json() << "\n";
    return report.failures == 0 ? 0 : 1;
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    return 1;
  }
}

}  // namespace cca::cli
