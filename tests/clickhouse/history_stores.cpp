#include "clickhouse/history_stores.h"

#include "clickhouse/clickhouse_ingestor.h"
#include "ingest/ingestor.h"
#include "support/test_support.h"

namespace cca::clickhouse {
namespace {

// A stored event as the ingest hands it to a writer.
struct EventText {
  explicit EventText(const testing::StoredEvent& e, uint64_t index) : source(e) {
    record.key = hash128(std::to_string(index));
    record.time_ms = e.time_ms;
    record.event_name = e.event_name;
    record.session_id = e.session_id;
    record.user = e.user;
    const auto view = [](const std::optional<std::string>& s) {
      return s ? std::string_view(*s) : std::string_view();
    };
    record.terminal = view(e.terminal);
    record.model = view(e.model);
    record.tool_name = view(e.tool);
    record.decision = view(e.decision);
    record.decision_source = view(e.decision_source);
    record.error = view(e.error);
    record.status_code = view(e.status_code);
    record.service_version = view(e.version);
    record.os_type = view(e.os);
    record.practice_hint = view(e.practice_hint);
    record.attributes_json = view(e.attributes);
    record.success = e.success ? static_cast<int8_t>(*e.success) : int8_t{-1};
    const auto number = [](const std::optional<double>& v, OptionalNumber& out) {
      if (v) out.set(*v);
    };
    number(e.input_tokens, record.input_tokens);
    number(e.output_tokens, record.output_tokens);
    number(e.cache_read_tokens, record.cache_read_tokens);
    number(e.cache_creation_tokens, record.cache_creation_tokens);
    number(e.cost_usd, record.cost_usd);
    number(e.duration_ms, record.duration_ms);
    number(e.prompt_length, record.prompt_length);
    number(e.attempt, record.attempt);
    number(e.tool_result_size_bytes, record.tool_result_size_bytes);
  }
  const testing::StoredEvent& source;
  EventRecord record;
};

std::string directory_csv(const std::vector<testing::StoredEmployee>& employees) {
  std::string csv = "email,full_name,practice,level,location\n";
  for (const auto& e : employees)
    csv += e.email + "," + e.full_name + "," + e.practice + "," + e.level + "," + e.location + "\n";
  return csv;
}

}  // namespace

std::unique_ptr<HistoryStores> HistoryStores::of(const char* name, testing::RandomHistory history) {
  auto s = std::make_unique<HistoryStores>();
  s->database = TestDatabase::create(name);
  if (!s->database) return nullptr;
  s->history = std::move(history);
  const auto& events = s->history.events;

  // The embedded store, written straight into its tables, read by the engine.
  s->store = std::make_unique<testing::TempStore>();
  {
    store::Database db(s->store->path());
    testing::StoreWriter writer(db);
    writer.insert(events);
    writer.replace_directory(s->history.directory);
  }
  s->engine = std::make_unique<engine::Engine>(s->store->path());

  // ClickHouse, through the store's writer: three blocks, the second written in the background
  // and sent again (a redelivery, overlapping the first) while it is in flight, and a partial
  // directory replaced by the full one.
  ClickHouseIngestor ingestor(s->database->url());
  std::vector<testing::StoredEmployee> partial(
      s->history.directory.begin(),
      s->history.directory.begin() + std::min<size_t>(3, s->history.directory.size()));
  ingestor.load_employees_csv(directory_csv(partial), "partial.csv");
  std::vector<std::unique_ptr<EventText>> texts;
  for (size_t i = 0; i < events.size(); ++i)
    texts.push_back(std::make_unique<EventText>(events[i], i));
  const ClickHouseClient client(s->database->url());
  EventWriter writer(client);
  const size_t third = events.size() / 3;
  const auto add = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) writer.add(texts[i]->record, 1);
  };
  add(0, third);
  s->first_block = writer.flush();
  add(third, 2 * third);
  FlushCounts counts = writer.flush_in_background();  // none: no block was in flight
  add(third - std::min<size_t>(10, third), 2 * third);
  // The second block's counts come with the flush that waited for it: all inserted.
  counts += writer.flush();
  s->redelivered = {counts.inserted - third, counts.duplicates};
  add(2 * third, events.size());
  writer.flush();
  ingestor.load_employees_csv(directory_csv(s->history.directory), "directory.csv");
  s->client = std::make_unique<ClickHouseClient>(s->database->url());
  return s;
}

namespace {

std::unique_ptr<ReferenceStores> build_reference() {
  const auto dataset = test::reference_dataset("reference-30u-500s");
  if (!dataset) return nullptr;
  auto s = std::make_unique<ReferenceStores>();
  s->database = TestDatabase::create("reference");
  if (!s->database) return nullptr;
  const std::string telemetry = (*dataset / "telemetry_logs.jsonl.gz").string();
  const std::string employees = (*dataset / "employees.csv").string();
  s->store = std::make_unique<testing::TempStore>();
  {
    ingest::Ingestor embedded(s->store->path());
    embedded.load_employees_file(employees);
    embedded.ingest_file(telemetry);
  }
  s->engine = std::make_unique<engine::Engine>(s->store->path());
  ClickHouseIngestor clickhouse(s->database->url());
  clickhouse.load_employees_file(employees);
  s->clickhouse_accepted = clickhouse.ingest_file(telemetry).accepted;
  s->client = std::make_unique<ClickHouseClient>(s->database->url());
  return s;
}

}  // namespace

const ReferenceStores* ReferenceStores::get() {
  static const std::unique_ptr<ReferenceStores> stores = build_reference();
  return stores.get();
}

const HistoryStores* HistoryStores::get() {
  static const std::unique_ptr<HistoryStores> stores =
      of("history", testing::make_random_history(20261204));
  return stores.get();
}

engine::Filter HistoryStores::random_filter(std::mt19937_64& random) const {
  const auto snapshot = engine->snapshot();
  return testing::random_filter(history, *snapshot->first_time(), *snapshot->last_time(), random);
}

engine::Filter HistoryStores::random_session_days_filter(std::mt19937_64& random) const {
  engine::Filter filter = random_filter(random);
  filter.model.clear();
  filter.tool.clear();
  filter.status_code.clear();
  filter.error.clear();
  filter.attributes.clear();
  for (std::optional<int64_t>* end : {&filter.from_ms, &filter.to_ms})
    if (*end) **end = floor_div(**end, kMsPerDay) * kMsPerDay;
  return filter;
}

}  // namespace cca::clickhouse
