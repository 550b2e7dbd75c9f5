#include "store/quality_report.h"

#include <filesystem>

namespace cca::store {
namespace {

uint64_t file_size_or_zero(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : static_cast<uint64_t>(size);
}

}  // namespace

SqliteQualityReader::SqliteQualityReader(const std::string& db_path)
    : db_path_(db_path), db_(db_path, Database::Access::kReadEvenIfReadOnly) {}

IngestTotals SqliteQualityReader::totals_locked() {
  Statement s(db_,
              "SELECT total(accepted), total(duplicates), total(rejected_events), "
              "total(rejected_lines) FROM ingests WHERE source <> ?1");
  s.bind_text(1, kOtlpMetricsSource);
  IngestTotals totals;
  if (s.step())
    totals = {static_cast<uint64_t>(s.column_double(0)), static_cast<uint64_t>(s.column_double(1)),
              static_cast<uint64_t>(s.column_double(2)), static_cast<uint64_t>(s.column_double(3))};
  return totals;
}

IngestTotals SqliteQualityReader::totals() {
  std::lock_guard lock(mutex_);
  return totals_locked();
}

QualityReport SqliteQualityReader::report(size_t sample) {
  std::lock_guard lock(mutex_);
  QualityReport report;
  report.totals = totals_locked();

  Statement ingests(db_,
                    "SELECT id, source, path, size_bytes, checksum, started_ms, finished_ms, "
                    "status, lines, accepted, duplicates, rejected_events, rejected_lines, "
                    "employees, message FROM ingests ORDER BY id DESC LIMIT ?1");
  ingests.bind_int(1, static_cast<int64_t>(QualityReport::kMaxIngests));
  while (ingests.step()) {
    IngestRecord& r = report.ingests.emplace_back();
    r.id = ingests.column_int(0);
    r.source = ingests.column_optional_text(1).value_or("");
    r.path = ingests.column_optional_text(2);
    r.size_bytes = ingests.column_optional_int(3);
    r.checksum = ingests.column_optional_text(4);
    r.started_ms = ingests.column_optional_int(5);
    r.finished_ms = ingests.column_optional_int(6);
    r.status = ingests.column_optional_text(7).value_or("");
    uint64_t* counts[] = {&r.counts.lines,           &r.counts.accepted,       &r.counts.duplicates,
                          &r.counts.rejected_events, &r.counts.rejected_lines, &r.counts.employees};
    for (int i = 0; i < 6; ++i) *counts[i] = static_cast<uint64_t>(ingests.column_int(8 + i));
    r.message = ingests.column_optional_text(14);
  }

  Statement reasons(db_,
                    "SELECT kind, reason, count(*) FROM quarantine GROUP BY kind, reason "
                    "ORDER BY count(*) DESC, kind, reason");
  while (reasons.step())
    report.rejected_by_reason.push_back({std::string(reasons.column_text(0)),
                                         std::string(reasons.column_text(1)),
                                         static_cast<uint64_t>(reasons.column_int(2))});

  Statement quarantined(db_,
                        "SELECT id, source, line, kind, reason, field, detail, raw, received_ms "
                        "FROM quarantine ORDER BY id DESC LIMIT ?1");
  quarantined.bind_int(1, static_cast<int64_t>(sample));
  while (quarantined.step()) {
    QuarantineRecord& q = report.quarantine_sample.emplace_back();
    q.id = quarantined.column_int(0);
    q.source = quarantined.column_text(1);
    q.line = quarantined.column_optional_int(2);
    q.kind = quarantined.column_text(3);
    q.reason = quarantined.column_text(4);
    q.field = quarantined.column_optional_text(5);
    q.detail = quarantined.column_text(6);
    q.raw = quarantined.column_text(7);
    q.received_ms = quarantined.column_int(8);
  }
  return report;
}

uint64_t SqliteQualityReader::size_on_disk_bytes() {
  return file_size_or_zero(db_path_) + file_size_or_zero(db_path_ + "-wal");
}

}  // namespace cca::store
