#include "clickhouse/schema.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "clickhouse/event_sql.h"
#include "clickhouse/facet_values.h"
#include "clickhouse/latency_rollups.h"
#include "clickhouse/rollups.h"
#include "clickhouse/session_days.h"
#include "clickhouse/session_opens.h"
#include "clickhouse/sql_text.h"
#include "common/clock.h"

namespace cca::clickhouse {
namespace {

// A table as the schema creates it: on one server as named, or on a cluster as a replicated
// `<name>_local` on every server and a Distributed `<name>` over them, split by shard_key.
struct TableSpec {
  std::string_view name;
  std::string_view columns;
  std::string_view engine;       // MergeTree, ReplacingMergeTree, SummingMergeTree
  std::string_view engine_args;  // the engine's own arguments (a version column), or ""
  std::string_view layout;       // PARTITION BY / ORDER BY
  std::string_view shard_key;
};

// Events, one row each, as the embedded store keeps them but with strings in place (ClickHouse
// compresses repeated values per column, so a dictionary of our own buys nothing here).
//
// - Daily partitions (UTC days, computed by the writer): a time range reads only its days, and
//   retention drops whole partitions.
// - ORDER BY (user, event_name, time_ms): inside a day, filters on a person (and so on a practice,
//   which resolves to people through the directory) and on an event type read a fraction of the
//   granules; the identity closes the key so that the ReplacingMergeTree collapses a row written
//   twice by concurrent writers (see the event writer for how redeliveries are kept out).
// - Numbers absent from an event are 0 with their bit in `present` clear, as in the engine.
// - Custom attributes: parallel key and value arrays (18.16 has no Map).
// - Last, the marks of the sessions' rollup cells the event opens (session_opens.h).
const std::string kEventColumns = R"(
  day Date,
  time_ms Int64,
  key_hi UInt64,
  key_lo UInt64,
  ingest_id UInt64,
  log_event_id String,
  event_name String,
  session_id String,
  user String,
  user_email String,
  user_uid String,
  account_uuid String,
  organization_id String,
  terminal String,
  model String,
  tool_name String,
  decision String,
  decision_source String,
  decision_type String,
  success Int8,
  error String,
  status_code String,
  query_source String,
  speed String,
  input_tokens Float64,
  output_tokens Float64,
  cache_read_tokens Float64,
  cache_creation_tokens Float64,
  cost_usd Float64,
  duration_ms Float64,
  prompt_length Float64,
  attempt Float64,
  tool_result_size_bytes Float64,
  ttft_ms Float64,
  cache_creation_5m_tokens Float64,
  cache_creation_1h_tokens Float64,
  present UInt16,
  cost_estimated UInt8,
  practice_hint String,
  os_type String,
  os_version String,
  host_arch String,
  host_name String,
  version String,
  attr_keys Array(String),
  attr_values Array(String),
  attributes String,
  resource String,
  scope String,
  envelope String,
  extra String)" + [] {
  std::string columns;
  for (const auto& [name, type] : kOpensColumns)
    columns += std::string(",\n  ") + name + " " + type;
  return columns;
}();
const TableSpec kEvents = {"events",
                           kEventColumns,
                           "ReplacingMergeTree",
                           "",
                           "PARTITION BY day ORDER BY (user, event_name, time_ms, key_hi, key_lo)",
                           "sipHash64(user)"};

// Records that broke a rule, with the reason; key: hash of (reason, raw) for deduplication.
constexpr TableSpec kQuarantine = {
    "quarantine", R"(
  key_hi UInt64,
  key_lo UInt64,
  ingest_id UInt64,
  received_ms Int64,
  source String,
  line UInt64,
  kind String,
  reason String,
  field String,
  detail String,
  raw String
)", "ReplacingMergeTree", "", "ORDER BY (key_hi, key_lo)", "key_hi"};

// The directory: each load writes every row again under a new version, and the directory is the
// rows of the latest version (a load replaces the directory, as in the embedded store).
constexpr TableSpec kEmployees = {
    "employees", R"(
  version UInt64,
  email String,
  full_name String,
  practice String,
  level String,
  location String,
  user_id String
)", "MergeTree", "", "ORDER BY (version, email)", "sipHash64(email)"};

