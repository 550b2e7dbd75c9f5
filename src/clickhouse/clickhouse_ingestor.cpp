#include "clickhouse/clickhouse_ingestor.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "clickhouse/event_writer.h"
#include "clickhouse/ingest_log.h"
#include "clickhouse/metric_writer.h"
#include "clickhouse/schema.h"
#include "clickhouse/sql_text.h"
#include "common/clock.h"
#include "common/time_util.h"
#include "ingest/employees_csv.h"
#include "ingest/event_batch.h"
#include "ingest/input_reader.h"
#include "ingest/metric_point.h"
#include "ingest/otlp_parser.h"
#include "ingest/otlp_protobuf_logs.h"
#include "ingest/pipeline.h"
#include "ingest/rejection.h"
#include "store/ingest_log.h"

namespace cca::clickhouse {
namespace {

// Events per insert. ClickHouse wants few large inserts (each makes a part per day it touches,
// which merges must later fold); the block's text, ~1 KB an event, bounds memory.
constexpr size_t kEventsPerBlock = 100'000;

constexpr auto kProgressInterval = std::chrono::milliseconds(100);

// How long an ingest waits for one request. A block goes through every materialized view of the
// store (99) and its identity check reads the block's days: a batch job may wait for a busy
// ClickHouse where a question, at 30 s, should not. A ClickHouse that cannot be reached, or that
// closes the connection, still fails at once.
constexpr auto kWriteTimeout = std::chrono::minutes(10);

}  // namespace

struct ClickHouseIngestor::Impl {
  explicit Impl(ClickHouseUrl url)
      : client(std::move(url), kWriteTimeout), log(client), writer(client), metrics(client) {
    ensure_schema(client);
  }

  ClickHouseClient client;
  IngestLog log;
  EventWriter writer;
  MetricWriter metrics;
  std::mutex mutex;  // one writer at a time: the pending block is shared
  // The ingest log row each live source adds its exports to this hour.
  struct LiveRow {
    int64_t hour_ms = 0;
    IngestLogRow row;
  };
  std::unordered_map<std::string, LiveRow> live_rows;

  // Adds one batch to the pending block, flushing when it is full.
  void write_batch(const ingest::EventBatch& batch, std::string_view source,
                   ingest::IngestReport& report) {
    for (const EventRecord& event : batch.events)
      if (!writer.add(event, static_cast<uint64_t>(report.ingest_id))) ++report.duplicates;
    const int64_t received = system_time_ms();
    for (const ingest::Rejected& r : batch.rejected) {
      (r.kind == ingest::RejectKind::kLine ? report.rejected_lines : report.rejected_events)++;
      ++report.rejected_by_reason[std::string(r.reason)];
      writer.quarantine({source, to_string(r.kind), r.reason, r.field, r.detail, r.raw, r.line},
                        static_cast<uint64_t>(report.ingest_id), received);
    }
    report.lines += batch.lines;
    report.bytes += batch.bytes;
    if (writer.pending_events() >= kEventsPerBlock) count(writer.flush_in_background(), report);
  }

  void flush(ingest::IngestReport& report) { count(writer.flush(), report); }

  static void count(const FlushCounts& counts, ingest::IngestReport& report) {
    report.accepted += counts.inserted;
    report.duplicates += counts.duplicates;
  }

  // Runs body and logs the ingest: complete with its counts, or failed with the error.
  template <typename Body>
  ingest::IngestReport logged(std::string_view source, std::string_view path, int64_t size,
                              Body&& body) {
    const auto started = std::chrono::steady_clock::now();
    IngestLogRow row = log.begin(source, path, size);
    ingest::IngestReport report;
    report.ingest_id = row.counts.ingest_id;
    try {
      const std::string checksum = body(report);
      flush(report);
      report.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      log.complete(row, report, checksum);
    } catch (const std::exception& error) {
      writer.flush_discard();
      try {
        log.fail(row, error.what());
      } catch (const std::exception&) {
        // ClickHouse is what failed; the error being rethrown says so.
      }
      throw;
    }
    return report;
  }

  ingest::IngestReport ingest_stream(ingest::ByteSource& source, std::string_view source_name,
                                     std::string_view path, int64_t size,
                                     const ingest::ProgressCallback& progress) {
    std::lock_guard lock(mutex);
    return logged(source_name, path, size, [&](ingest::IngestReport& report) {
      ingest::ChunkReader reader(source, 1 << 20);
      ingest::PipelineOptions options;
      options.parse_threads = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
      auto last_progress = std::chrono::steady_clock::now();
      run_cloudwatch_pipeline(reader, options, [&](ingest::EventBatch& batch) {
        write_batch(batch, source_name, report);
        if (progress && std::chrono::steady_clock::now() - last_progress > kProgressInterval) {
          last_progress = std::chrono::steady_clock::now();
          progress({report.bytes, source.total(),
                    report.accepted + report.duplicates + writer.pending_events() +
                        writer.events_in_flight()});
        }
      });
      if (progress) progress({report.bytes, source.total(), report.accepted + report.duplicates});
      return reader.checksum_hex();
    });
  }

