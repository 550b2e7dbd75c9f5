#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "store/backup.h"
#include "store/file_system.h"

namespace cca::cli {

int run_backup(const BackupCommandOptions& options) {
  try {
    const store::BackupReport report = store::backup_store(options.db_path, options.destination);
    const store::StoreContents& c = report.contents;
    std::printf(
        "backup of %s written to %s: %llu events, %llu metric points, %llu quarantined records, "
        "%llu ingests; schema version %lld, %s, integrity ok, in %.2f s\n",
        options.db_path.c_str(), report.path.c_str(), static_cast<unsigned long long>(c.events),
        static_cast<unsigned long long>(c.metric_points),
        static_cast<unsigned long long>(c.quarantined), static_cast<unsigned long long>(c.ingests),
        static_cast<long long>(c.schema_version), store::human_bytes(c.bytes).c_str(),
        report.seconds);
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "error: backup failed: %s\n", error.what());
    return 1;
  }
}

}  // namespace cca::cli
