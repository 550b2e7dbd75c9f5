#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "clickhouse/clickhouse_ingestor.h"
#include "common/time_util.h"
#include "ingest/ingestor.h"
#include "store/database.h"
#include "store/retention_schedule.h"

namespace cca::cli {
namespace {

std::string with_thousands(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return grouped;
}

// A one-line progress bar on stderr, redrawn in place; only when stderr is a terminal.
class ProgressBar {
 public:
  explicit ProgressBar(std::string label)
      : label_(std::move(label)), enabled_(::isatty(STDERR_FILENO)), started_(clock::now()) {}

  void update(const ingest::Progress& p) {
    if (!enabled_) return;
    const double seconds = std::chrono::duration<double>(clock::now() - started_).count();
    const double mb_per_s = seconds > 0 ? p.bytes_read / 1e6 / seconds : 0;
    if (p.bytes_total > 0) {
      const double fraction = std::min(1.0, static_cast<double>(p.bytes_read) / p.bytes_total);
      const int filled = static_cast<int>(fraction * 30);
      std::fprintf(stderr, "\r%s [%s%s] %5.1f%%  %s events  %.0f MB/s ", label_.c_str(),
                   std::string(filled, '#').c_str(), std::string(30 - filled, '.').c_str(),
                   fraction * 100, with_thousands(p.events).c_str(), mb_per_s);
    } else {
      std::fprintf(stderr, "\r%s  %.0f MB  %s events  %.0f MB/s ", label_.c_str(),
                   p.bytes_read / 1e6, with_thousands(p.events).c_str(), mb_per_s);
    }
    std::fflush(stderr);
    drawn_ = true;
  }

  ~ProgressBar() {
    if (drawn_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  using clock = std::chrono::steady_clock;
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  clock::time_point started_;
};

void print_report(const std::string& path, const ingest::IngestReport& r) {
  const double mb_per_s = r.seconds > 0 ? r.bytes / 1e6 / r.seconds : 0;
  std::printf("%s\n  accepted   %s events\n  duplicates %s\n  rejected   %s events, %s lines\n"
              "  read       %s lines, %.1f MB in %.2f s (%.0f MB/s, %.0f events/s)\n",
              path.c_str(), with_thousands(r.accepted).c_str(),
              with_thousands(r.duplicates).c_str(), with_thousands(r.rejected_events).c_str(),
              with_thousands(r.rejected_lines).c_str(), with_thousands(r.lines).c_str(),
              r.bytes / 1e6, r.seconds, mb_per_s,
              r.seconds > 0 ? (r.accepted + r.duplicates) / r.seconds : 0.0);
  for (const auto& [reason, count] : r.rejected_by_reason)
    std::printf("    %-22s %s\n", reason.c_str(), with_thousands(count).c_str());
  std::fflush(stdout);
}

// The store the options name: the embedded one (--db) or ClickHouse (--clickhouse).
std::unique_ptr<ingest::IngestTarget> open_store(const IngestCommandOptions& options) {
  if (options.db_path.empty() == options.clickhouse_url.empty())
    throw std::invalid_argument("give the store: --db PATH or --clickhouse URL");
  if (!options.clickhouse_url.empty()) {
    if (options.retention_days > 0)
      throw std::invalid_argument(
          "--retention-days applies to the embedded store; a ClickHouse store drops old days "
          "with ALTER TABLE events DROP PARTITION (docs/operations.md)");
    return std::make_unique<clickhouse::ClickHouseIngestor>(
        clickhouse::ClickHouseUrl::parse(options.clickhouse_url));
  }
  return std::make_unique<ingest::Ingestor>(options.db_path);
}

// Errors that stop the ingest: the rest is not attempted.
bool is_store_failure(const std::exception& error) {
  return dynamic_cast<const store::StoreError*>(&error) ||
         dynamic_cast<const clickhouse::ClickHouseError*>(&error);
}

}  // namespace

int run_ingest(const IngestCommandOptions& options) {
  std::unique_ptr<ingest::IngestTarget> ingestor;
  try {
    ingestor = open_store(options);
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    if (options.json)
      std::cout << nlohmann::json{{"ok", false}, {"error", error.what()}}.dump() << std::endl;
    return 2;
  }

  int exit_code = 0;
  std::string store_failure;  // the store could not be written: the rest is not attempted
  const auto failed = [&](const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    if (is_store_failure(error)) {
      store_failure = error.what();
      exit_code = 2;
    } else if (exit_code == 0) {
      exit_code = 1;
    }
  };
  ingest::IngestReport total;
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  size_t employees = 0;
  bool employees_loaded = false;

  if (!options.employees_file.empty()) {
    try {
      employees = ingestor->load_employees_file(options.employees_file);
      employees_loaded = true;
      if (!options.json)
        std::cout << options.employees_file << ": " << employees << " employees loaded\n";
    } catch (const std::exception& error) {
      failed(error);
    }
  }

  for (const std::string& path : options.telemetry_files) {
    if (!store_failure.empty()) break;
    try {
      ingest::IngestReport report;
      {
        ProgressBar bar(path);
        report = ingestor->ingest_file(path, [&bar](const ingest::Progress& p) { bar.update(p); });
      }
      if (!options.json) print_report(path, report);
      nlohmann::ordered_json file = nlohmann::ordered_json::parse(report.to_json());
      file["path"] = path;
      files.push_back(std::move(file));
      total.merge(report);
    } catch (const std::exception& error) {
      failed(error);
    }
  }

  nlohmann::ordered_json metrics_files = nlohmann::ordered_json::array();
  for (const std::string& path : options.metrics_files) {
    if (!store_failure.empty()) break;
    try {
      const ingest::IngestReport report = ingestor->ingest_metrics_file(path);
      if (!options.json)
        std::cout << path << ": " << report.accepted << " metric data points stored, "
                  << report.duplicates << " duplicates, " << report.rejected_events
                  << " rejected\n";
      nlohmann::ordered_json file = nlohmann::ordered_json::parse(report.to_json());
      file["path"] = path;
      metrics_files.push_back(std::move(file));
    } catch (const std::exception& error) {
      failed(error);
    }
  }
  if (!store_failure.empty()) std::cerr << "error: stopped, the store cannot be written\n";

  nlohmann::ordered_json retention;
  if (options.retention_days > 0 && store_failure.empty()) {
    try {
      const store::RetentionReport report =
          store::RetentionSchedule::run_once(options.db_path, options.retention_days);
      if (!options.json) std::cout << report.summary() << "\n";
      retention = {{"cutoff", format_rfc3339_s(report.cutoff_ms)},
                   {"events", report.events},
                   {"metric_points", report.metric_points},
                   {"metric_series", report.metric_series},
                   {"quarantined", report.quarantined},
                   {"seconds", report.seconds}};
    } catch (const std::exception& error) {
      failed(error);
    }
  }

  if (options.json) {
    nlohmann::ordered_json json = nlohmann::ordered_json::parse(total.to_json());
    json.erase("ingest_id");
    if (employees_loaded) json["employees"] = employees;
    json["files"] = std::move(files);
    if (!options.metrics_files.empty()) json["metrics_files"] = std::move(metrics_files);
    if (!retention.is_null()) json["retention"] = std::move(retention);
    if (!store_failure.empty()) json["error"] = store_failure;
    json["ok"] = exit_code == 0;
    std::cout << json.dump() << std::endl;
  } else if (options.telemetry_files.size() > 1) {
    print_report("total", total);
  }
  return exit_code;
}

}  // namespace cca::cli
