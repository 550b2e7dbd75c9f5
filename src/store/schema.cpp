#include "store/schema.h"

namespace cca::store {
namespace {

// Version 1. Documented column by column in docs/schema.md; keep the two in step.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE strings (
  id    INTEGER PRIMARY KEY,
  value TEXT NOT NULL UNIQUE
);

CREATE TABLE ingests (
  id              INTEGER PRIMARY KEY,
  source          TEXT NOT NULL,
  path            TEXT,
  size_bytes      INTEGER,
  checksum        TEXT,
  started_ms      INTEGER NOT NULL,
  finished_ms     INTEGER,
  status          TEXT NOT NULL,
  lines           INTEGER NOT NULL DEFAULT 0,
  accepted        INTEGER NOT NULL DEFAULT 0,
  duplicates      INTEGER NOT NULL DEFAULT 0,
  rejected_events INTEGER NOT NULL DEFAULT 0,
  rejected_lines  INTEGER NOT NULL DEFAULT 0,
  employees       INTEGER NOT NULL DEFAULT 0,
  message         TEXT
);

CREATE TABLE events (
  seq                    INTEGER PRIMARY KEY,
  key_hi                 INTEGER NOT NULL,
  key_lo                 INTEGER NOT NULL,
  log_event_id           TEXT,
  ingest_id              INTEGER NOT NULL,
  time_ms                INTEGER NOT NULL,
  event_name_id          INTEGER NOT NULL,
  session_id             INTEGER NOT NULL,
  user_id                INTEGER NOT NULL,
  user_email_id          INTEGER,
  user_uid_id            INTEGER,
  account_uuid_id        INTEGER,
  organization_id        INTEGER,
  terminal_id            INTEGER,
  model_id               INTEGER,
  tool_id                INTEGER,
  decision_id            INTEGER,
  decision_source_id     INTEGER,
  decision_type_id       INTEGER,
  success                INTEGER,
  error_id               INTEGER,
  status_code_id         INTEGER,
  attempt                REAL,
  input_tokens           REAL,
  output_tokens          REAL,
  cache_read_tokens      REAL,
  cache_creation_tokens  REAL,
  cost_usd               REAL,
  duration_ms            REAL,
  prompt_length          REAL,
  tool_result_size_bytes REAL,
  practice_hint_id       INTEGER,
  os_type_id             INTEGER,
  os_version_id          INTEGER,
  host_arch_id           INTEGER,
  host_name_id           INTEGER,
  version_id             INTEGER,
  resource_id            INTEGER,
  scope_id               INTEGER,
  envelope_id            INTEGER,
  extra                  TEXT
);

CREATE TABLE employees (
  email     TEXT PRIMARY KEY,
  full_name TEXT NOT NULL,
  practice  TEXT NOT NULL,
  level     TEXT NOT NULL,
  location  TEXT NOT NULL
);

CREATE TABLE quarantine (
  id          INTEGER PRIMARY KEY,
  key_hi      INTEGER NOT NULL,
  key_lo      INTEGER NOT NULL,
  ingest_id   INTEGER NOT NULL,
  source      TEXT NOT NULL,
  line        INTEGER,
  kind        TEXT NOT NULL,
  reason      TEXT NOT NULL,
  field       TEXT,
  detail      TEXT NOT NULL,
  raw         TEXT NOT NULL,
  received_ms INTEGER NOT NULL,
  UNIQUE (key_hi, key_lo)
);

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('directory_version', '0');

CREATE VIEW events_decoded AS
SELECT e.seq, e.log_event_id, e.ingest_id, e.time_ms,
       n.value AS event_name, s.value AS session_id, u.value AS user,
       em.value AS user_email, uid.value AS user_uid, acc.value AS account_uuid,
       org.value AS organization_id, term.value AS terminal, m.value AS model,
       t.value AS tool_name, d.value AS decision, ds.value AS decision_source,
       dt.value AS decision_type, e.success, err.value AS error, sc.value AS status_code,
       e.attempt, e.input_tokens, e.output_tokens, e.cache_read_tokens,
       e.cache_creation_tokens, e.cost_usd, e.duration_ms, e.prompt_length,
       e.tool_result_size_bytes, ph.value AS practice_hint, os.value AS os_type,
       osv.value AS os_version, arch.value AS host_arch, host.value AS host_name,
       ver.value AS version, res.value AS resource, sco.value AS scope,
       env.value AS envelope, e.extra
FROM events e
JOIN strings n ON n.id = e.event_name_id
JOIN strings s ON s.id = e.session_id
JOIN strings u ON u.id = e.user_id
LEFT JOIN strings em ON em.id = e.user_email_id
LEFT JOIN strings uid ON uid.id = e.user_uid_id
LEFT JOIN strings acc ON acc.id = e.account_uuid_id
LEFT JOIN strings org ON org.id = e.organization_id
LEFT JOIN strings term ON term.id = e.terminal_id
LEFT JOIN strings m ON m.id = e.model_id
LEFT JOIN strings t ON t.id = e.tool_id
LEFT JOIN strings d ON d.id = e.decision_id
LEFT JOIN strings ds ON ds.id = e.decision_source_id
LEFT JOIN strings dt ON dt.id = e.decision_type_id
LEFT JOIN strings err ON err.id = e.error_id
LEFT JOIN strings sc ON sc.id = e.status_code_id
LEFT JOIN strings ph ON ph.id = e.practice_hint_id
LEFT JOIN strings os ON os.id = e.os_type_id
LEFT JOIN strings osv ON osv.id = e.os_version_id
LEFT JOIN strings arch ON arch.id = e.host_arch_id
LEFT JOIN strings host ON host.id = e.host_name_id
LEFT JOIN strings ver ON ver.id = e.version_id
LEFT JOIN strings res ON res.id = e.resource_id
LEFT JOIN strings sco ON sco.id = e.scope_id
LEFT JOIN strings env ON env.id = e.envelope_id;
)sql";

