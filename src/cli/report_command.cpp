#include <httplib.h>

#include <cstdio>
#include <exception>
#include <fstream>

#include "cli/commands.h"
#include "common/clock.h"
#include "engine/engine.h"
#include "server/budgets.h"
#include "server/query_params.h"
#include "server/report.h"
#include "server/routes.h"
#include "store/database.h"

namespace cca::cli {

int run_report(const ReportCommandOptions& options) {
  try {
    // The period is read as the API reads from= and to=, so that both give the same report.
    httplib::Request request;
    if (!options.from.empty()) request.params.emplace("from", options.from);
    if (!options.to.empty()) request.params.emplace("to", options.to);
    const server::QueryParams params(request, server::route_spec(server::RouteId::kReport));

    engine::Engine engine(options.db_path);
    // Read-only, beside a server that may hold the store.
    store::Database db(options.db_path, store::Database::Access::kReadOnly);
    server::ReportRequest report;
    report.filter = params.filter();
    report.now_ms = now_ms();
    const std::shared_ptr<const engine::Analytics> analytics = engine.analytics();
    report.budgets_json = server::budgets_json(db, *analytics, report.now_ms);
    const server::Answer answer =
        server::build_report(*analytics, report, *server::parse_report_format(options.format));
    if (options.output.empty()) {
      std::fwrite(answer.body.data(), 1, answer.body.size(), stdout);
      return 0;
    }
    std::ofstream file(options.output, std::ios::binary | std::ios::trunc);
    file.write(answer.body.data(), static_cast<std::streamsize>(answer.body.size()));
    file.close();
    if (!file) throw std::runtime_error("cannot write " + options.output);
    std::fprintf(stderr, "report written to %s\n", options.output.c_str());
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "error: report failed: %s\n", error.what());
    return 1;
  }
}

}  // namespace cca::cli
