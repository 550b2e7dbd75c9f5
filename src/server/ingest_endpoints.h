#pragma once

#include <string>
#include <string_view>

#include "engine/engine.h"
#include "ingest/ingestor.h"
#include "server/analytics_endpoints.h"

namespace cca::server {

// The endpoints that write: POST /api/v1/ingest, POST /v1/logs, POST /v1/metrics and
// PUT /api/v1/employees. Each
// hands the body to the shared Ingestor, then refreshes the engine before answering, so that a
// client that saw its ingest succeed sees its data in the next query.
class IngestEndpoints {
 public:
  // token: the bearer token the endpoints require; empty for none.
  IngestEndpoints(const std::string& db_path, engine::Engine& engine, std::string token);

  // Throws ApiError 401 unless the request carries the token (when there is one).
  void authorize(std::string_view authorization_header) const;

  Answer ingest_jsonl(std::string_view body);
  Answer otlp_logs(std::string_view body);
  Answer otlp_metrics(std::string_view body);
  Answer put_employees(std::string_view csv);

 private:
  ingest::Ingestor ingestor_;
  engine::Engine& engine_;
  std::string token_;
};

}  // namespace cca::server