// Version 2: what newer Claude Code releases send (docs/schema.md, "Version 2").
constexpr std::string_view kVersion2 = R"sql(
ALTER TABLE events ADD COLUMN attributes_id INTEGER;
ALTER TABLE events ADD COLUMN query_source_id INTEGER;
ALTER TABLE events ADD COLUMN speed_id INTEGER;
ALTER TABLE events ADD COLUMN ttft_ms REAL;
ALTER TABLE events ADD COLUMN cache_creation_5m_tokens REAL;
ALTER TABLE events ADD COLUMN cache_creation_1h_tokens REAL;
ALTER TABLE events ADD COLUMN cost_estimated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE employees ADD COLUMN user_id TEXT;
-- Events without a session store session_id 0, which the view must not drop.
DROP VIEW events_decoded;
CREATE VIEW events_decoded AS
SELECT e.seq, e.log_event_id, e.ingest_id, e.time_ms,
       n.value AS event_name, s.value AS session_id, u.value AS user,
       em.value AS user_email, uid.value AS user_uid, acc.value AS account_uuid,
       org.value AS organization_id, term.value AS terminal, m.value AS model,
       t.value AS tool_name, d.value AS decision, ds.value AS decision_source,
       dt.value AS decision_type, e.success, err.value AS error, sc.value AS status_code,
       e.attempt, e.input_tokens, e.output_tokens, e.cache_read_tokens,
       e.cache_creation_tokens, e.cost_usd, e.duration_ms, e.prompt_length,
       e.tool_result_size_bytes, ph.value AS practice_hint, os.value AS os_type,
       osv.value AS os_version, arch.value AS host_arch, host.value AS host_name,
       ver.value AS version, res.value AS resource, sco.value AS scope,
       env.value AS envelope, e.extra, attrs.value AS attributes, qs.value AS query_source,
       sp.value AS speed, e.ttft_ms, e.cache_creation_5m_tokens, e.cache_creation_1h_tokens,
       e.cost_estimated
FROM events e
JOIN strings n ON n.id = e.event_name_id
LEFT JOIN strings s ON s.id = e.session_id
JOIN strings u ON u.id = e.user_id
LEFT JOIN strings em ON em.id = e.user_email_id
LEFT JOIN strings uid ON uid.id = e.user_uid_id
LEFT JOIN strings acc ON acc.id = e.account_uuid_id
LEFT JOIN strings org ON org.id = e.organization_id
LEFT JOIN strings term ON term.id = e.terminal_id
LEFT JOIN strings m ON m.id = e.model_id
LEFT JOIN strings t ON t.id = e.tool_id
LEFT JOIN strings d ON d.id = e.decision_id
LEFT JOIN strings ds ON ds.id = e.decision_source_id
LEFT JOIN strings dt ON dt.id = e.decision_type_id
LEFT JOIN strings err ON err.id = e.error_id
LEFT JOIN strings sc ON sc.id = e.status_code_id
LEFT JOIN strings ph ON ph.id = e.practice_hint_id
LEFT JOIN strings os ON os.id = e.os_type_id
LEFT JOIN strings osv ON osv.id = e.os_version_id
LEFT JOIN strings arch ON arch.id = e.host_arch_id
LEFT JOIN strings host ON host.id = e.host_name_id
LEFT JOIN strings ver ON ver.id = e.version_id
LEFT JOIN strings res ON res.id = e.resource_id
LEFT JOIN strings sco ON sco.id = e.scope_id
LEFT JOIN strings env ON env.id = e.envelope_id
LEFT JOIN strings attrs ON attrs.id = e.attributes_id
LEFT JOIN strings qs ON qs.id = e.query_source_id
LEFT JOIN strings sp ON sp.id = e.speed_id;
)sql";

