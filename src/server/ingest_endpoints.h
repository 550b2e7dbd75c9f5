#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "engine/engine.h"
#include "ingest/ingestor.h"
#include "ingest/otlp_encoding.h"
#include "server/analytics_endpoints.h"
#include "server/in_flight_limit.h"

namespace cca::server {

// The endpoints that write: POST /api/v1/ingest, POST /v1/logs, POST /v1/metrics and
// PUT /api/v1/employees. Each
// hands the body to the shared Ingestor, then refreshes the engine before answering, so that a
// client that saw its ingest succeed sees its data in the next query.
class IngestEndpoints {
 public:
  // token: the bearer token the endpoints require; empty for none. otlp_max_in_flight: OTLP
  // exports taken at once, whatever their transport; more are refused with 503. refreshed: called
  // after every ingest has refreshed the engine, whatever the transport (the live update stream).
  IngestEndpoints(const std::string& db_path, engine::Engine& engine, std::string token,
                  int otlp_max_in_flight, std::function<void()> refreshed);

  // Throws ApiError 401 unless the request carries the token (when there is one).
  void authorize(std::string_view authorization_header) const;

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
  Answer put_employees(std::string_view csv);

  int otlp_in_flight() const { return otlp_slots_.in_flight(); }

 private:
  void refresh();

  ingest::Ingestor ingestor_;
  engine::Engine& engine_;
  std::string token_;
  InFlightLimit otlp_slots_;
  std::function<void()> refreshed_;
};

}  // namespace cca::server
