#include "clickhouse/schema.h"

#include <algorithm>
#include <string>
#include <vector>

#include "clickhouse/event_sql.h"
#include "clickhouse/latency_rollups.h"
#include "clickhouse/rollups.h"
#include "clickhouse/session_days.h"
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
constexpr TableSpec kEvents = {
    "events",
    R"(
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
  extra String
)",
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
const std::string kRollupColumns =
    "dimension String, value String, day Date, start_ms Int64, user String, "
    "practice_hint String, " +
    rollup_metric_column_types();

TableSpec rollup_spec(const RollupTable& rollup) {
  return {rollup.name,
          kRollupColumns,
          "SummingMergeTree",
          "",
          "PARTITION BY toYYYYMM(day) ORDER BY (dimension, value, day, start_ms, user, "
          "practice_hint)",
          "sipHash64(user)"};
}

// The rollup rows of the events in `events` under one dimension: each event's value of the
// rolled-up column (`column`), or, with none, '' for all events; summed per period and person.
// One view per dimension: an ARRAY JOIN of every event into all dimensions at once costs
// ClickHouse 18.16 three times the CPU and memory (it copies every column of the block).
std::string rollup_select(const RollupTable& rollup, const char* column,
                          const std::string& events) {
  const std::string period = std::to_string(rollup.period_ms);
  return "SELECT " + quote(column ? column : "") + " AS dimension, " +
         (column ? std::string(column) : "''") + " AS value, day, time_ms - ((time_ms % " + period +
         ") + " + period + ") % " + period + " AS start_ms, user, practice_hint, " +
         rollup_aggregates() + " FROM " + events +
         " GROUP BY dimension, value, day, start_ms, user, practice_hint";
}

// The dimensions of the rollups: null (all events) and each rolled-up column.
std::vector<const char*> rollup_dimensions() {
  std::vector<const char*> dimensions = {nullptr};
  dimensions.insert(dimensions.end(), std::begin(kRolledUpColumns), std::end(kRolledUpColumns));
  return dimensions;
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

// The view that feeds a rollup's dimension.
std::string create_rollup_view(const RollupTable& rollup, const char* column,
                               const ClickHouseUrl& url) {
  return create_view(
      std::string(rollup.name) + "_" + (column ? column : "all") + "_view", rollup.name,
      [&](const std::string& events) { return rollup_select(rollup, column, events); }, url);
}

}  // namespace

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
  // The database itself: asked of the server's default database, since ours may not exist yet.
  ClickHouseUrl server = client.url();
  server.database = "system";
  ClickHouseClient(server).query(
      "CREATE DATABASE IF NOT EXISTS " + client.url().database +
      (client.url().cluster.empty() ? "" : " ON CLUSTER " + client.url().cluster));

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
  for (const RollupTable& rollup : kRollupTables) {
    for (const std::string& statement : create_statements(rollup_spec(rollup), client.url()))
      client.query(statement);
    for (const char* column : rollup_dimensions()) {
      client.query(create_rollup_view(rollup, column, client.url()));
      // Version 1 had no rollups: they start with the events stored so far (through the
      // Distributed tables on a cluster, which put each person's rows on their events' shard).
      if (found == 1)
        client.query("INSERT INTO " + std::string(rollup.name) + " " +
                     rollup_select(rollup, column, "events"));
    }
  }
  // Version 3: session_days, summed per session and day like a rollup; sharded by person like
  // the events, so that a session's rows are on its events' shard.
  const std::string session_columns = session_days_columns();
  const std::string session_layout =
      "PARTITION BY toYYYYMM(day) ORDER BY (" + std::string(kSessionDaysKey) + ")";
  const TableSpec sessions = {kSessionDays, session_columns, "SummingMergeTree",
                              "",           session_layout,  "sipHash64(user)"};
  for (const std::string& statement : create_statements(sessions, client.url()))
    client.query(statement);
  client.query(create_view(std::string(kSessionDays) + "_view", kSessionDays, session_days_select,
                           client.url()));
  if (found == 1 || found == 2)
    client.query("INSERT INTO " + std::string(kSessionDays) + " " + session_days_select("events"));
  // Version 5: the latency rollups, one view per table and measure. They hold no person: on a
  // cluster any shard takes a backfilled row.
  const std::string latency_columns = latency_rollup_columns();
  for (const LatencyRollup& rollup : kLatencyRollups) {
    const TableSpec table = {rollup.table,
                             latency_columns,
                             "SummingMergeTree",
                             "",
                             "PARTITION BY toYYYYMM(day) ORDER BY (measure, day, key, value)",
                             "rand()"};
    for (const std::string& statement : create_statements(table, client.url()))
      client.query(statement);
    for (const LatencyMeasured* measured : latency_measures()) {
      const auto select = [&](const std::string& events) {
        return latency_rollup_select(rollup, *measured, events);
      };
      std::string view = std::string(rollup.table) + "_" + measured->measure + "_view";
      std::replace(view.begin(), view.end(), ' ', '_');
      client.query(create_view(view, rollup.table, select, client.url()));
      if (found >= 1 && found < 5)
        client.query("INSERT INTO " + std::string(rollup.table) + " " + select("events"));
    }
  }
  if (found < kSchemaVersion)
    client.query("INSERT INTO schema_version VALUES (" + std::to_string(kSchemaVersion) + ", " +
                 std::to_string(system_time_ms()) + ")");
}

}  // namespace cca::clickhouse