// Version 3: OTLP metric data points (docs/schema.md, "Version 3").
constexpr std::string_view kVersion3 = R"sql(
CREATE TABLE metric_series (
  id               INTEGER PRIMARY KEY,
  key_hi           INTEGER NOT NULL,
  key_lo           INTEGER NOT NULL,
  name_id          INTEGER NOT NULL,
  unit_id          INTEGER,
  kind             TEXT NOT NULL,
  monotonic        INTEGER NOT NULL,
  user_id          INTEGER NOT NULL,
  session_id       INTEGER,
  terminal_id      INTEGER,
  model_id         INTEGER,
  type_id          INTEGER,
  language_id      INTEGER,
  tool_id          INTEGER,
  decision_id      INTEGER,
  source_id        INTEGER,
  query_source_id  INTEGER,
  practice_hint_id INTEGER,
  resource_id      INTEGER,
  attributes_id    INTEGER,
  last_start_ns    INTEGER,
  last_time_ns     INTEGER,
  last_value       REAL,
  last_count       REAL,
  UNIQUE (key_hi, key_lo)
);

CREATE TABLE metric_points (
  seq         INTEGER PRIMARY KEY,
  series_id   INTEGER NOT NULL,
  ingest_id   INTEGER NOT NULL,
  temporality INTEGER NOT NULL,
  start_ns    INTEGER NOT NULL,
  time_ns     INTEGER NOT NULL,
  value       REAL,
  count       REAL,
  delta       REAL,
  delta_count REAL,
  UNIQUE (series_id, start_ns, time_ns)
);

CREATE VIEW metric_points_decoded AS
SELECT p.seq, p.ingest_id, p.temporality, p.start_ns, p.time_ns, p.value, p.count, p.delta,
       p.delta_count, s.id AS series_id, n.value AS name, un.value AS unit, s.kind, s.monotonic,
       u.value AS user, ses.value AS session_id, term.value AS terminal, m.value AS model,
       ty.value AS type, lang.value AS language, t.value AS tool_name, d.value AS decision,
       src.value AS source, qs.value AS query_source, ph.value AS practice_hint,
       res.value AS resource, att.value AS attributes
FROM metric_points p
JOIN metric_series s ON s.id = p.series_id
JOIN strings n ON n.id = s.name_id
JOIN strings u ON u.id = s.user_id
LEFT JOIN strings un ON un.id = s.unit_id
LEFT JOIN strings ses ON ses.id = s.session_id
LEFT JOIN strings term ON term.id = s.terminal_id
LEFT JOIN strings m ON m.id = s.model_id
LEFT JOIN strings ty ON ty.id = s.type_id
LEFT JOIN strings lang ON lang.id = s.language_id
LEFT JOIN strings t ON t.id = s.tool_id
LEFT JOIN strings d ON d.id = s.decision_id
LEFT JOIN strings src ON src.id = s.source_id
LEFT JOIN strings qs ON qs.id = s.query_source_id
LEFT JOIN strings ph ON ph.id = s.practice_hint_id
LEFT JOIN strings res ON res.id = s.resource_id
LEFT JOIN strings att ON att.id = s.attributes_id;
)sql";

// Version 4: access tokens and the audit log (docs/schema.md, "Version 4").
constexpr std::string_view kVersion4 = R"sql(
CREATE TABLE tokens (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  role       TEXT NOT NULL CHECK (role IN ('viewer', 'ingest', 'admin')),
  practices  TEXT NOT NULL,
  hash       BLOB NOT NULL UNIQUE,
  created_ms INTEGER NOT NULL
);

CREATE TABLE audit (
  id      INTEGER PRIMARY KEY,
  time_ms INTEGER NOT NULL,
  actor   TEXT NOT NULL,
  action  TEXT NOT NULL,
  target  TEXT NOT NULL,
  client  TEXT NOT NULL,
  detail  TEXT NOT NULL
);
)sql";

// Version 5: budgets and their alerts with the webhook delivery history (docs/schema.md,
// "Version 5").
constexpr std::string_view kVersion5 = R"sql(
CREATE TABLE budgets (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  amount_usd REAL NOT NULL CHECK (amount_usd > 0),
  period     TEXT NOT NULL CHECK (period IN ('day', 'week', 'month')),
  filters    TEXT NOT NULL,
  thresholds TEXT NOT NULL,
  webhook    TEXT,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL
);

CREATE TABLE budget_alerts (
  id              INTEGER PRIMARY KEY,
  budget_id       INTEGER NOT NULL,
  budget_name     TEXT NOT NULL,
  percent         REAL NOT NULL,
  basis           TEXT NOT NULL CHECK (basis IN ('actual', 'forecast')),
  period_start_ms INTEGER NOT NULL,
  period_end_ms   INTEGER NOT NULL,
  spend_usd       REAL NOT NULL,
  forecast_usd    REAL NOT NULL,
  amount_usd      REAL NOT NULL,
  at_ms           INTEGER NOT NULL,
  webhook         TEXT,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'no_webhook', 'cancelled')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_attempt_ms INTEGER,
  next_attempt_ms INTEGER,
  last_error      TEXT,
  delivered_ms    INTEGER,
  UNIQUE (budget_id, percent, basis, period_start_ms)
);
CREATE INDEX budget_alerts_pending ON budget_alerts (next_attempt_ms) WHERE status = 'pending';
)sql";

constexpr Migration kMigrations[] = {
    {1, kVersion1}, {2, kVersion2}, {3, kVersion3}, {4, kVersion4}, {5, kVersion5}};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace cca::store