// The ingest log: a row when an ingest starts and another, with the same id and a higher
// revision, when it ends; readers take each id's latest revision.
constexpr TableSpec kIngests = {"ingests",  R"(
  id UInt64,
  revision UInt32,
  source String,
  path String,
  size_bytes Int64,
  checksum String,
  started_ms Int64,
  finished_ms Int64,
  status String,
  lines UInt64,
  accepted UInt64,
  duplicates UInt64,
  rejected_events UInt64,
  rejected_lines UInt64,
  employees UInt64,
  message String
)",           "ReplacingMergeTree",
                                "revision", "ORDER BY id", "id"};

constexpr TableSpec kSchemaVersionTable = {"schema_version",   R"(
  version UInt32,
  applied_ms Int64
)",      "MergeTree", "",
                                           "ORDER BY version", "version"};

// OTLP metric series: a series' kind and unit (its first point's, as in the embedded store) and
// its comparison state, its newest cumulative point (metric_writer.h). A change is a new row with
// a higher version, and a series is its latest version (readers take argMax by version, which
// needs neither FINAL nor merges). Values are kept as text (%.17g): ClickHouse may round the last
// bit of a float it parses, and an unchanged cumulative total must give a delta of exactly 0.
constexpr TableSpec kMetricSeries = {
    "metric_series", R"(
  key_hi UInt64,
  key_lo UInt64,
  version UInt64,
  name String,
  kind String,
  unit String,
  has_last UInt8,
  last_start_ns Int64,
  last_time_ns Int64,
  last_value String,
  last_count String
)", "ReplacingMergeTree", "version", "ORDER BY (key_hi, key_lo)", "key_hi"};

// OTLP metric data points, one row each, with their series' attributes in place under the events'
// column names (user, practice_hint, terminal, model, tool_name, attr_keys/attr_values), so that
// the events' filter SQL applies and a code-activity question is one scan without a join.
//
// - Monthly partitions (of the UTC day, computed by the writer): Claude Code exports a few points
//   per session and minute, too few a day for parts of their own; a time range still reads only
//   its months, and old months leave with DROP PARTITION.
// - ORDER BY (name, user, time_ms, identity): every code-activity question reads only the code
//   metrics' names (token and cost usage, the most numerous points, are skipped); within a name a
//   person filter reads that person's granules, and a time range the granules of its times. The
//   point's identity (series, start, time) closes the key, so that the ReplacingMergeTree
//   collapses a point two writers raced to insert (the writer keeps redeliveries out).
// - time_ms is timeUnixNano in ms, as the engine places a point; time_ns and start_ns as sent.
// - attr_keys/attr_values: the string attributes of the point over its resource's (the point's
//   win), those with an empty value left out: what the engine's attr.<key> filters and groupings
//   see. resource/attributes keep every attribute as JSON, as the embedded store does.
// - value/count as sent; delta/delta_count what the point adds (NULL: nothing, e.g. a histogram
//   without a sum).
constexpr TableSpec kMetricPoints = {
    "metric_points",
    R"(
  day Date,
  time_ms Int64,
  time_ns Int64,
  start_ns Int64,
  series_hi UInt64,
  series_lo UInt64,
  ingest_id UInt64,
  name String,
  kind String,
  unit String,
  monotonic UInt8,
  temporality UInt8,
  user String,
  session_id String,
  terminal String,
  model String,
  type String,
  language String,
  tool_name String,
  decision String,
  source String,
  query_source String,
  practice_hint String,
  attr_keys Array(String),
  attr_values Array(String),
  value Nullable(Float64),
  count Nullable(Float64),
  delta Nullable(Float64),
  delta_count Nullable(Float64),
  resource String,
  attributes String
)",
    "ReplacingMergeTree",
    "",
    "PARTITION BY toYYYYMM(day) ORDER BY (name, user, time_ms, series_hi, series_lo, start_ns, "
    "time_ns)",
    "sipHash64(user)"};

