#pragma once

#include <httplib.h>

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "engine/analytics.h"
#include "ingest/ingestor.h"
#include "ingest/otlp_encoding.h"
#include "server/access_control.h"
#include "server/analytics_endpoints.h"
#include "server/in_flight_limit.h"
#include "server/otlp_http.h"

namespace cca::server {

// The endpoints that write: POST /api/v1/ingest, POST /v1/logs, POST /v1/metrics and
// PUT /api/v1/employees. Each hands the body to the shared Ingestor.
//
// When their data becomes visible differs. A bulk ingest (POST /api/v1/ingest, the directory)
// refreshes the engine before answering, so that its client sees its data in the next query. An
// OTLP export answers once its data is committed, and the server's refresher makes it visible
// shortly after (Server::poll_store): exporters never read, and one refresh for many exports,
// instead of one each, is what lets live ingest keep up with a fleet.
// The embedded store's writer, or null when the store is read-only (read_only_message then says
// why). Throws store::StoreError when the store cannot be opened at all.
std::unique_ptr<ingest::IngestTarget> open_embedded_writer(const std::string& db_path,
                                                           std::string& read_only_message);

class IngestEndpoints {
 public:
  // ingestor: the store's writer, null when the store is read-only (read_only_message says why).
  // source: what answers queries, refreshed after a bulk ingest.
  // access: who may ingest (gRPC asks here; the HTTP server checks its routes itself).
  // otlp_max_in_flight: OTLP
  // exports taken at once, whatever their transport; more are refused with 503. refreshed: called
  // after a bulk ingest has refreshed the engine (the live update stream). committed: called
  // after an OTLP export has committed, to have the refresher make it visible.
  IngestEndpoints(std::unique_ptr<ingest::IngestTarget> ingestor, std::string read_only_message,
                  engine::AnalyticsSource& source, AccessControl& access, int otlp_max_in_flight,
                  std::function<void()> refreshed, std::function<void()> committed);
  ~IngestEndpoints();
  IngestEndpoints(const IngestEndpoints&) = delete;
  IngestEndpoints& operator=(const IngestEndpoints&) = delete;

  // Whether the store cannot be written: reads are served, every ingest answers 503
  // store_read_only.
  bool read_only() const { return !ingestor_; }

  // Throws ApiError 401, 403 or 429 unless a request with this Authorization header, from this
  // client address, may ingest.
  void authorize(std::string_view authorization_header, std::string_view client);

  Answer ingest_jsonl(std::string_view body);
  // A place among the OTLP exports ingested at once, whatever their transport, to hold while
  // one is ingested. Throws ApiError 503 (overloaded) when otlp_max_in_flight are taken.
  InFlightLimit::Slot reserve_otlp_export();
  // An OTLP logs export in either encoding, ingested under `slot`. Throws ApiError 400 when the
  // request is malformed.
  ingest::IngestReport otlp_logs(const InFlightLimit::Slot& slot, std::string_view body,
                                 ingest::OtlpEncoding encoding);
  // An OTLP metrics export in either encoding, ingested under `slot`; the same errors.
  ingest::IngestReport otlp_metrics(const InFlightLimit::Slot& slot, std::string_view body,
                                    ingest::OtlpEncoding encoding);
  // Either export without waiting, for callers whose threads must not block (gRPC's): `done` runs
  // on an export worker once the export is over, with its report, or with the error the two
  // above would throw (report null). The caller holds its slot until `done`.
  using ExportDone =
      std::function<void(const ingest::IngestReport* report, std::exception_ptr error)>;
  void submit_otlp(OtlpSignal signal, std::string body, ingest::OtlpEncoding encoding,
                   ExportDone done);
  Answer put_employees(std::string_view csv);

  int otlp_in_flight() const { return otlp_slots_.in_flight(); }

  // OTLP exports answered so far; the refresher reads it before a refresh and, once the refresh
  // is published, passes what it read to mark_visible().
  uint64_t exports_committed() const { return exports_committed_.load(); }
  void mark_visible(uint64_t exports) { exports_visible_.store(exports); }
  // Whether an export that has been answered is not yet visible to queries.
  bool refresh_pending() const { return exports_visible_.load() != exports_committed_.load(); }

 private:
  // The store's writer; throws ApiError 503 store_read_only when the store is read-only.
  ingest::IngestTarget& writer();
  void refresh();
  void committed();
  // Runs an OTLP export's ingest on export_workers_, then `done` there.
  void submit_export(std::function<ingest::IngestReport()> ingest, ExportDone done);
  // The same, waiting for it.
  ingest::IngestReport run_export(const std::function<ingest::IngestReport()>& ingest);

  std::string read_only_message_;
  std::unique_ptr<ingest::IngestTarget> ingestor_;  // null when the store is read-only
  engine::AnalyticsSource& source_;
  AccessControl& access_;
  InFlightLimit otlp_slots_;
  // Live exports run on these threads, at background priority (lower_this_threads_priority):
  // when a fleet's exports take every core, dashboards are still answered at once, and the
  // exporters, which wait anyway, wait a little longer. One per core (exports are CPU work; more
  // threads would only compete), at most one per export in flight.
  httplib::ThreadPool export_workers_;
  std::function<void()> refreshed_;
  std::function<void()> committed_;
  std::atomic<uint64_t> exports_committed_{0};
  std::atomic<uint64_t> exports_visible_{0};
};

}  // namespace cca::server
