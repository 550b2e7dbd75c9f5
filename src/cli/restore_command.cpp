#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "store/file_system.h"
#include "store/restore.h"

namespace cca::cli {

int run_restore(const RestoreCommandOptions& options) {
  try {
    const store::RestoreReport report =
        store::restore_store(options.backup_path, options.db_path, options.force);
    const store::StoreContents& c = report.contents;
    std::printf(
        "restored %s into %s%s: %llu events, %llu metric points, %llu quarantined records, "
        "%llu ingests; schema version %lld, %s, in %.2f s. Start the server on it: "
        "`ccanalytics serve --db %s`\n",
        options.backup_path.c_str(), report.path.c_str(),
        report.replaced ? " (the store there was replaced)" : "",
        static_cast<unsigned long long>(c.events), static_cast<unsigned long long>(c.metric_points),
        static_cast<unsigned long long>(c.quarantined), static_cast<unsigned long long>(c.ingests),
        static_cast<long long>(c.schema_version), store::human_bytes(c.bytes).c_str(),
        report.seconds, report.path.c_str());
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "error: restore refused: %s\n(%s is unchanged)\n", error.what(),
                 options.db_path.c_str());
    return 1;
  }
}

}  // namespace cca::cli
