#include "ingest/ingestor.h"

#include <chrono>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "common/clock.h"
#include "common/time_util.h"
#include "ingest/employees_csv.h"
#include "ingest/event_batch.h"
#include "ingest/input_reader.h"
#include "ingest/metric_point.h"
#include "ingest/otlp_metrics_parser.h"
#include "ingest/otlp_parser.h"
#include "ingest/otlp_protobuf_logs.h"
#include "ingest/otlp_protobuf_metrics.h"
#include "ingest/pipeline.h"
#include "store/employee_directory.h"
#include "store/event_writer.h"
#include "store/ingest_log.h"
#include "store/metric_writer.h"

namespace cca::ingest {
namespace {

// Rows per transaction: large enough that commits cost nothing measurable, small enough that a
// huge file's WAL stays bounded and a running server sees a long ingest progress.
constexpr uint64_t kEventsPerCommit = 1'000'000;

constexpr auto kProgressInterval = std::chrono::milliseconds(100);

// A point as the store writer takes it; resource and attributes are its JSON texts.
store::MetricPointRow row_of(const MetricPoint& p, const std::string& resource,
                             const std::string& attributes) {
  store::MetricPointRow row;
  row.series_key = series_key(resource, p.name, attributes);
  row.name = p.name;
  row.unit = p.unit;
  row.kind = metric_kind_name(p.kind);
  row.monotonic = p.monotonic;
  row.temporality = p.temporality;
  row.start_ns = p.start_ns;
  row.time_ns = p.time_ns;
  row.value = p.value;
  if (p.count) row.count = static_cast<double>(*p.count);
  row.user = p.user;
  row.session = p.session;
  row.terminal = p.terminal;
  row.model = p.model;
  row.type = p.type;
  row.language = p.language;
  row.tool = p.tool;
  row.decision = p.decision;
  row.source = p.source;
  row.query_source = p.query_source;
  row.practice_hint = p.practice_hint;
  row.resource_json = resource;
  row.attributes_json = attributes;
  return row;
}

}  // namespace

struct Ingestor::Impl {
  explicit Impl(const std::string& db_path) : db(db_path), log(db) {}

  store::Database db;
  store::IngestLog log;
  // Holds in-memory mirrors of the store (dedup keys, string ids): rebuilt after a rollback.
  std::unique_ptr<store::EventWriter> writer;
  std::mutex mutex;
  // The ingest log row each live source writes into this hour.
  struct LiveRow {
    int64_t hour_ms = -1;
    int64_t id = 0;
  };
  std::unordered_map<std::string, LiveRow> live_rows;

  store::EventWriter& event_writer() {
    if (!writer) writer = std::make_unique<store::EventWriter>(db);
    return *writer;
  }

  // Writes one batch into the open transaction, counting into `report`.
  void write_batch(const EventBatch& batch, std::string_view source, IngestReport& report) {
    store::EventWriter& w = event_writer();
    for (const EventRecord& event : batch.events) {
      if (w.insert(event, report.ingest_id)) {
        ++report.accepted;
      } else {
        ++report.duplicates;
      }
    }
    w.flush();  // the batch's strings are reused once this returns
    const int64_t received = system_time_ms();
    for (const Rejected& r : batch.rejected) {
      (r.kind == RejectKind::kLine ? report.rejected_lines : report.rejected_events)++;
      ++report.rejected_by_reason[std::string(r.reason)];
      w.quarantine({source, to_string(r.kind), r.reason, r.field, r.detail, r.raw, r.line},
                   report.ingest_id, received);
    }
    report.lines += batch.lines;
    report.bytes += batch.bytes;
  }

  // Logs a failed ingest in the ingest log, when the store can still take that: on a full disk
  // it may not, and the error the caller is about to rethrow is the one that matters.
  template <typename Log>
  static void note_failure(Log&& log_it) noexcept {
    try {
      log_it();
    } catch (const std::exception&) {
    }
  }

  store::IngestCounts counts_of(const IngestReport& report) const {
    return {report.lines,           report.accepted,       report.duplicates,
            report.rejected_events, report.rejected_lines, report.employees};
  }

