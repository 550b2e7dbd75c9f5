#include "server/store_report.h"

#include <cstdio>

#include "common/time_util.h"
#include "server/json_writer.h"

namespace cca::server {
namespace {

void time_or_null(JsonWriter& json, const std::optional<int64_t>& time_ms) {
  if (time_ms) {
    json.value(format_rfc3339_ms(*time_ms));
  } else {
    json.null();
  }
}

}  // namespace

std::string quality_json(const store::QualityReport& report) {
  JsonWriter json;
  json.begin_object();
  json.key("totals").begin_object();
  json.key("accepted").value(report.totals.accepted);
  json.key("duplicates").value(report.totals.duplicates);
  json.key("rejected_events").value(report.totals.rejected_events);
  json.key("rejected_lines").value(report.totals.rejected_lines);
  json.end_object();

  json.key("ingests").begin_array();
  for (const store::IngestRecord& r : report.ingests) {
    json.begin_object();
    json.key("id").value(r.id);
    json.key("source").value(r.source);
    json.key("path").value(r.path);
    json.key("size_bytes").value(r.size_bytes);
    json.key("checksum").value(r.checksum);
    json.key("started");
    time_or_null(json, r.started_ms);
    json.key("finished");
    time_or_null(json, r.finished_ms);
    json.key("status").value(r.status);
    json.key("lines").value(r.counts.lines);
    json.key("accepted").value(r.counts.accepted);
    json.key("duplicates").value(r.counts.duplicates);
    json.key("rejected_events").value(r.counts.rejected_events);
    json.key("rejected_lines").value(r.counts.rejected_lines);
    json.key("employees").value(r.counts.employees);
    json.key("message").value(r.message);
    json.end_object();
  }
  json.end_array();

  json.key("rejected_by_reason").begin_array();
  for (const store::RejectionCount& r : report.rejected_by_reason) {
    json.begin_object();
    json.key("kind").value(r.kind);
    json.key("reason").value(r.reason);
    json.key("count").value(r.count);
    json.end_object();
  }
  json.end_array();

  json.key("quarantine_sample").begin_array();
  for (const store::QuarantineRecord& q : report.quarantine_sample) {
    json.begin_object();
    json.key("id").value(q.id);
    json.key("source").value(q.source);
    json.key("line").value(q.line);
    json.key("kind").value(q.kind);
    json.key("reason").value(q.reason);
    json.key("field").value(q.field);
    json.key("detail").value(q.detail);
    json.key("raw").value(q.raw);
    json.key("received").value(format_rfc3339_ms(q.received_ms));
    json.end_object();
  }
  json.end_array();
  json.end_object();
  return json.take();
}

void render_store_metrics(std::string& out, const store::IngestTotals& totals,
                          uint64_t size_on_disk_bytes) {
  char text[1024];
  std::snprintf(
      text, sizeof text,
      "# HELP ccanalytics_ingested_events_total Events accepted into the store by every ingest.\n"
      "# TYPE ccanalytics_ingested_events_total counter\n"
      "ccanalytics_ingested_events_total %llu\n"
      "# HELP ccanalytics_duplicate_events_total Events already stored when they arrived again.\n"
      "# TYPE ccanalytics_duplicate_events_total counter\n"
      "ccanalytics_duplicate_events_total %llu\n"
      "# HELP ccanalytics_rejected_events_total Events quarantined by the ingest's rules.\n"
      "# TYPE ccanalytics_rejected_events_total counter\n"
      "ccanalytics_rejected_events_total %llu\n"
      "# HELP ccanalytics_rejected_lines_total Input lines that were not a batch of events.\n"
      "# TYPE ccanalytics_rejected_lines_total counter\n"
      "ccanalytics_rejected_lines_total %llu\n"
      "# HELP ccanalytics_store_size_bytes The store's data on disk (for ClickHouse: on the "
      "server the URL names).\n"
      "# TYPE ccanalytics_store_size_bytes gauge\n"
      "ccanalytics_store_size_bytes %llu\n",
      static_cast<unsigned long long>(totals.accepted),
      static_cast<unsigned long long>(totals.duplicates),
      static_cast<unsigned long long>(totals.rejected_events),
      static_cast<unsigned long long>(totals.rejected_lines),
      static_cast<unsigned long long>(size_on_disk_bytes));
  out += text;
}

}  // namespace cca::server
