// Writes the fuzzers' seed corpus: inputs built from the test suites' own fixtures, plus samples
// of the reference datasets and of a `ccanalytics generate` output when they are there. Nothing
// here is committed: the corpus is made at build/run time.
//
//   fuzz_seed_corpus OUTPUT_DIR [GENERATED_DIR]
// OUTPUT_DIR/<fuzzer>/<seed> for every fuzzer; the datasets come from CCANALYTICS_DATASETS, else
// the build's default (../shared/datasets beside the repository); GENERATED_DIR holds a
// `ccanalytics generate` output (telemetry_logs.jsonl, employees.csv, otlp_metrics.jsonl).
#include <google/protobuf/util/json_util.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "server/telemetry_text.h"
#include "support/test_support.h"

namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxSeedBytes = 64 << 10;  // larger inputs slow every mutation down

class Corpus {
 public:
  explicit Corpus(fs::path root) : root_(std::move(root)) {}

  void add(const std::string& fuzzer, const std::string& name, const std::string& bytes) {
    if (bytes.size() > kMaxSeedBytes) return;
    fs::create_directories(root_ / fuzzer);
    std::ofstream(root_ / fuzzer / name, std::ios::binary) << bytes;
    ++count_[fuzzer];
  }

  void report() const {
    for (const auto& [fuzzer, count] : count_) std::cout << fuzzer << ": " << count << " seeds\n";
  }

 private:
  fs::path root_;
  std::map<std::string, size_t> count_;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The first `count` lines of a plain or gzip file (gzopen reads both).
std::vector<std::string> head_lines(const fs::path& path, size_t count) {
  std::vector<std::string> lines;
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) return lines;
  std::string line;
  char buffer[1 << 16];
  while (lines.size() < count && gzgets(file, buffer, sizeof buffer)) {
    line += buffer;
    if (!line.empty() && line.back() == '\n') {
      lines.push_back(std::move(line));
      line.clear();
    }
  }
  if (!line.empty() && lines.size() < count) lines.push_back(line);
  gzclose(file);
  return lines;
}

template <typename Message>
void add_as_protobuf(Corpus& corpus, const std::string& fuzzer, const std::string& name,
                     const std::string& json) {
  Message message;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(json, &message, options).ok()) return;
  corpus.add(fuzzer, name, message.SerializeAsString());
}

void add_logs(Corpus& corpus, const std::string& name, const std::string& json) {
  corpus.add("otlp_logs_json_fuzzer", name, json);
  add_as_protobuf<opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest>(
      corpus, "otlp_logs_protobuf_fuzzer", name, json);
}

void add_metrics(Corpus& corpus, const std::string& name, const std::string& json) {
  corpus.add("otlp_metrics_json_fuzzer", name, json);
  add_as_protobuf<opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest>(
      corpus, "otlp_metrics_protobuf_fuzzer", name, json);
}

// The suites' fixtures: events built by tests/support and tests/server in every format.
void add_fixtures(Corpus& corpus) {
  using cca::testing::TelemetryEvent;
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    const std::vector<TelemetryEvent> events = cca::testing::telemetry_events(
        seed, static_cast<int>(seed), 1767225600000 + seed * 3600000);
    const std::vector<TelemetryEvent> few(events.begin(),
                                          events.begin() + std::min<size_t>(events.size(), 6));
    const std::string tag = "fixture-" + std::to_string(seed);
    corpus.add("cloudwatch_jsonl_fuzzer", tag, cca::testing::cloudwatch_line(few));
    add_logs(corpus, tag, cca::testing::otlp_request(few));
  }

  nlohmann::json api = cca::test::base_attributes("api_request");
  api["model"] = "claude-sonnet-4-5";
  api["input_tokens"] = "120";
  api["output_tokens"] = "45";
  api["cost_usd"] = "0.0021";
  api["duration_ms"] = "850";
  nlohmann::json tool = cca::test::base_attributes("tool_result", "s-2", "Other@Example.com");
  tool["tool_name"] = "Bash";
  tool["success"] = "true";
  tool["decision_source"] = "config";
  nlohmann::json no_user = cca::test::base_attributes("user_prompt");
  no_user.erase("user.email");
  const std::string batch = cca::test::batch_line(
      {cca::test::log_event("1", 1767225600000, cca::test::message(api)),
       cca::test::log_event("2", 1767225601000, cca::test::message(tool)),
       cca::test::log_event("3", 1767225602000, cca::test::message(no_user))});
  corpus.add("cloudwatch_jsonl_fuzzer", "fixture-batch", batch);
  corpus.add("cloudwatch_jsonl_fuzzer", "fixture-lines",
             batch + "\n\n  \r\nnot json\n{\"logEvents\": 3}\n[1]\n" + batch);

  // One metric of each OTLP kind, and a monotonic sum gone negative.
  const std::string attributes =
      R"([{"key":"user.email","value":{"stringValue":"dev@example.com"}},)"
      R"({"key":"session.id","value":{"stringValue":"s-1"}},)"
      R"({"key":"type","value":{"stringValue":"added"}}])";
  const std::string point =
      R"("attributes":)" + attributes +
      R"(,"startTimeUnixNano":"1767225600000000000","timeUnixNano":"1767225660000000000")";
  add_metrics(
      corpus, "fixture-kinds",
      R"({"resourceMetrics":[{"resource":{"attributes":[{"key":"team.id","value":{"stringValue":"platform"}}]},)"
      R"("scopeMetrics":[{"scope":{"name":"com.anthropic.claude_code"},"metrics":[)"
      R"({"name":"claude_code.lines_of_code.count","unit":"count","sum":{"aggregationTemporality":1,"isMonotonic":true,"dataPoints":[{)" +
          point + R"(,"asInt":"12"},{)" + point +
          R"(,"asDouble":-1.5}]}},)"
          R"({"name":"claude_code.session.count","gauge":{"dataPoints":[{)" +
          point +
          R"(,"asDouble":1}]}},)"
          R"({"name":"claude_code.active_time.total","unit":"s","histogram":{"aggregationTemporality":2,"dataPoints":[{)" +
          point +
          R"(,"count":"3","sum":4.5,"bucketCounts":["1","2"],"explicitBounds":[1]}]}},)"
          R"({"name":"latency","exponentialHistogram":{"dataPoints":[{)" +
          point +
          R"(,"count":"2","sum":3,"scale":1,"positive":{"offset":0,"bucketCounts":["2"]}}]}},)"
          R"({"name":"sizes","summary":{"dataPoints":[{)" +
          point +
          R"(,"count":"2","sum":9,"quantileValues":[{"quantile":0.5,"value":4}]}]}}]}]}]})");

  corpus.add("employees_csv_fuzzer", "fixture",
             "\xEF\xBB\xBF"
             "Email,full_name,practice,level,location,user_id\r\n"
             "Dev@Example.com ,\"Dev, Person\",Platform Engineering,L4,Berlin,u-1\r\n"
             "\"quoted\"\"name@example.com\",\"two\nlines\",ML,L5,,\r\n"
             "\r\n"
             ",no email,ML,L3,Paris,\r\n"
             "short,row\r\n");

  for (const char* query :
       {"from=2026-01-01&to=2026-01-31&practice=ML%20Engineering,Platform&model=claude-sonnet-4-5",
        "from=2026-01-01T00:00:00Z&to=2026-01-01T12:30:00.5%2B02:00&email=a@example.com&email=b@"
        "example.com",
        "by=model&sort=cost&limit=10&metrics=cost,tokens&attr.team.id=platform&attr.team.id=data",
        "limit=50&offset=100&sort=started&order=asc&terminal=vscode,%20cursor%20,",
        "bucket=day&split=model&split_limit=5&level=L4&location=Berlin", "of=duration_ms&bins=20",
        "view=users&by=practice&order=desc&limit=1000", "sample=5", "measure=ttft&by=model",
        "from=2026-02-01&to=2026-01-01", "limit=abc&order=up&unknown=1&attr.=x"})
    corpus.add("query_params_fuzzer", "fixture-" + std::to_string(std::hash<std::string>{}(query)),
               query);
}