  // Runs `body` (which writes inside transactions it opens with begin()) and records the ingest
  // in the log: complete with its counts, or failed with the error, the data rolled back.
  template <typename Body>
  IngestReport logged(std::string_view source, std::string_view path, int64_t size, Body&& body) {
    const auto started = std::chrono::steady_clock::now();
    IngestReport report;
    report.ingest_id = log.begin(source, path, size);
    bool in_transaction = false;
    auto begin = [&] {
      if (in_transaction) return;
      db.exec("BEGIN IMMEDIATE");
      in_transaction = true;
      event_writer().catch_up();  // what other processes committed counts as stored
    };
    auto commit = [&] {
      if (!in_transaction) return;
      db.exec("COMMIT");
      in_transaction = false;
    };
    try {
      const std::string checksum = body(report, begin, commit);
      begin();
      report.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      log.complete(report.ingest_id, counts_of(report), checksum);
      commit();
    } catch (const std::exception& error) {
      db.rollback();  // unless SQLite rolled it back itself, as on a full disk
      writer.reset();
      note_failure([&] { log.fail(report.ingest_id, error.what()); });
      throw;
    }
    return report;
  }

  // An export of live telemetry: written and counted into its source's row of the hour
  // (IngestLog::live_row) in one transaction; a failed one rolls back and gets a failed row.
  template <typename Body>
  IngestReport live_export(std::string_view source, size_t size, Body&& body) {
    const auto started = std::chrono::steady_clock::now();
    IngestReport report;
    try {
      db.exec("BEGIN IMMEDIATE");
      event_writer().catch_up();  // what other processes committed counts as stored
      const int64_t hour_ms = system_time_ms() / kMsPerHour * kMsPerHour;
      LiveRow& row = live_rows[std::string(source)];
      report.ingest_id = row.hour_ms == hour_ms ? row.id : log.live_row(source, hour_ms);
      body(report);
      report.bytes = size;
      log.add_live(report.ingest_id, counts_of(report), static_cast<int64_t>(size));
      db.exec("COMMIT");
      row = {hour_ms, report.ingest_id};  // known to exist once committed
    } catch (const std::exception& error) {
      db.rollback();  // unless SQLite rolled it back itself, as on a full disk
      writer.reset();
      note_failure(
          [&] { log.fail(log.begin(source, {}, static_cast<int64_t>(size)), error.what()); });
      throw;
    }
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
  }

