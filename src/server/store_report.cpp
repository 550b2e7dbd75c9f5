#include "server/store_report.h"

#include <cstdio>
#include <filesystem>

#include "common/time_util.h"
#include "server/json_writer.h"
#include "store/ingest_log.h"

namespace cca::server {
namespace {

// Nullable text column as a JSON string or null.
void text_or_null(JsonWriter& json, const store::Statement& s, int column) {
  if (s.column_is_null(column)) {
    json.null();
  } else {
    json.value(s.column_text(column));
  }
}

void time_or_null(JsonWriter& json, const store::Statement& s, int column) {
  if (s.column_is_null(column)) {
    json.null();
  } else {
    json.value(format_rfc3339_ms(s.column_int(column)));
  }
}

uint64_t file_size_or_zero(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : static_cast<uint64_t>(size);
}

}  // namespace

StoreReport::StoreReport(const std::string& db_path)
    : db_path_(db_path), db_(db_path, store::Database::Access::kReadEvenIfReadOnly) {}

std::string StoreReport::quality_json(size_t sample) {
  std::lock_guard lock(mutex_);
  JsonWriter json;
  json.begin_object();

  store::Statement totals(db_,
                          "SELECT total(accepted), total(duplicates), total(rejected_events), "
                          "total(rejected_lines) FROM ingests WHERE source <> ?1");
  totals.bind_text(1, store::kOtlpMetricsSource);  // data points are not events
  totals.step();
  json.key("totals").begin_object();
  const char* names[] = {"accepted", "duplicates", "rejected_events", "rejected_lines"};
  for (int i = 0; i < 4; ++i)
    json.key(names[i]).value(static_cast<uint64_t>(totals.column_double(i)));
  json.end_object();
  totals.reset();

  store::Statement ingests(
      db_,
      "SELECT id, source, path, size_bytes, checksum, started_ms, finished_ms, "
      "status, lines, accepted, duplicates, rejected_events, rejected_lines, "
      "employees, message FROM ingests ORDER BY id DESC LIMIT 1000");
  json.key("ingests").begin_array();
  while (ingests.step()) {
    json.begin_object();
    json.key("id").value(ingests.column_int(0));
    json.key("source");
    text_or_null(json, ingests, 1);
    json.key("path");
    text_or_null(json, ingests, 2);
    json.key("size_bytes");
    if (ingests.column_is_null(3)) {
      json.null();
    } else {
      json.value(ingests.column_int(3));
    }
    json.key("checksum");
    text_or_null(json, ingests, 4);
    json.key("started");
    time_or_null(json, ingests, 5);
    json.key("finished");
    time_or_null(json, ingests, 6);
    json.key("status");
    text_or_null(json, ingests, 7);
    const char* counts[] = {"lines",           "accepted",       "duplicates",
                            "rejected_events", "rejected_lines", "employees"};
    for (int i = 0; i < 6; ++i) json.key(counts[i]).value(ingests.column_int(8 + i));
    json.key("message");
    text_or_null(json, ingests, 14);
    json.end_object();
  }
  json.end_array();

  store::Statement reasons(db_,
                           "SELECT kind, reason, count(*) FROM quarantine GROUP BY kind, reason "
                           "ORDER BY count(*) DESC, kind, reason");
  json.key("rejected_by_reason").begin_array();
  while (reasons.step()) {
    json.begin_object();
    json.key("kind").value(reasons.column_text(0));
    json.key("reason").value(reasons.column_text(1));
    json.key("count").value(reasons.column_int(2));
    json.end_object();
  }
  json.end_array();

  store::Statement quarantined(db_,
                               "SELECT id, source, line, kind, reason, field, detail, raw, "
                               "received_ms FROM quarantine ORDER BY id DESC LIMIT ?1");
  quarantined.bind_int(1, static_cast<int64_t>(sample));
  json.key("quarantine_sample").begin_array();
  while (quarantined.step()) {
    json.begin_object();
    json.key("id").value(quarantined.column_int(0));
    json.key("source").value(quarantined.column_text(1));
    json.key("line");
    if (quarantined.column_is_null(2)) {
      json.null();
    } else {
      json.value(quarantined.column_int(2));
    }
    json.key("kind").value(quarantined.column_text(3));
    json.key("reason").value(quarantined.column_text(4));
    json.key("field");
    text_or_null(json, quarantined, 5);
    json.key("detail").value(quarantined.column_text(6));
    json.key("raw").value(quarantined.column_text(7));
    json.key("received").value(format_rfc3339_ms(quarantined.column_int(8)));
    json.end_object();
  }
  json.end_array();
  json.end_object();
  return json.take();
}

void StoreReport::render_metrics(std::string& out) {
  double totals[4] = {0, 0, 0, 0};
  {
    std::lock_guard lock(mutex_);
    store::Statement s(db_,
                       "SELECT total(accepted), total(duplicates), total(rejected_events), "
                       "total(rejected_lines) FROM ingests WHERE source <> ?1");
    s.bind_text(1, store::kOtlpMetricsSource);  // data points are not events
    if (s.step())
      for (int i = 0; i < 4; ++i) totals[i] = s.column_double(i);
  }
  const uint64_t store_bytes = file_size_or_zero(db_path_) + file_size_or_zero(db_path_ + "-wal");
  char text[1024];
  std::snprintf(
      text, sizeof text,
      "# HELP ccanalytics_ingested_events_total Events accepted into the store by every ingest.\n"
      "# TYPE ccanalytics_ingested_events_total counter\n"
      "ccanalytics_ingested_events_total %.0f\n"
      "# HELP ccanalytics_duplicate_events_total Events already stored when they arrived again.\n"
      "# TYPE ccanalytics_duplicate_events_total counter\n"
      "ccanalytics_duplicate_events_total %.0f\n"
      "# HELP ccanalytics_rejected_events_total Events quarantined by the ingest's rules.\n"
      "# TYPE ccanalytics_rejected_events_total counter\n"
      "ccanalytics_rejected_events_total %.0f\n"
      "# HELP ccanalytics_rejected_lines_total Input lines that were not a batch of events.\n"
      "# TYPE ccanalytics_rejected_lines_total counter\n"
      "ccanalytics_rejected_lines_total %.0f\n"
      "# HELP ccanalytics_store_size_bytes The store's database and write-ahead log on disk.\n"
      "# TYPE ccanalytics_store_size_bytes gauge\n"
      "ccanalytics_store_size_bytes %llu\n",
      totals[0], totals[1], totals[2], totals[3], static_cast<unsigned long long>(store_bytes));
  out += text;
}

}  // namespace cca::server
