#include "clickhouse/schema.h"

#include <string>
#include <vector>

#include "common/clock.h"

namespace cca::clickhouse {
namespace {

// A table as the schema creates it: on one server as named, or on a cluster as a replicated
// `<name>_local` on every server and a Distributed `<name>` over them, split by shard_key.
struct TableSpec {
  const char* name;
  const char* columns;
  const char* engine;       // MergeTree, ReplacingMergeTree
  const char* engine_args;  // the engine's own arguments (a version column), or ""
  const char* layout;       // PARTITION BY / ORDER BY
  const char* shard_key;
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

// The statements that create a table: itself on one server; on a cluster, the replicated local
// table on every server (ZooKeeper path per shard, database and table) and the Distributed table
// that reads and writes all shards.
std::vector<std::string> create_statements(const TableSpec& t, const ClickHouseUrl& url) {
  const std::string engine_args = t.engine_args;
  if (url.cluster.empty())
    return {"CREATE TABLE IF NOT EXISTS " + std::string(t.name) + " (" + t.columns + ") ENGINE = " +
            t.engine + (engine_args.empty() ? "" : "(" + engine_args + ")") + " " + t.layout};
  // ON CLUSTER statements run on every server in its default database: names are qualified.
  const std::string on_cluster = " ON CLUSTER " + url.cluster;
  const std::string table = url.database + "." + t.name;
  const std::string local = std::string(t.name) + "_local";
  const std::string replicated_args = "'/clickhouse/tables/{shard}/" + url.database + "/" + t.name +
                                      "', '{replica}'" +
                                      (engine_args.empty() ? "" : ", " + engine_args);
  return {"CREATE TABLE IF NOT EXISTS " + url.database + "." + local + on_cluster + " (" +
              t.columns + ") ENGINE = Replicated" + t.engine + "(" + replicated_args + ") " +
              t.layout,
          "CREATE TABLE IF NOT EXISTS " + table + on_cluster + " AS " + url.database + "." + local +
              " ENGINE = Distributed(" + url.cluster + ", " + url.database + ", " + local + ", " +
              t.shard_key + ")"};
}

}  // namespace

void ensure_schema(const ClickHouseClient& client) {
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
  for (const TableSpec* table : {&kEvents, &kQuarantine, &kEmployees, &kIngests})
    for (const std::string& statement : create_statements(*table, client.url()))
      client.query(statement);
  if (found < kSchemaVersion)
    client.query("INSERT INTO schema_version VALUES (" + std::to_string(kSchemaVersion) + ", " +
                 std::to_string(system_time_ms()) + ")");
}

}  // namespace cca::clickhouse
