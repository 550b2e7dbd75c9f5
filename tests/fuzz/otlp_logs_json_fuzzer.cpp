// Any bytes as an OTLP/HTTP JSON ExportLogsServiceRequest. Only IngestError may escape, and then
// nothing was filled; otherwise every log record is accounted for once, accepted or rejected
// (counted independently with nlohmann::json), and a second parse gives the same identities.
#include <cstdint>
#include <set>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "fuzz/otlp_json_shape.h"
#include "ingest/ingestor.h"
#include "ingest/otlp_parser.h"

namespace {

using cca::ingest::EventBatch;

// Parses the body; false when IngestError said it is malformed (and then nothing was filled).
bool parse(cca::ingest::OtlpParser& parser, std::string_view body, EventBatch& out) {
  try {
    parser.parse(body, out);
  } catch (const cca::ingest::IngestError&) {
    FUZZ_REQUIRE(out.events.empty() && out.rejected.empty());
    return false;
  }
  for (const auto& event : out.events) cca::fuzz::check_accepted_event(event);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  static cca::ingest::OtlpParser parser;
  EventBatch first;
  if (!parse(parser, body, first)) return 0;

  // Records are numbered from 1 in request order; each is rejected at most once.
  std::set<uint64_t> rejected_numbers;
  for (const auto& r : first.rejected) {
    FUZZ_REQUIRE(r.kind == cca::ingest::RejectKind::kEvent && !r.reason.empty());
    FUZZ_REQUIRE(r.line >= 1 && rejected_numbers.insert(r.line).second);
    cca::fuzz::touch(r.raw);
  }
  if (const auto request = cca::fuzz::parse_without_repeated_keys(body)) {
    const auto records = cca::fuzz::count_log_records(*request);
    FUZZ_REQUIRE(records.has_value());  // the parser took a body whose nesting is wrong
    FUZZ_REQUIRE(first.events.size() + first.rejected.size() == *records);
    if (!rejected_numbers.empty()) FUZZ_REQUIRE(*rejected_numbers.rbegin() <= *records);
  }

  EventBatch second;
  FUZZ_REQUIRE(parse(parser, body, second));
  FUZZ_REQUIRE(second.events.size() == first.events.size());
  FUZZ_REQUIRE(second.rejected.size() == first.rejected.size());
  for (size_t i = 0; i < first.events.size(); ++i)
    FUZZ_REQUIRE(first.events[i].key == second.events[i].key);
  return 0;
}
