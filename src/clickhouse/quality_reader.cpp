#include "clickhouse/quality_reader.h"

#include <string>

#include "clickhouse/event_sql.h"
#include "clickhouse/sql_text.h"

namespace cca::clickhouse {
namespace {

// The ingest log with each id at its latest revision.
constexpr const char* kLatestIngests =
    "(SELECT id, argMax(source, revision) AS source, argMax(path, revision) AS path, "
    "argMax(size_bytes, revision) AS size_bytes, argMax(checksum, revision) AS checksum, "
    "argMax(started_ms, revision) AS started_ms, argMax(finished_ms, revision) AS finished_ms, "
    "argMax(status, revision) AS status, argMax(lines, revision) AS lines, "
    "argMax(accepted, revision) AS accepted, argMax(duplicates, revision) AS duplicates, "
    "argMax(rejected_events, revision) AS rejected_events, "
    "argMax(rejected_lines, revision) AS rejected_lines, "
    "argMax(employees, revision) AS employees, argMax(message, revision) AS message "
    "FROM ingests GROUP BY id)";

// ClickHouse keeps no nulls here: an empty text or a 0 is what the embedded store leaves unset.
std::optional<std::string> unless_empty(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}
std::optional<int64_t> unless_zero(int64_t number) {
  if (number == 0) return std::nullopt;
  return number;
}

}  // namespace

store::IngestTotals ClickHouseQualityReader::totals() {
  store::IngestTotals totals;
  for (const auto& row : rows_of(client_->query(
           "SELECT sum(accepted), sum(duplicates), sum(rejected_events), sum(rejected_lines) "
           "FROM " +
           std::string(kLatestIngests) + " WHERE source != " + quote(store::kOtlpMetricsSource))))
    totals = {std::stoull(row.at(0)), std::stoull(row.at(1)), std::stoull(row.at(2)),
              std::stoull(row.at(3))};
  return totals;
}

store::QualityReport ClickHouseQualityReader::report(size_t sample) {
  store::QualityReport report;
  report.totals = totals();

  // Ids are random: the newest is the latest started (the id breaks ties, as a stable order).
  for (const auto& row : rows_of(client_->query(
           "SELECT id, source, path, size_bytes, checksum, started_ms, finished_ms, status, lines, "
           "accepted, duplicates, rejected_events, rejected_lines, employees, message FROM " +
           std::string(kLatestIngests) + " ORDER BY started_ms DESC, id DESC LIMIT " +
           std::to_string(store::QualityReport::kMaxIngests)))) {
    store::IngestRecord& r = report.ingests.emplace_back();
    r.id = std::stoll(row.at(0));
    r.source = row.at(1);
    r.path = unless_empty(row.at(2));
    r.size_bytes = std::stoll(row.at(3));
    r.checksum = unless_empty(row.at(4));
    r.started_ms = unless_zero(std::stoll(row.at(5)));
    r.finished_ms = unless_zero(std::stoll(row.at(6)));
    r.status = row.at(7);
    r.counts = {std::stoull(row.at(8)),  std::stoull(row.at(9)),  std::stoull(row.at(10)),
                std::stoull(row.at(11)), std::stoull(row.at(12)), std::stoull(row.at(13))};
    r.message = unless_empty(row.at(14));
  }

  // The reason is part of a record's key, so distinct keys per reason count each record once.
  for (const auto& row :
       rows_of(client_->query("SELECT kind, reason, uniqExact(key_hi, key_lo) AS n FROM quarantine "
                              "GROUP BY kind, reason ORDER BY n DESC, kind, reason")))
    report.rejected_by_reason.push_back({row.at(0), row.at(1), std::stoull(row.at(2))});

  // Each record as first received (the embedded store keeps the first copy); its id is its key's
  // first 53 bits, which JavaScript reads exactly.
  for (const auto& row : rows_of(client_->query(
           "SELECT bitAnd(key_hi, 9007199254740991), argMin(source, received_ms), "
           "argMin(line, received_ms), argMin(kind, received_ms), argMin(reason, received_ms), "
           "argMin(field, received_ms), argMin(detail, received_ms), argMin(raw, received_ms), "
           "min(received_ms) AS received FROM quarantine GROUP BY key_hi, key_lo "
           "ORDER BY received DESC, key_hi, key_lo LIMIT " +
           std::to_string(sample)))) {
    store::QuarantineRecord& q = report.quarantine_sample.emplace_back();
    q.id = std::stoll(row.at(0));
    q.source = row.at(1);
    q.line = unless_zero(std::stoll(row.at(2)));
    q.kind = row.at(3);
    q.reason = row.at(4);
    q.field = unless_empty(row.at(5));
    q.detail = row.at(6);
    q.raw = row.at(7);
    q.received_ms = std::stoll(row.at(8));
  }
  return report;
}

uint64_t ClickHouseQualityReader::size_on_disk_bytes() {
  const auto rows = rows_of(
      client_->query("SELECT sum(bytes_on_disk) FROM system.parts WHERE active AND database = " +
                     quote(client_->database())));
  return rows.empty() ? 0 : std::stoull(rows.front().at(0));
}

}  // namespace cca::clickhouse