// A rollup table (rollups.h): one row per dimension, value, period, person and practice hint,
// which a SummingMergeTree keeps single as parts merge (sums added, session states united).
// Partitioned by month: a rollup's day holds a few thousand rows, too few for a part of its own
// (each part is read at least a granule at a time).
// `user_key` is in the sorting key, a function of `user` there: a SummingMergeTree would add up
// a number outside it.
const std::string kRollupColumns =
    "dimension String, value String, day Date, start_ms Int64, user String, "
    "practice_hint String, user_key UInt64, " +
    rollup_metric_column_types() + ", opened UInt64";

TableSpec rollup_spec(const RollupTable& rollup) {
  return {rollup.name,
          kRollupColumns,
          "SummingMergeTree",
          "",
          "PARTITION BY toYYYYMM(day) ORDER BY (dimension, value, day, start_ms, user, "
          "practice_hint, user_key)",
          "sipHash64(user)"};
}

// A totals table (rollups.h): the rollup's rows without people. Any shard takes a row: each
// shard's rows are its own people's, and a question adds them up.
const std::string kTotalsColumns = "dimension String, value String, day Date, start_ms Int64, " +
                                   additive_column_types() +
                                   "first_ms AggregateFunction(min, Int64), last_ms "
                                   "AggregateFunction(max, Int64), opened UInt64";

TableSpec totals_spec(const RollupTable& rollup) {
  return {rollup.totals,
          kTotalsColumns,
          "SummingMergeTree",
          "",
          "PARTITION BY toYYYYMM(day) ORDER BY (dimension, value, day, start_ms)",
          "rand()"};
}

// The events of `events` that have rows under the dimension.
std::string dimension_events(const std::string& events, size_t dimension) {
  const std::string condition = dimension_rows_condition(dimension);
  return condition.empty() ? events : events + " WHERE " + condition;
}

// The rollup rows of the events in `events` under one dimension, summed per period and person.
// One view per dimension: an ARRAY JOIN of every event into all dimensions at once costs
// ClickHouse 18.16 three times the CPU and memory (it copies every column of the block).
std::string rollup_select(size_t table, size_t dimension, const std::string& events) {
  const RollupTable& rollup = kRollupTables[table];
  return "SELECT " + rollup_cell(rollup, dimension) + "user, practice_hint, " + kUserKey +
         " AS user_key, " + rollup_aggregates() + ", sum(bitAnd(opens, " +
         std::to_string(open_bit(table, dimension)) + ") != 0) AS opened FROM " +
         dimension_events(events, dimension) +
         " GROUP BY dimension, value, day, start_ms, user, practice_hint, user_key";
}

// The same summed over people, for the totals table: `opened` counts the sessions once per
// person and hint they lie in, as the rollup rows do.
std::string totals_select(size_t table, size_t dimension, const std::string& events) {
  const RollupTable& rollup = kRollupTables[table];
  return "SELECT " + rollup_cell(rollup, dimension) + additive_aggregates() +
         "minState(time_ms) AS first_ms, maxState(time_ms) AS last_ms, sum(bitAnd(opens, " +
         std::to_string(open_bit(table, dimension)) + ") != 0) AS opened FROM " +
         dimension_events(events, dimension) + " GROUP BY dimension, value, day, start_ms";
}

// A rollup's people table (rollups.h): its cells' people's numbers, once each. On a cluster a
// row's shard is its number's (the views write each shard's from its own events; a question's
// uniqExact adds up the shards exactly either way).
TableSpec people_spec(const RollupTable& rollup) {
  return {rollup.people,
          "dimension String, value String, day Date, start_ms Int64, user_key UInt64",
          "ReplacingMergeTree",
          "",
          "PARTITION BY toYYYYMM(day) ORDER BY (dimension, value, start_ms, user_key)",
          "user_key"};
}

std::string people_select(size_t table, size_t dimension, const std::string& events) {
  return "SELECT " + rollup_cell(kRollupTables[table], dimension) + kUserKey +
         " AS user_key FROM " + dimension_events(events, dimension) +
         " GROUP BY dimension, value, day, start_ms, user_key";
}

std::string qualified(const ClickHouseUrl& url, std::string_view table) {
  return url.cluster.empty() ? std::string(table) : url.database + "." + std::string(table);
}