  IngestReport ingest_stream(ByteSource& source, std::string_view source_name, std::string_view path,
                             int64_t size, const ProgressCallback& progress) {
    std::lock_guard lock(mutex);
    return logged(source_name, path, size, [&](IngestReport& report, auto& begin, auto& commit) {
      ChunkReader reader(source, 1 << 20);
      PipelineOptions options;
      options.parse_threads = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
      uint64_t since_commit = 0;
      auto last_progress = std::chrono::steady_clock::now();
      run_cloudwatch_pipeline(reader, options, [&](EventBatch& batch) {
        begin();
        write_batch(batch, source_name, report);
        since_commit += batch.events.size();
        if (since_commit >= kEventsPerCommit) {
          commit();
          since_commit = 0;
        }
        if (progress && std::chrono::steady_clock::now() - last_progress > kProgressInterval) {
          last_progress = std::chrono::steady_clock::now();
          progress({report.bytes, source.total(), report.accepted + report.duplicates});
        }
      });
      if (progress) progress({report.bytes, source.total(), report.accepted + report.duplicates});
      return reader.checksum_hex();
    });
  }
};

Ingestor::Ingestor(const std::string& db_path) : impl_(std::make_unique<Impl>(db_path)) {}
Ingestor::~Ingestor() = default;

IngestReport Ingestor::ingest_file(const std::string& path, const ProgressCallback& progress) {
  std::unique_ptr<ByteSource> source = open_file_source(path);
  const int64_t size = static_cast<int64_t>(source->total());
  return impl_->ingest_stream(*source, path, path, size, progress);
}

IngestReport Ingestor::ingest_jsonl(std::string_view body, std::string_view source) {
  std::unique_ptr<ByteSource> bytes = memory_source(body);
  return impl_->ingest_stream(*bytes, source, {}, static_cast<int64_t>(body.size()), {});
}

// Exports are parsed before the store is locked, so that concurrent ones parse in parallel. Each
// thread keeps its own parsers: their buffers are reused, and the batch points into them until it
// is written.
IngestReport Ingestor::ingest_otlp_logs(std::string_view body, OtlpEncoding encoding) {
  thread_local OtlpParser json_parser;
  thread_local OtlpProtobufLogs protobuf_parser;
  EventBatch batch;
  parse_otlp(body, encoding, json_parser, protobuf_parser, batch);
  for (EventRecord& event : batch.events) compute_client_key(event);
  std::lock_guard lock(impl_->mutex);
  return impl_->live_export("otlp", body.size(), [&](IngestReport& report) {
    impl_->write_batch(batch, "otlp", report);
  });
}

IngestReport Ingestor::ingest_metric_points(const MetricBatch& batch, size_t bytes) {
  std::lock_guard lock(impl_->mutex);
  return impl_->live_export(store::kOtlpMetricsSource, bytes, [&](IngestReport& report) {
    store::MetricWriter writer(impl_->db, impl_->event_writer().strings());
    for (const MetricPoint& p : batch.points) {
      const std::string resource = p.resource.dump();
      const std::string attributes = p.attributes.dump();
      const store::MetricPointRow row = row_of(p, resource, attributes);
      (writer.insert(row, report.ingest_id) ? report.accepted : report.duplicates)++;
    }
    const int64_t received = system_time_ms();
    for (const RejectedPoint& r : batch.rejected) {
      ++report.rejected_events;
      ++report.rejected_by_reason[r.reason];
      impl_->event_writer().quarantine(
          {store::kOtlpMetricsSource, kDataPointKind, r.reason, r.field, r.detail, r.raw, r.number},
          report.ingest_id, received);
    }
  });
}

size_t Ingestor::load_employees_csv(std::string_view csv, std::string_view source) {
  std::lock_guard lock(impl_->mutex);
  const EmployeesParse parsed = parse_employees_csv(csv);
  IngestReport report = impl_->logged(source, {}, static_cast<int64_t>(csv.size()),
                                      [&](IngestReport& r, auto& begin, auto& commit) {
                                        store::replace_employees(impl_->db, parsed.employees);
                                        begin();
                                        const int64_t received = system_time_ms();
                                        for (const EmployeeRowError& e : parsed.errors) {
                                          ++r.rejected_lines;
                                          ++r.rejected_by_reason[std::string(reason::kInvalidEmployeeRow)];
                                          impl_->event_writer().quarantine(
                                              {source, to_string(RejectKind::kEmployeeRow),
                                               reason::kInvalidEmployeeRow, {}, e.detail, e.raw,
                                               e.row},
                                              r.ingest_id, received);
                                        }
                                        commit();
                                        r.bytes = csv.size();
                                        r.employees = parsed.employees.size();
                                        return std::string();
                                      });
  (void)report;
  return parsed.employees.size();
}

IngestReport IngestTarget::ingest_otlp_metrics(std::string_view body, OtlpEncoding encoding) {
  thread_local OtlpMetricsParser json_parser;
  thread_local OtlpProtobufMetrics protobuf_parser;
  MetricBatch batch;
  parse_otlp(body, encoding, json_parser, protobuf_parser, batch);
  return ingest_metric_points(batch, body.size());
}

IngestReport IngestTarget::ingest_metrics_file(const std::string& path, size_t points_per_write) {
  const std::unique_ptr<ByteSource> source = open_file_source(path);
  ChunkReader reader(*source, 1 << 20);
  OtlpMetricsParser parser;
  MetricBatch batch;
  size_t batch_bytes = 0;
  IngestReport total;
  uint64_t exports = 0;
  const auto write = [&] {
    if (batch_bytes == 0) return;
    total.merge(ingest_metric_points(batch, batch_bytes));
    batch = MetricBatch();
    batch_bytes = 0;
  };
  Chunk chunk;
  while (reader.next(chunk)) {
    std::string_view rest(chunk.buffer.data(), chunk.size);
    for (uint64_t line = chunk.first_line; !rest.empty(); ++line) {
      const size_t end = std::min(rest.find('\n'), rest.size());
      const std::string_view text = rest.substr(0, end);
      rest.remove_prefix(std::min(end + 1, rest.size()));
      if (text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      try {
        parser.parse(text, batch);  // appends nothing when it throws
      } catch (const IngestError& error) {
        write();
        throw IngestError(path + ":" + std::to_string(line) + ": " + error.what());
      }
      batch_bytes += text.size();
      ++exports;
      if (batch.points.size() >= points_per_write) write();
    }
  }
  write();
  total.lines = exports;
  return total;
}

size_t IngestTarget::load_employees_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw IngestError("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) throw IngestError("cannot read " + path);
  return load_employees_csv(text.str(), path);
}

}  // namespace cca::ingest
