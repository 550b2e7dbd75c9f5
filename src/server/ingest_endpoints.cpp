#include "server/ingest_endpoints.h"

#include "server/api_error.h"
#include "server/json_writer.h"

namespace cca::server {
namespace {

constexpr std::string_view kJson = "application/json; charset=utf-8";

// Equal-time comparison, so that response timing does not reveal how much of a guess was right.
bool same_secret(std::string_view a, std::string_view b) {
  unsigned char difference = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i)
    difference |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return difference == 0;
}

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

// "reason (count), ..." for an OTLP partialSuccess errorMessage.
std::string reasons_of(const ingest::IngestReport& report) {
  std::string reasons;
  for (const auto& [reason, count] : report.rejected_by_reason) {
    if (!reasons.empty()) reasons += ", ";
    reasons += reason + " (" + std::to_string(count) + ")";
  }
  return reasons;
}

}  // namespace

IngestEndpoints::IngestEndpoints(const std::string& db_path, engine::Engine& engine,
                                 std::string token)
    : ingestor_(db_path), engine_(engine), token_(std::move(token)) {}

void IngestEndpoints::authorize(std::string_view authorization_header) const {
  if (token_.empty()) return;
  constexpr std::string_view kScheme = "Bearer ";
  const bool bearer = authorization_header.substr(0, kScheme.size()) == kScheme;
  if (!bearer || !same_secret(authorization_header.substr(kScheme.size()), token_))
    throw ApiError(
        401, "unauthorized",
        "this endpoint needs the header 'Authorization: Bearer <CCANALYTICS_INGEST_TOKEN>'");
}

Answer IngestEndpoints::ingest_jsonl(std::string_view body) {
  const ingest::IngestReport report =
      run_ingest([&] { return ingestor_.ingest_jsonl(body, "http"); });
  engine_.refresh();
  return {report.to_json(), kJson};
}

Answer IngestEndpoints::otlp_logs(std::string_view body) {
  const ingest::IngestReport report = run_ingest([&] { return ingestor_.ingest_otlp_logs(body); });
  engine_.refresh();
  if (report.rejected_events == 0) return {"{}", kJson};
  JsonWriter json;
  json.begin_object().key("partialSuccess").begin_object();
  json.key("rejectedLogRecords").value(report.rejected_events);
  json.key("errorMessage").value("log records rejected: " + reasons_of(report));
  json.end_object().end_object();
  return {json.take(), kJson};
}

Answer IngestEndpoints::otlp_metrics(std::string_view body) {
  const ingest::IngestReport report =
      run_ingest([&] { return ingestor_.ingest_otlp_metrics(body, ingest::OtlpEncoding::kJson); });
  engine_.refresh();
  if (report.rejected_events == 0) return {"{}", kJson};
  JsonWriter json;
  json.begin_object().key("partialSuccess").begin_object();
  json.key("rejectedDataPoints").value(report.rejected_events);
  json.key("errorMessage").value("data points rejected: " + reasons_of(report));
  json.end_object().end_object();
  return {json.take(), kJson};
}

Answer IngestEndpoints::put_employees(std::string_view csv) {
  const size_t rows = run_ingest([&] { return ingestor_.load_employees_csv(csv, "http"); });
  engine_.refresh();
  JsonWriter json;
  json.begin_object().key("employees").value(static_cast<uint64_t>(rows)).end_object();
  return {json.take(), kJson};
}

}  // namespace cca::server