// The statements that create a table: itself on one server; on a cluster, the replicated local
// table on every server (ZooKeeper path per shard, database and table) and the Distributed table
// that reads and writes all shards.
std::vector<std::string> create_statements(const TableSpec& t, const ClickHouseUrl& url) {
  const std::string name(t.name), columns(t.columns), engine(t.engine), layout(t.layout);
  const std::string engine_args(t.engine_args);
  if (url.cluster.empty())
    return {"CREATE TABLE IF NOT EXISTS " + name + " (" + columns + ") ENGINE = " + engine +
            (engine_args.empty() ? "" : "(" + engine_args + ")") + " " + layout};
  // ON CLUSTER statements run on every server in its default database: names are qualified.
  const std::string on_cluster = " ON CLUSTER " + url.cluster;
  const std::string table = qualified(url, name);
  const std::string local = name + "_local";
  const std::string replicated_args = "'/clickhouse/tables/{shard}/" + url.database + "/" + name +
                                      "', '{replica}'" +
                                      (engine_args.empty() ? "" : ", " + engine_args);
  return {"CREATE TABLE IF NOT EXISTS " + url.database + "." + local + on_cluster + " (" + columns +
              ") ENGINE = Replicated" + engine + "(" + replicated_args + ") " + layout,
          "CREATE TABLE IF NOT EXISTS " + table + on_cluster + " AS " + url.database + "." + local +
              " ENGINE = Distributed(" + url.cluster + ", " + url.database + ", " + local + ", " +
              std::string(t.shard_key) + ")"};
}

// A materialized view `name` that writes `select(events)` of every insert into the events into
// `table`: on a cluster, each server's from its own local events into its local table, which
// replicates like the rest.
template <typename Select>
std::string create_view(const std::string& name, const std::string& table, Select&& select,
                        const ClickHouseUrl& url) {
  const std::string suffix = url.cluster.empty() ? "" : "_local";
  return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + qualified(url, name) +
         (url.cluster.empty() ? "" : " ON CLUSTER " + url.cluster) + " TO " +
         qualified(url, table + suffix) + " AS " + select(qualified(url, "events" + suffix));
}

std::string rollup_view_name(const char* table, size_t dimension) {
  const RolledUpColumn* column = rollup_dimension_column(dimension);
  return std::string(table) + "_" + (column ? column->dimension : "all") + "_view";
}

std::string on_cluster(const ClickHouseUrl& url) {
  return url.cluster.empty() ? "" : " ON CLUSTER " + url.cluster;
}

// Drops a view or table; on a cluster, on every server.
void drop(const ClickHouseClient& client, const std::string& name) {
  client.query("DROP TABLE IF EXISTS " + qualified(client.url(), name) + on_cluster(client.url()));
}

// Drops a table made by create_statements: on a cluster, its local tables too.
void drop_table(const ClickHouseClient& client, const std::string& name) {
  if (!client.url().cluster.empty()) drop(client, name + "_local");
  drop(client, name);
}

// Whether the server we talk to has `table` in the database.
bool exists(const ClickHouseClient& client, const std::string& table) {
  return client.query("EXISTS TABLE " + qualified(client.url(), table)) == "1\n";
}

// Adds to `table` (on a cluster, to its local and Distributed tables) the columns it lacks.
void add_columns(const ClickHouseClient& client, const std::string& table,
                 const std::vector<std::pair<std::string, std::string>>& columns) {
  const ClickHouseUrl& url = client.url();
  const std::string local = url.cluster.empty() ? table : table + "_local";
  std::string present = "\n";
  present += client.query(
      "SELECT name FROM system.columns WHERE database = currentDatabase() AND table = " +
      quote(local));
  std::string added;
  for (const auto& [name, type] : columns)
    if (present.find("\n" + name + "\n") == std::string::npos)
      added += (added.empty() ? "ADD COLUMN " : ", ADD COLUMN ") + name + " " + type;
  if (added.empty()) return;
  if (!url.cluster.empty())
    client.query("ALTER TABLE " + qualified(url, local) + on_cluster(url) + " " + added);
  client.query("ALTER TABLE " + qualified(url, table) + on_cluster(url) + " " + added);
}

