#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "ingest/ingest_report.h"
#include "ingest/otlp_encoding.h"
#include "store/database.h"

namespace cca::ingest {

// A file that cannot be read, or a request body that is not what its endpoint takes.
class IngestError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Progress {
  uint64_t bytes_read = 0;
  uint64_t bytes_total = 0;  // 0 when unknown (compressed input, HTTP body)
  uint64_t events = 0;
};
using ProgressCallback = std::function<void(const Progress&)>;

// Every way data enters the store goes through one Ingestor: the CLI, POST /api/v1/ingest,
// PUT /api/v1/employees and POST /v1/logs. It validates, quarantines what is bad with the
// reason, deduplicates against what the store already holds, and commits.
//
// Thread-safety: any thread; writes are serialised internally (OTLP exports parse concurrently,
// then write in turn); several processes may ingest into the same store, SQLite serialises their
// commits.
class Ingestor {
 public:
  explicit Ingestor(const std::string& db_path);
  ~Ingestor();

  // CloudWatch-batch JSONL, plain or gzip (detected by content). Throws IngestError when the
  // file cannot be read, store::StoreError when the store cannot be written.
  IngestReport ingest_file(const std::string& path, const ProgressCallback& progress = {});
  // The same format from memory (an HTTP body); source names it in the ingest log.
  IngestReport ingest_jsonl(std::string_view body, std::string_view source);
  // An OTLP ExportLogsServiceRequest, OTLP/JSON or protobuf. Throws IngestError (nothing
  // stored) when the body is not a valid request. Records that break a rule are quarantined and
  // reported. Both encodings store a record alike.
  IngestReport ingest_otlp_logs(std::string_view body, OtlpEncoding encoding = OtlpEncoding::kJson);
  // An OTLP/HTTP ExportMetricsServiceRequest. Throws IngestError (nothing stored) when the body
  // is not a valid request. The report counts data points: accepted, duplicates (already stored)
  // and rejected_events (quarantined, by reason).
  IngestReport ingest_otlp_metrics(std::string_view body, OtlpEncoding encoding);

  // Employee directory CSV (RFC 4180). Replaces rows by email; returns the rows loaded.
  // Throws IngestError with the line and reason when the CSV is malformed.
  size_t load_employees_file(const std::string& path);
  size_t load_employees_csv(std::string_view csv, std::string_view source);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cca::ingest
