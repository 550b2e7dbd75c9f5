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

struct MetricBatch;

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

// What every store's ingest offers, the embedded store's Ingestor and ClickHouse's alike: the CLI
// and the server's ingest endpoints take this, so that each path applies the same rules and the
// same deduplication whichever store keeps the data.
//
// Thread-safety: any thread; writes are serialised internally (OTLP exports parse concurrently,
// then write in turn).
class IngestTarget {
 public:
  virtual ~IngestTarget() = default;

  // CloudWatch-batch JSONL, plain or gzip (detected by content). Throws IngestError when the
  // file cannot be read, and the store's error when the store cannot be written.
  virtual IngestReport ingest_file(const std::string& path,
                                   const ProgressCallback& progress = {}) = 0;
  // The same format from memory (an HTTP body); source names it in the ingest log.
  virtual IngestReport ingest_jsonl(std::string_view body, std::string_view source) = 0;
  // An OTLP ExportLogsServiceRequest, OTLP/JSON or protobuf. Throws IngestError (nothing
  // stored) when the body is not a valid request. Records that break a rule are quarantined and
  // reported. Both encodings store a record alike.
  virtual IngestReport ingest_otlp_logs(std::string_view body,
                                        OtlpEncoding encoding = OtlpEncoding::kJson) = 0;
  // An OTLP/HTTP ExportMetricsServiceRequest. Throws IngestError (nothing stored) when the body
  // is not a valid request. The report counts data points: accepted, duplicates (already stored)
  // and rejected_events (quarantined, by reason).
  IngestReport ingest_otlp_metrics(std::string_view body, OtlpEncoding encoding);
  // OTLP/JSON metrics exports one a line (the generator's otlp_metrics.jsonl), plain or gzip,
  // streamed. Each line is an export as a live exporter sends it, but the points of many lines
  // are written at once: a store writes a series' points in their order, so one write of several
  // exports stores what writing them one by one would, in far fewer round trips. Throws
  // IngestError naming the line of a malformed export; the lines before it are stored.
  // points_per_write: enough that a store's per-write costs (round trips to ClickHouse, a SQLite
  // commit) vanish, few enough that a write's points stay a few tens of MB.
  IngestReport ingest_metrics_file(const std::string& path, size_t points_per_write = 20'000);
  // The data points of one or more exports, in their order, as one write; `bytes` is their
  // exports' size, for the ingest log.
  virtual IngestReport ingest_metric_points(const MetricBatch& batch, size_t bytes) = 0;

  // Employee directory CSV (RFC 4180). Replaces the directory; returns the rows loaded.
  // Throws IngestError with the line and reason when the CSV is malformed.
  size_t load_employees_file(const std::string& path);
  virtual size_t load_employees_csv(std::string_view csv, std::string_view source) = 0;
};

// The embedded store's ingest: it validates, quarantines what is bad with the reason,
// deduplicates against what the store already holds, and commits. Several processes may ingest
// into the same store: SQLite serialises their commits.
class Ingestor : public IngestTarget {
 public:
  explicit Ingestor(const std::string& db_path);
  ~Ingestor() override;

  IngestReport ingest_file(const std::string& path, const ProgressCallback& progress = {}) override;
  IngestReport ingest_jsonl(std::string_view body, std::string_view source) override;
  IngestReport ingest_otlp_logs(std::string_view body,
                                OtlpEncoding encoding = OtlpEncoding::kJson) override;
  IngestReport ingest_metric_points(const MetricBatch& batch, size_t bytes) override;
  size_t load_employees_csv(std::string_view csv, std::string_view source) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cca::ingest