void add_datasets(Corpus& corpus) {
  const auto small = cca::test::reference_dataset("reference-30u-500s");
  if (small) {
    const std::vector<std::string> lines = head_lines(*small / "telemetry_logs.jsonl.gz", 12);
    for (size_t i = 0; i < lines.size(); ++i)
      corpus.add("cloudwatch_jsonl_fuzzer", "reference-line-" + std::to_string(i), lines[i]);
    const std::vector<std::string> rows = head_lines(*small / "employees.csv", 40);
    std::string csv;
    for (const std::string& row : rows) csv += row;
    corpus.add("employees_csv_fuzzer", "reference", csv);
  } else {
    std::cout << "reference-30u-500s absent: its seeds are skipped\n";
  }
  const auto otlp = cca::test::claude_code_otlp_fixtures();
  if (!otlp) {
    std::cout << "claude-code-2.1.328-otlp absent: its seeds are skipped\n";
    return;
  }
  for (const auto& entry : fs::recursive_directory_iterator(*otlp)) {
    if (!entry.is_regular_file()) continue;
    const fs::path& path = entry.path();
    const std::string name = "claude-code-" + fs::relative(path, *otlp).string();
    std::string safe = name;
    for (char& c : safe)
      if (c == '/') c = '-';
    const std::string file = path.filename().string();
    if (path.extension() == ".json" && file.find("logs") != std::string::npos)
      add_logs(corpus, safe, read_file(path));
    else if (path.extension() == ".json" && file.find("metrics") != std::string::npos)
      add_metrics(corpus, safe, read_file(path));
    else if (file == "logs.pb")
      corpus.add("otlp_logs_protobuf_fuzzer", safe, read_file(path));
    else if (file == "metrics.pb")
      corpus.add("otlp_metrics_protobuf_fuzzer", safe, read_file(path));
  }
}

void add_generated(Corpus& corpus, const fs::path& folder) {
  const std::vector<std::string> lines = head_lines(folder / "telemetry_logs.jsonl", 6);
  for (size_t i = 0; i < lines.size(); ++i)
    corpus.add("cloudwatch_jsonl_fuzzer", "generated-line-" + std::to_string(i), lines[i]);
  const std::vector<std::string> rows = head_lines(folder / "employees.csv", 30);
  std::string csv;
  for (const std::string& row : rows) csv += row;
  if (!csv.empty()) corpus.add("employees_csv_fuzzer", "generated", csv);
  const std::vector<std::string> exports = head_lines(folder / "otlp_metrics.jsonl", 4);
  for (size_t i = 0; i < exports.size(); ++i)
    add_metrics(corpus, "generated-metrics-" + std::to_string(i), exports[i]);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: fuzz_seed_corpus OUTPUT_DIR [GENERATED_DIR]\n";
    return 2;
  }
  Corpus corpus(argv[1]);
  add_fixtures(corpus);
  add_datasets(corpus);
  if (argc == 3) {
    if (fs::exists(fs::path(argv[2]) / "telemetry_logs.jsonl"))
      add_generated(corpus, argv[2]);
    else
      std::cout << "no generated dataset in " << argv[2] << ": its seeds are skipped\n";
  }
  corpus.report();
  return 0;
}