// Changes the type of `table`'s column (on a cluster, of its local and Distributed tables).
void modify_column(const ClickHouseClient& client, const std::string& table,
                   const std::string& column, const std::string& type) {
  const ClickHouseUrl& url = client.url();
  const std::string change = " MODIFY COLUMN " + column + " " + type;
  if (!url.cluster.empty())
    client.query("ALTER TABLE " + qualified(url, table + "_local") + on_cluster(url) + change);
  client.query("ALTER TABLE " + qualified(url, table) + on_cluster(url) + change);
}

// Creates the schema, or migrates an older one (see ensure_schema).
void create_or_migrate(const ClickHouseClient& client) {
  // The database itself: asked of the server's default database, since ours may not exist yet.
  ClickHouseUrl server = client.url();
  server.database = "system";
  ClickHouseClient(server).query("CREATE DATABASE IF NOT EXISTS " + client.url().database +
                                 on_cluster(client.url()));

  for (const std::string& statement : create_statements(kSchemaVersionTable, client.url()))
    client.query(statement);
  const std::string answer = client.query("SELECT max(version) FROM schema_version");
  const int found = answer.empty() ? 0 : std::stoi(answer);
  if (found > kSchemaVersion)
    throw std::runtime_error("the ClickHouse store's schema is version " + std::to_string(found) +
                             ", newer than this build's " + std::to_string(kSchemaVersion) +
                             ": upgrade ccanalytics");
  for (const TableSpec* table :
       {&kEvents, &kQuarantine, &kEmployees, &kIngests, &kMetricSeries, &kMetricPoints})
    for (const std::string& statement : create_statements(*table, client.url()))
      client.query(statement);
  // Version 6 marks the sessions' rollup cells on the events (session_opens.h); an older store's
  // events are unmarked, and their sessions are counted apart (below).
  const bool unmarked = found >= 1 && found < 6;
  if (unmarked) {
    std::vector<std::pair<std::string, std::string>> marks;
    for (const auto& [name, type] : kOpensColumns) marks.emplace_back(name, type);
    add_columns(client, "events", marks);
  }
  // Version 11: the sparse dimensions' marks take the high 32 bits (session_opens.h).
  const bool lacks_sparse = found >= 1 && found < 11;
  if (found >= 6 && found < 11) modify_column(client, "events", "opens", "UInt64");
  // Version 8 keys the rollups' people by number too, in their sorting key (rollups.h), and adds
  // the totals tables. An older store's rollup rows are copied aside and back into the new table
  // with their numbers (grouping every stored event again would hold a session state per row in
  // memory at once); a store from before a rollup fills it from its events; the totals are the
  // rollup rows summed. On a cluster through the Distributed tables, which put each person's rows
  // on their events' shard. A migration cut short starts again where it can: the copy aside
  // takes its name only once whole, and while it exists it holds the rows.
  const ClickHouseUrl& url = client.url();
  for (size_t t = 0; t < std::size(kRollupTables); ++t) {
    const RollupTable& rollup = kRollupTables[t];
    const std::string aside = std::string(rollup.name) + "_older";
    const bool copied = found >= rollup.since_version && found < 8;
    if (copied && !exists(client, aside)) {
      if (unmarked) add_columns(client, rollup.name, {{"opened", "UInt64"}});
      const std::string partial = aside + "_partial";
      drop(client, partial);
      client.query("CREATE TABLE " + qualified(url, partial) + " ENGINE = Log AS SELECT * FROM " +
                   qualified(url, rollup.name));
      client.query("RENAME TABLE " + qualified(url, partial) + " TO " + qualified(url, aside));
    }
    for (const char* table : {rollup.name, rollup.totals}) {
      if (found >= 1 && found < 8) {
        for (size_t d = 0; d < kRollupDimensionCount; ++d) drop(client, rollup_view_name(table, d));
        drop_table(client, table);
      }
      const TableSpec spec = table == rollup.name ? rollup_spec(rollup) : totals_spec(rollup);
      for (const std::string& statement : create_statements(spec, url)) client.query(statement);
      const auto select = table == rollup.name ? &rollup_select : &totals_select;
      for (size_t d = 0; d < kRollupDimensionCount; ++d) {
        const auto rows = [&](const std::string& events) { return select(t, d, events); };
        client.query(create_view(rollup_view_name(table, d), table, rows, url));
      }
    }
    const std::string columns = "dimension, value, day, start_ms, user, practice_hint, " +
                                rollup_metric_column_names() + ", opened";
    if (copied) {
      client.query("INSERT INTO " + qualified(url, rollup.name) + " (" + columns +
                   ", user_key) SELECT " + columns + ", " + kUserKey + " FROM " +
                   qualified(url, aside));
      drop(client, aside);
    }
    // A store from before the rollup fills it from its events; one from before version 11 its
    // sparse dimensions' rows (whose sessions are counted below).
    const size_t first_missing = found >= 1 && found < rollup.since_version ? 0
                                 : lacks_sparse                             ? kFirstSparseDimension
                                                                            : kRollupDimensionCount;
    for (size_t d = first_missing; d < kRollupDimensionCount; ++d) {
      client.query("INSERT INTO " + std::string(rollup.name) + " " + rollup_select(t, d, "events"));
      if (found >= 8)
        client.query("INSERT INTO " + std::string(rollup.totals) + " " +
                     totals_select(t, d, "events"));
    }
    if (found >= 1 && found < 8)
      client.query("INSERT INTO " + std::string(rollup.totals) +
                   " SELECT dimension, value, day, start_ms, " + additive_sums() +
                   "minMergeState(first_ms) AS first_ms, maxMergeState(last_ms) AS last_ms, "
                   "sum(opened) AS opened FROM " +
                   rollup.name + " GROUP BY dimension, value, day, start_ms");
    // Version 9: the rollup's people alone; an older store's from the rollup's rows. A migration
    // cut short and started again inserts them twice: merges drop the repeats, reads count once.
    if (!rollup.people) continue;
    for (const std::string& statement : create_statements(people_spec(rollup), url))
      client.query(statement);
    for (size_t d = 0; d < kRollupDimensionCount; ++d) {
      const auto rows = [&](const std::string& events) { return people_select(t, d, events); };
      client.query(create_view(rollup_view_name(rollup.people, d), rollup.people, rows, url));
    }
    if (found >= 1 && found < 9)
      client.query("INSERT INTO " + std::string(rollup.people) +
                   " SELECT dimension, value, day, start_ms, user_key FROM " + rollup.name);
    else if (lacks_sparse)
      for (size_t d = kFirstSparseDimension; d < kRollupDimensionCount; ++d)
        client.query("INSERT INTO " + std::string(rollup.people) + " " +
                     people_select(t, d, "events"));
  }
  if (lacks_sparse) compact_people_tables(client);
  // The days of the stored events, for the statements below that go a day at a time.
  std::optional<std::vector<std::string>> days;
  const auto event_days = [&]() -> const std::vector<std::string>& {
    if (!days) {
      days.emplace();
      for (const auto& row : rows_of(client.query("SELECT DISTINCT day FROM events ORDER BY day")))
        days->push_back(row.at(0));
    }
    return *days;
  };
  // Version 3: session_days, summed per session and day like a rollup; sharded by person like
  // the events, so that a session's rows are on its events' shard. Version 12 adds the first time
  // alone and counts in each row the events that opened their session's cell (`first_ms`,
  // `opened`: session_days.h), version 13 the session's number (`session_key`), version 15 keeps
  // it in granules of 1,024 rows: an older store's is made again from its events, a day at a time
  // (which keeps the grouping's memory to a day's sessions); a migration cut short makes it again.
  const bool sessions_remade = found >= 1 && found < 15;
  if (sessions_remade) {
    drop(client, std::string(kSessionDays) + "_view");
    drop_table(client, kSessionDays);
  }
  const std::string session_columns = session_days_columns();
  const std::string session_layout =
      "PARTITION BY toYYYYMM(day) ORDER BY (" + std::string(kSessionDaysKey) +
      ") SETTINGS index_granularity = " + std::to_string(kSessionDaysGranule);
  const TableSpec sessions = {kSessionDays, session_columns, "SummingMergeTree",
                              "",           session_layout,  "sipHash64(user)"};
  for (const std::string& statement : create_statements(sessions, client.url()))
    client.query(statement);
  client.query(create_view(std::string(kSessionDays) + "_view", kSessionDays, session_days_select,
                           client.url()));
  if (sessions_remade)
    for (const std::string& day : event_days())
      client.query("INSERT INTO " + std::string(kSessionDays) + " " +
                   session_days_select("events PREWHERE day = " + quote(day)));
  // Version 6: spanning_cells, sharded by person like the rollups, and session_cells; an older
  // store counts the sessions of its events once (after session_days, which tells the spanning
  // sessions).
  const TableSpec spanning = {
      kSpanningCells,
      kSpanningCellsColumns,
      "ReplacingMergeTree",
      "",
      "PARTITION BY toYYYYMM(day) ORDER BY (dimension, value, day, start_ms, user, "
      "practice_hint, session_id)",
      "sipHash64(user)"};
  for (const std::string& statement : create_statements(spanning, client.url()))
    client.query(statement);
  client.query(create_view(std::string(kSpanningCells) + "_view", kSpanningCells,
                           spanning_cells_select, client.url()));
  // session_cells, sharded by person like the events it is made of. Version 11 adds the sparse
  // dimensions to its cells (and key): a marked store's is made again from its events.
  const bool marked = found >= 6 && found < 11;
  if (marked) {
    drop(client, std::string(kSessionCells) + "_view");
    drop_table(client, kSessionCells);
  }
  const std::string cell_columns = session_cells_columns(), cell_layout = session_cells_layout();
  const TableSpec session_cells = {kSessionCells, cell_columns,     "ReplacingMergeTree", "",
                                   cell_layout,   "sipHash64(user)"};
  for (const std::string& statement : create_statements(session_cells, client.url()))
    client.query(statement);
  client.query(create_view(std::string(kSessionCells) + "_view", kSessionCells,
                           session_cells_select, client.url()));
  if (unmarked || marked)
    for (const std::string& statement :
         session_opens_backfill(event_days(), unmarked ? 0 : kFirstSparseDimension))
      client.query(statement);
  // Version 10: facet_values, sharded by person like the events it counts; an older store's from
  // its events. Its sums add up: a migration cut short starts the table again. Version 11 keeps
  // only the custom attributes in it: a version 10 store's views of the others are dropped and
  // their rows deleted (a mutation, which ClickHouse runs in the background; reads name the
  // facet, so rows not yet deleted are not read).
  if (found >= 1 && found < 10) {
    drop(client, facet_values_view(kAttributeFacet));
    drop_table(client, kFacetValues);
  }
  if (found == 10) {
    for (const char* former : kFormerFacetValueFacets) drop(client, facet_values_view(former));
    const std::string table =
        url.cluster.empty() ? std::string(kFacetValues) : std::string(kFacetValues) + "_local";
    client.query("ALTER TABLE " + qualified(url, table) + on_cluster(url) +
                 " DELETE WHERE facet != " + quote(kAttributeFacet));
  }
  const TableSpec facet_values = {kFacetValues, kFacetValuesColumns, "SummingMergeTree",
                                  "",           kFacetValuesLayout,  "sipHash64(user)"};
  for (const std::string& statement : create_statements(facet_values, url)) client.query(statement);
  client.query(
      create_view(facet_values_view(kAttributeFacet), kFacetValues, facet_values_select, url));
  if (found >= 1 && found < 10)
    client.query("INSERT INTO " + std::string(kFacetValues) + " " + facet_values_select("events"));
  // Version 5: the latency rollups, one view per table and measure; version 7: their buckets
  // tables; version 8: each value's bucket in the rollups, ordered by it in granules of 256 rows,
  // so that the values of a few buckets read little else (an older store builds its rollups
  // again for that); version 14: latency_day_all and its buckets, made from an older store's
  // events (a migration cut short makes them again). They hold no person: on a cluster any shard
  // takes a backfilled row.
  const std::string latency_columns = latency_rollup_columns();
  const std::string bucket_columns = latency_bucket_columns();
  for (const LatencyRollup& rollup : kLatencyRollups) {
    const auto view_name = [&](const char* table, const LatencyMeasured& measured) {
      std::string name = std::string(table) + "_" + measured.measure + "_view";
      std::replace(name.begin(), name.end(), ' ', '_');
      return name;
    };
    const int since = rollup.of_all_keys ? 14 : 5;
    const bool rebuilt = rollup.of_all_keys ? found >= 1 && found < 14 : found >= 5 && found < 8;
    if (rebuilt) {
      for (const LatencyMeasured* measured : latency_measures()) {
        drop(client, view_name(rollup.table, *measured));
        if (rollup.of_all_keys) drop(client, view_name(rollup.buckets, *measured));
      }
      drop_table(client, rollup.table);
      if (rollup.of_all_keys) drop_table(client, rollup.buckets);
    }
    const TableSpec values = {rollup.table,
                              latency_columns,
                              "SummingMergeTree",
                              "",
                              "PARTITION BY toYYYYMM(day) ORDER BY (measure, key, bucket, "
                              "value, day) SETTINGS index_granularity = 256",
                              "rand()"};
    const TableSpec buckets = {rollup.buckets,
                               bucket_columns,
                               "SummingMergeTree",
                               "",
                               "PARTITION BY toYYYYMM(day) ORDER BY (measure, day, key, bucket)",
                               "rand()"};
    for (const TableSpec* table : {&values, &buckets})
      for (const std::string& statement : create_statements(*table, client.url()))
        client.query(statement);
    for (const LatencyMeasured* measured : latency_measures()) {
      const auto value_rows = [&](const std::string& events) {
        return latency_rollup_select(rollup, *measured, events);
      };
      const auto bucket_rows = [&](const std::string& events) {
        return latency_bucket_select(rollup, *measured, events);
      };
      client.query(
          create_view(view_name(rollup.table, *measured), rollup.table, value_rows, client.url()));
      client.query(create_view(view_name(rollup.buckets, *measured), rollup.buckets, bucket_rows,
                               client.url()));
      if ((found >= 1 && found < since) || rebuilt)
        client.query("INSERT INTO " + std::string(rollup.table) + " " + value_rows("events"));
      if (found >= 1 && found < std::max(since, 7))
        client.query("INSERT INTO " + std::string(rollup.buckets) + " " + bucket_rows("events"));
    }
  }
  if (found < kSchemaVersion)
    client.query("INSERT INTO schema_version VALUES (" + std::to_string(kSchemaVersion) + ", " +
                 std::to_string(system_time_ms()) + ")");
}

}  // namespace

