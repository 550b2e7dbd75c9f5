#include "clickhouse/schema.h"

#include <string>

#include "common/clock.h"

namespace cca::clickhouse {
namespace {

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
constexpr const char* kEvents = R"(
CREATE TABLE IF NOT EXISTS events (
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
) ENGINE = ReplacingMergeTree
PARTITION BY day
ORDER BY (user, event_name, time_ms, key_hi, key_lo)
)";

// Records that broke a rule, with the reason; key: hash of (reason, raw) for deduplication.
constexpr const char* kQuarantine = R"(
CREATE TABLE IF NOT EXISTS quarantine (
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
) ENGINE = ReplacingMergeTree
ORDER BY (key_hi, key_lo)
)";

// The directory: each load writes every row again under a new version, and the directory is the
// rows of the latest version (a load replaces the directory, as in the embedded store).
constexpr const char* kEmployees = R"(
CREATE TABLE IF NOT EXISTS employees (
  version UInt64,
  email String,
  full_name String,
  practice String,
  level String,
  location String,
  user_id String
) ENGINE = MergeTree
ORDER BY (version, email)
)";

// The ingest log: a row when an ingest starts and another, with the same id and a higher
// revision, when it ends; readers take each id's latest revision.
constexpr const char* kIngests = R"(
CREATE TABLE IF NOT EXISTS ingests (
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
) ENGINE = ReplacingMergeTree(revision)
ORDER BY id
)";

constexpr const char* kSchemaVersionTable = R"(
CREATE TABLE IF NOT EXISTS schema_version (
  version UInt32,
  applied_ms Int64
) ENGINE = MergeTree
ORDER BY version
)";

}  // namespace

void ensure_schema(const ClickHouseClient& client) {
  // The database itself: asked of the server's default database, since ours may not exist yet.
  ClickHouseUrl server = client.url();
  const std::string database = server.database;
  server.database = "system";
  ClickHouseClient(server).query("CREATE DATABASE IF NOT EXISTS " + database);

  client.query(kSchemaVersionTable);
  const std::string answer = client.query("SELECT max(version) FROM schema_version");
  const int found = answer.empty() ? 0 : std::stoi(answer);
  if (found > kSchemaVersion)
    throw std::runtime_error("the ClickHouse store's schema is version " + std::to_string(found) +
                             ", newer than this build's " + std::to_string(kSchemaVersion) +
                             ": upgrade ccanalytics");
  for (const char* table : {kEvents, kQuarantine, kEmployees, kIngests}) client.query(table);
  if (found < kSchemaVersion)
    client.query("INSERT INTO schema_version VALUES (" + std::to_string(kSchemaVersion) + ", " +
                 std::to_string(system_time_ms()) + ")");
}

}  // namespace cca::clickhouse