  // A live export: written at once by `write`, and counted into its source's row of the hour.
  template <typename Write>
  ingest::IngestReport live_export(std::string_view source, size_t size, Write&& write) {
    const auto started = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex);
    const int64_t hour_ms = floor_div(system_time_ms(), kMsPerHour) * kMsPerHour;
    LiveRow& live = live_rows[std::string(source)];
    IngestLogRow& row = live.row;
    if (row.id == 0 || live.hour_ms != hour_ms) {
      live.hour_ms = hour_ms;
      row = IngestLogRow();
      row.id = IngestLog::new_id();
      row.source = source;
      row.path = "exports of the hour from " + format_rfc3339_s(hour_ms);
      // Started at its first export, as in the embedded store: the quality report lists ingests
      // by start, which orders them as they came.
      row.started_ms = system_time_ms();
      row.status = "complete";
      row.counts.ingest_id = static_cast<int64_t>(row.id);
    }
    ingest::IngestReport report;
    report.ingest_id = row.counts.ingest_id;
    try {
      write(report);
      flush(report);
    } catch (const std::exception&) {
      writer.flush_discard();
      throw;
    }
    report.bytes = size;
    row.counts.merge(report);
    row.size_bytes += static_cast<int64_t>(size);
    row.finished_ms = system_time_ms();
    log.write(row);
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
  }
};

ClickHouseIngestor::ClickHouseIngestor(ClickHouseUrl url)
    : impl_(std::make_unique<Impl>(std::move(url))) {}
ClickHouseIngestor::~ClickHouseIngestor() = default;

ingest::IngestReport ClickHouseIngestor::ingest_file(const std::string& path,
                                                     const ingest::ProgressCallback& progress) {
  std::unique_ptr<ingest::ByteSource> source = ingest::open_file_source(path);
  const int64_t size = static_cast<int64_t>(source->total());
  ingest::IngestReport report = impl_->ingest_stream(*source, path, path, size, progress);
  // A file may hold any days, already held ones too; live exports come in time order and need no
  // compaction. The events are in: a compaction that fails is tried again after the next file.
  try {
    compact_people_tables(impl_->client);
  } catch (const ClickHouseError&) {
  }
  return report;
}

ingest::IngestReport ClickHouseIngestor::ingest_jsonl(std::string_view body,
                                                      std::string_view source) {
  std::unique_ptr<ingest::ByteSource> bytes = ingest::memory_source(body);
  return impl_->ingest_stream(*bytes, source, {}, static_cast<int64_t>(body.size()), {});
}

ingest::IngestReport ClickHouseIngestor::ingest_otlp_logs(std::string_view body,
                                                          ingest::OtlpEncoding encoding) {
  thread_local ingest::OtlpParser json_parser;
  thread_local ingest::OtlpProtobufLogs protobuf_parser;
  ingest::EventBatch batch;
  ingest::parse_otlp(body, encoding, json_parser, protobuf_parser, batch);
  return impl_->live_export("otlp", body.size(), [&](ingest::IngestReport& report) {
    impl_->write_batch(batch, "otlp", report);
  });
}

ingest::IngestReport ClickHouseIngestor::ingest_metric_points(const ingest::MetricBatch& batch,
                                                              size_t bytes) {
  return impl_->live_export(store::kOtlpMetricsSource, bytes, [&](ingest::IngestReport& report) {
    Impl::count(impl_->metrics.write(batch.points, static_cast<uint64_t>(report.ingest_id)),
                report);
    const int64_t received = system_time_ms();
    for (const ingest::RejectedPoint& r : batch.rejected) {
      ++report.rejected_events;
      ++report.rejected_by_reason[r.reason];
      impl_->writer.quarantine({store::kOtlpMetricsSource, ingest::kDataPointKind, r.reason,
                                r.field, r.detail, r.raw, r.number},
                               static_cast<uint64_t>(report.ingest_id), received);
    }
  });
}

size_t ClickHouseIngestor::load_employees_csv(std::string_view csv, std::string_view source) {
  const ingest::EmployeesParse parsed = ingest::parse_employees_csv(csv);
  std::lock_guard lock(impl_->mutex);
  impl_->logged(source, {}, static_cast<int64_t>(csv.size()), [&](ingest::IngestReport& r) {
    // A new version of the whole directory. Its first row has an empty email and stands for the
    // version even when the directory is now empty.
    const uint64_t version =
        static_cast<uint64_t>(system_time_ms()) * 1000 + IngestLog::new_id() % 1000;
    const std::string prefix = std::to_string(version) + '\t';
    std::string rows = prefix + "\t\t\t\t\t\n";
    for (const store::Employee& e : parsed.employees) {
      rows += prefix;
      for (const std::string* text : {&e.email, &e.full_name, &e.practice, &e.level, &e.location}) {
        append_tsv_field(rows, *text);
        rows += '\t';
      }
      append_tsv_field(rows, e.user_id);
      rows += '\n';
    }
    impl_->client.insert("INSERT INTO employees FORMAT TabSeparated", rows);
    const int64_t received = system_time_ms();
    for (const ingest::EmployeeRowError& e : parsed.errors) {
      ++r.rejected_lines;
      ++r.rejected_by_reason[std::string(ingest::reason::kInvalidEmployeeRow)];
      impl_->writer.quarantine({source,
                                to_string(ingest::RejectKind::kEmployeeRow),
                                ingest::reason::kInvalidEmployeeRow,
                                {},
                                e.detail,
                                e.raw,
                                e.row},
                               static_cast<uint64_t>(r.ingest_id), received);
    }
    r.bytes = csv.size();
    r.employees = parsed.employees.size();
    return std::string();
  });
  return parsed.employees.size();
}

}  // namespace cca::clickhouse