void compact_people_tables(const ClickHouseClient& client) {
  if (!client.url().cluster.empty()) return;
  // An OPTIMIZE whose parts a background merge holds does nothing, and says so only when asked
  // to: it is tried again once that merge is done, for a minute at most.
  ClickHouseUrl url = client.url();
  url.parameters.emplace_back("optimize_throw_if_noop", "1");
  const ClickHouseClient merging(url, kMigrationTimeout);
  for (const RollupTable& rollup : kRollupTables) {
    if (!rollup.people) continue;
    for (int attempt = 0; attempt < 60; ++attempt) {
      bool merged = true;
      for (const auto& row : rows_of(merging.query(
               "SELECT partition FROM system.parts WHERE database = currentDatabase() AND "
               "table = " +
               quote(rollup.people) + " AND active GROUP BY partition HAVING count() > 1"))) {
        try {
          merging.query("OPTIMIZE TABLE " + std::string(rollup.people) + " PARTITION " + row.at(0) +
                        " FINAL");
        } catch (const ClickHouseError& error) {
          if (error.kind() != ClickHouseError::Kind::kRefused) throw;
          merged = false;
        }
      }
      if (merged) break;
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
}

void ensure_schema(const ClickHouseClient& client) {
  // A schema at this build's version has every table: nothing to create. Every ingest and server
  // start comes here, and on a cluster each statement below is a distributed DDL that waits for
  // every server, so that a replica down would stop ingests that need no change.
  try {
    const std::string current = client.query("SELECT max(version) FROM schema_version");
    if (!current.empty() && std::stoi(current) == kSchemaVersion) return;
  } catch (const ClickHouseError& error) {
    if (error.kind() != ClickHouseError::Kind::kRefused) throw;  // no database or table yet
  }
  // A migration's statements copy or sum whole tables: minutes each over a hundred million events.
  create_or_migrate(ClickHouseClient(client.url(), kMigrationTimeout));
}

}  // namespace cca::clickhouse
