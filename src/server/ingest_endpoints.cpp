#include "server/ingest_endpoints.h"

#include <algorithm>
#include <future>
#include <optional>
#include <thread>

#include "server/api_error.h"
#include "server/background_priority.h"
#include "server/json_writer.h"

namespace cca::server {
namespace {

constexpr std::string_view kJson = "application/json; charset=utf-8";

template <class Ingest>
auto run_ingest(Ingest&& ingest) {
  try {
    return ingest();
  } catch (const ingest::IngestError& error) {
    throw ApiError(400, "invalid_body", error.what());
  } catch (const store::StoreError& error) {
    throw ApiError(503, "store_unavailable", error.what());
  }
}

}  // namespace

IngestEndpoints::IngestEndpoints(const std::string& db_path, engine::Engine& engine,
                                 AccessControl& access, int otlp_max_in_flight,
                                 std::function<void()> refreshed, std::function<void()> committed)
    : ingestor_(db_path),
      engine_(engine),
      access_(access),
      otlp_slots_(std::max(otlp_max_in_flight, 1)),
      export_workers_(std::clamp<size_t>(std::thread::hardware_concurrency(), 1,
                                         static_cast<size_t>(std::max(otlp_max_in_flight, 1)))),
      refreshed_(std::move(refreshed)),
      committed_(std::move(committed)) {}

IngestEndpoints::~IngestEndpoints() {
  export_workers_.shutdown();
}

void IngestEndpoints::refresh() {
  engine_.refresh();
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
      run_ingest([&] { return ingestor_.ingest_jsonl(body, "http"); });
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
      report = run_ingest(ingest);
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
  return run_export([&] { return ingestor_.ingest_otlp_logs(body, encoding); });
}

ingest::IngestReport IngestEndpoints::otlp_metrics(const InFlightLimit::Slot&,
                                                   std::string_view body,
                                                   ingest::OtlpEncoding encoding) {
  return run_export([&] { return ingestor_.ingest_otlp_metrics(body, encoding); });
}

void IngestEndpoints::submit_otlp(OtlpSignal signal, std::string body,
                                  ingest::OtlpEncoding encoding, ExportDone done) {
  submit_export(
      [this, signal, encoding, body = std::move(body)] {
        return signal == OtlpSignal::kLogs ? ingestor_.ingest_otlp_logs(body, encoding)
                                           : ingestor_.ingest_otlp_metrics(body, encoding);
      },
      std::move(done));
}

Answer IngestEndpoints::put_employees(std::string_view csv) {
  const size_t rows = run_ingest([&] { return ingestor_.load_employees_csv(csv, "http"); });
  refresh();
  JsonWriter json;
  json.begin_object().key("employees").value(static_cast<uint64_t>(rows)).end_object();
  return {json.take(), kJson};
}

}  // namespace cca::server
