#include "server/ingest_endpoints.h"

#include <algorithm>
#include <cstdio>
#include <future>
#include <memory>
#include <optional>
#include <thread>

#include "clickhouse/client.h"
#include "server/api_error.h"
#include "server/background_priority.h"
#include "server/json_writer.h"

namespace cca::server {
namespace {

constexpr std::string_view kJson = "application/json; charset=utf-8";

// Whoever sent what the store could not take learns why. A full disk is 507 for bulk ingests
// (their client decides what to do) and 503 for live exports, which exporters retry after
// Retry-After (UNAVAILABLE with RetryInfo over gRPC): telemetry waits in the fleet while space
// is freed rather than being dropped.
enum class Delivery { kBulk, kLiveExport };

template <class Ingest>
auto run_ingest(Delivery delivery, Ingest&& ingest) {
  try {
    return ingest();
  } catch (const ingest::IngestError& error) {
    throw ApiError(400, "invalid_body", error.what());
  } catch (const store::StoreError& error) {
    switch (error.failure()) {
      case store::StoreFailure::kDiskFull:
        throw ApiError(delivery == Delivery::kBulk ? 507 : 503, "store_full", error.what());
      case store::StoreFailure::kReadOnly:
        throw ApiError(503, "store_read_only", error.what());
      case store::StoreFailure::kOther:
        break;
    }
    throw ApiError(503, "store_unavailable", error.what());
  } catch (const clickhouse::ClickHouseError& error) {
    throw ApiError(503, "store_unavailable", error.what());
  }
}

}  // namespace

std::unique_ptr<ingest::IngestTarget> open_embedded_writer(const std::string& db_path,
                                                           std::string& read_only_message) {
  try {
    return std::make_unique<ingest::Ingestor>(db_path);
  } catch (const store::StoreError& error) {
    if (error.failure() != store::StoreFailure::kReadOnly) throw;
    read_only_message = error.what();
    std::fprintf(stderr, "ccanalytics serve: %s; serving reads only, ingests answer 503\n",
                 error.what());
    return nullptr;
  }
}

IngestEndpoints::IngestEndpoints(std::unique_ptr<ingest::IngestTarget> ingestor,
                                 std::string read_only_message, engine::AnalyticsSource& source,
                                 AccessControl& access, int otlp_max_in_flight,
                                 std::function<void()> refreshed, std::function<void()> committed)
    : read_only_message_(std::move(read_only_message)),
      ingestor_(std::move(ingestor)),
      source_(source),
      access_(access),
      otlp_slots_(std::max(otlp_max_in_flight, 1)),
      export_workers_(std::clamp<size_t>(std::thread::hardware_concurrency(), 1,
                                         static_cast<size_t>(std::max(otlp_max_in_flight, 1)))),
      refreshed_(std::move(refreshed)),
      committed_(std::move(committed)) {}

IngestEndpoints::~IngestEndpoints() {
  export_workers_.shutdown();
}

ingest::IngestTarget& IngestEndpoints::writer() {
  if (!ingestor_) throw ApiError(503, "store_read_only", read_only_message_);
  return *ingestor_;
}

void IngestEndpoints::refresh() {
  source_.refresh();
  if (refreshed_) refreshed_();
}

void IngestEndpoints::committed() {
  exports_committed_.fetch_add(1);
  if (committed_) committed_();
}

void IngestEndpoints::authorize(std::string_view authorization_header, std::string_view client) {
  access_.authorize(Access::kIngest, access_.identify({authorization_header, {}, client}));
}

Answer IngestEndpoints::ingest_jsonl(std::string_view body) {
  const ingest::IngestReport report =
      run_ingest(Delivery::kBulk, [&] { return writer().ingest_jsonl(body, "http"); });
  refresh();
  return {report.to_json(), kJson};
}

InFlightLimit::Slot IngestEndpoints::reserve_otlp_export() {
  InFlightLimit::Slot slot(otlp_slots_);
  if (!slot.held())
    throw ApiError(503, "overloaded",
                   "the server is taking " + std::to_string(otlp_slots_.limit()) +
                       " OTLP exports already; retry later");
  return slot;
}

void IngestEndpoints::submit_export(std::function<ingest::IngestReport()> ingest, ExportDone done) {
  // The caller holds an in-flight slot, so the pool's queue is as bounded as the exports.
  export_workers_.enqueue([this, ingest = std::move(ingest), done = std::move(done)] {
    lower_this_threads_priority();
    std::optional<ingest::IngestReport> report;
    std::exception_ptr error;
    try {
      report = run_ingest(Delivery::kLiveExport, ingest);
      committed();
    } catch (...) {
      error = std::current_exception();
    }
    done(report ? &*report : nullptr, error);
  });
}

ingest::IngestReport IngestEndpoints::run_export(
    const std::function<ingest::IngestReport()>& ingest) {
  std::promise<ingest::IngestReport> answer;
  submit_export(ingest, [&answer](const ingest::IngestReport* report, std::exception_ptr error) {
    if (error) {
      answer.set_exception(error);
    } else {
      answer.set_value(*report);
    }
  });
  return answer.get_future().get();
}

ingest::IngestReport IngestEndpoints::otlp_logs(const InFlightLimit::Slot&, std::string_view body,
                                                ingest::OtlpEncoding encoding) {
  return run_export([&] { return writer().ingest_otlp_logs(body, encoding); });
}

ingest::IngestReport IngestEndpoints::otlp_metrics(const InFlightLimit::Slot&,
                                                   std::string_view body,
                                                   ingest::OtlpEncoding encoding) {
  return run_export([&] { return writer().ingest_otlp_metrics(body, encoding); });
}

void IngestEndpoints::submit_otlp(OtlpSignal signal, std::string body,
                                  ingest::OtlpEncoding encoding, ExportDone done) {
  submit_export(
      [this, signal, encoding, body = std::move(body)] {
        return signal == OtlpSignal::kLogs ? writer().ingest_otlp_logs(body, encoding)
                                           : writer().ingest_otlp_metrics(body, encoding);
      },
      std::move(done));
}

Answer IngestEndpoints::put_employees(std::string_view csv) {
  const size_t rows =
      run_ingest(Delivery::kBulk, [&] { return writer().load_employees_csv(csv, "http"); });
  refresh();
  JsonWriter json;
  json.begin_object().key("employees").value(static_cast<uint64_t>(rows)).end_object();
  return {json.take(), kJson};
}

}  // namespace cca::server
