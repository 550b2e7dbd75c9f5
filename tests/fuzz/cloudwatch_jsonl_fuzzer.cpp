// Any bytes as a chunk of CloudWatch-batch JSONL. Every non-blank line is counted; a line lands
// whole (its events accepted or rejected one by one) or is rejected whole, never both; parsing the
// lines one at a time gives what parsing the chunk gives; and a line's log events are all
// accounted for.
#include <simdjson.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "ingest/cloudwatch_parser.h"

namespace {

using cca::ingest::EventBatch;
using cca::ingest::RejectKind;

// The chunk's lines as the parser splits them: at '\n', a trailing '\r' dropped.
std::vector<std::string_view> lines_of(std::string_view chunk) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < chunk.size()) {
    size_t end = chunk.find('\n', start);
    if (end == std::string_view::npos) end = chunk.size();
    std::string_view line = chunk.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// The log events a line holds, counted with simdjson's DOM API (a different code path from the
// parser's On-Demand one): the sizes of every "logEvents" array of the root object. nullopt
// when the DOM parser does not take the line as such an object.
std::optional<size_t> log_event_count(std::string_view line) {
  static simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::object object;
  if (parser.parse(line.data(), line.size()).get(root) || root.get_object().get(object))
    return std::nullopt;
  size_t count = 0;
  bool found = false;
  for (auto [key, value] : object) {
    if (key != "logEvents") continue;
    simdjson::dom::array array;
    if (value.get_array().get(array)) return std::nullopt;
    count += array.size();
    found = true;
  }
  if (!found) return std::nullopt;
  return count;
}

void parse(cca::ingest::CloudWatchParser& parser, std::string_view text, uint64_t first_line,
           EventBatch& out) {
  std::string padded;
  padded.reserve(text.size() + simdjson::SIMDJSON_PADDING);
  padded.assign(text);
  parser.parse_chunk(padded.data(), padded.size(), first_line, out);
  for (const auto& event : out.events) cca::fuzz::check_accepted_event(event);
  for (const auto& rejected : out.rejected) {
    FUZZ_REQUIRE(!rejected.reason.empty());
    cca::fuzz::touch(rejected.raw);
    cca::fuzz::touch(rejected.detail);
    cca::fuzz::touch(rejected.field);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view chunk(reinterpret_cast<const char*>(data), size);
  // One parser for the chunk, another for its lines alone: both keep caches between inputs, as
  // the ingest's long-lived parsers do.
  static auto chunk_parser = cca::ingest::make_cloudwatch_parser();
  static auto line_parser = cca::ingest::make_cloudwatch_parser();

  constexpr uint64_t kFirstLine = 7;
  EventBatch whole;
  parse(*chunk_parser, chunk, kFirstLine, whole);
  FUZZ_REQUIRE(whole.bytes == size);

  const std::vector<std::string_view> lines = lines_of(chunk);
  uint64_t non_blank = 0;
  size_t events = 0, rejected = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (blank(lines[i])) continue;
    ++non_blank;
    const uint64_t number = kFirstLine + i;
    EventBatch alone;
    parse(*line_parser, lines[i], number, alone);
    FUZZ_REQUIRE(alone.lines == 1);
    size_t line_rejections = 0, event_rejections = 0;
    for (const auto& r : alone.rejected) {
      FUZZ_REQUIRE(r.line == number);
      (r.kind == RejectKind::kLine ? line_rejections : event_rejections) += 1;
    }
    // Rejected whole, or landed whole: never both.
    if (line_rejections > 0) {
      FUZZ_REQUIRE(line_rejections == 1 && event_rejections == 0 && alone.events.empty());
    } else if (const auto count = log_event_count(lines[i])) {
      FUZZ_REQUIRE(alone.events.size() + event_rejections == *count);
    }
    // The same line inside the chunk had the same fate.
    size_t in_chunk = 0;
    for (const auto& r : whole.rejected)
      if (r.line == number) {
        ++in_chunk;
        FUZZ_REQUIRE(r.kind == (line_rejections > 0 ? RejectKind::kLine : RejectKind::kEvent));
      }
    FUZZ_REQUIRE(in_chunk == alone.rejected.size());
    events += alone.events.size();
    rejected += alone.rejected.size();
  }
  FUZZ_REQUIRE(whole.lines == non_blank);
  FUZZ_REQUIRE(whole.events.size() == events);
  FUZZ_REQUIRE(whole.rejected.size() == rejected);
  return 0;
}
