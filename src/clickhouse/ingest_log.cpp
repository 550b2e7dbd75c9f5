#include "clickhouse/ingest_log.h"

#include <random>

#include "clickhouse/sql_text.h"
#include "common/clock.h"

namespace cca::clickhouse {

uint64_t IngestLog::new_id() {
  thread_local std::mt19937_64 random(std::random_device{}());
  // 53 bits: positive as the int64 the reports carry, and exact as a JavaScript number.
  return random() >> 11;
}

IngestLogRow IngestLog::begin(std::string_view source, std::string_view path, int64_t size_bytes) {
  IngestLogRow row;
  row.id = new_id();
  row.source = source;
  row.path = path;
  row.size_bytes = size_bytes;
  row.started_ms = system_time_ms();
  row.status = "running";
  row.counts.ingest_id = static_cast<int64_t>(row.id);
  write(row);
  return row;
}

void IngestLog::complete(IngestLogRow& row, const ingest::IngestReport& counts,
                         std::string_view checksum) {
  row.counts = counts;
  row.checksum = checksum;
  row.status = "complete";
  row.finished_ms = system_time_ms();
  write(row);
}

void IngestLog::fail(IngestLogRow& row, std::string_view message) {
  row.status = "failed";
  row.message = message;
  row.finished_ms = system_time_ms();
  write(row);
}

void IngestLog::write(IngestLogRow& row) {
  ++row.revision;
  const ingest::IngestReport& c = row.counts;
  std::string line = std::to_string(row.id) + '\t' + std::to_string(row.revision) + '\t';
  for (const std::string* text : {&row.source, &row.path}) {
    append_tsv_field(line, *text);
    line += '\t';
  }
  line += std::to_string(row.size_bytes) + '\t';
  append_tsv_field(line, row.checksum);
  line += '\t' + std::to_string(row.started_ms) + '\t' + std::to_string(row.finished_ms) + '\t';
  append_tsv_field(line, row.status);
  line += '\t';
  for (const uint64_t n :
       {c.lines, c.accepted, c.duplicates, c.rejected_events, c.rejected_lines, c.employees})
    line += std::to_string(n) + '\t';
  append_tsv_field(line, row.message);
  line += '\n';
  client_.insert("INSERT INTO ingests FORMAT TabSeparated", line);
}

}  // namespace cca::clickhouse
