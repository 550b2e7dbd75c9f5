// The dashboard questions the benchmark asks every system, in one place so that the HTTP
// endpoint, the DuckDB SQL and the SQLite SQL of a question cannot drift apart.
//
// Each question has an id, the ccanalytics path, and a builder per SQL dialect. A window is
// {fromDay, toDay, fromMs, toMs} (toMs exclusive) for the filtered variant, or null.

const kEventNames = ['user_prompt', 'api_request', 'api_error', 'tool_decision', 'tool_result'];
const kPercentiles = [0.5, 0.9, 0.95, 0.99];
const kPageSize = 50;
const kMsPerDay = 86_400_000;
const kMsPerHour = 3_600_000;

function sqlString(text) {
  return `'${String(text).replaceAll("'", "''")}'`;
}

// DuckDB reads the table the peer built: one row per event, strings decoded, practice resolved.
const duckdb = {
  name: 'duckdb',
  isEvent: (name) => `event_name = ${sqlString(name)}`,
  countWhere: (cond) => `count(*) FILTER (WHERE ${cond})`,
  sumWhere: (expr, cond) => `coalesce(sum(${expr}) FILTER (WHERE ${cond}), 0)`,
  ratio: (num, den) => `(${num}) / nullif(${den}, 0)`,
  session: 'session_id',
  user: 'user_key',
  accepted: "decision = 'accept'",
  succeeded: 'success',
  timeMs: 'epoch_ms(ts)',
  floorTo: (ms, step) => `(${ms} // ${step}) * ${step}`,
  windowCondition: (w) => (w ? `ts >= epoch_ms(${w.fromMs}) AND ts < epoch_ms(${w.toMs})` : 'true'),
};

// SQLite reads the ccanalytics store: integer ids into `strings`, compared and grouped as ids
// and decoded only for the rows that are returned, which is how one would write it by hand.
const sqliteIdOf = (value) => `(SELECT id FROM strings WHERE value = ${sqlString(value)})`;
const sqlite = {
  name: 'sqlite',
  isEvent: (name) => `e.event_name_id = ${sqliteIdOf(name)}`,
  countWhere: (cond) => `count(CASE WHEN ${cond} THEN 1 END)`,
  sumWhere: (expr, cond) => `total(CASE WHEN ${cond} THEN ${expr} END)`,
  ratio: (num, den) => `(${num}) * 1.0 / nullif(${den}, 0)`,
  session: 'e.session_id',
  user: 'e.user_id',
  accepted: `e.decision_id = ${sqliteIdOf('accept')}`,
  succeeded: 'e.success = 1',
  timeMs: 'e.time_ms',
  floorTo: (ms, step) => `(${ms} / ${step}) * ${step}`,
  windowCondition: (w) => (w ? `e.time_ms >= ${w.fromMs} AND e.time_ms < ${w.toMs}` : '1'),
};

// The metric set of docs/api.md as aggregate columns over the rows of a group.
function baseMetrics(d) {
  const api = d.isEvent('api_request');
  const counts = kEventNames.map((n) => `${d.countWhere(d.isEvent(n))} AS ${n}s`);
  const sums = ['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_creation_tokens', 'cost_usd'].map(
    (c) => `${d.sumWhere(d === sqlite ? `e.${c}` : c, api)} AS ${c}`);
  const decided = d.isEvent('tool_decision');
  const resulted = d.isEvent('tool_result');
  return [
    'count(*) AS events',
    `count(DISTINCT ${d.session}) AS sessions`,
    `count(DISTINCT ${d.user}) AS users`,
    ...counts,
    ...sums,
    `${d.countWhere(`${decided} AND ${d.accepted}`)} AS accepted_decisions`,
    `${d.countWhere(`${resulted} AND ${d.succeeded}`)} AS successful_results`,
  ].join(',\n  ');
}

// The rates and ratios derived from baseMetrics, selected from a subquery aliased `m`.
function derivedMetrics(d) {
  const r = d.ratio;
  return [
    `${r('m.accepted_decisions', 'm.tool_decisions')} AS tool_accept_rate`,
    `${r('m.successful_results', 'm.tool_results')} AS tool_success_rate`,
    `${r('m.api_errors', 'm.api_requests + m.api_errors')} AS api_error_rate`,
    `${r('m.cost_usd', 'm.sessions')} AS cost_per_session`,
    `${r('m.cost_usd * 1000', 'm.output_tokens')} AS cost_per_1k_output_tokens`,
    `${r('m.cache_read_tokens', 'm.cache_read_tokens + m.cache_creation_tokens + m.input_tokens')} AS cache_hit_ratio`,
    `${r('m.input_tokens + m.output_tokens + m.cache_read_tokens + m.cache_creation_tokens', 'm.user_prompts')} AS tokens_per_prompt`,
  ].join(',\n  ');
}

function eventsTable(d) {
  return d === sqlite ? 'events e' : 'events';
}

// The practice of an event's user: the directory row, else the resource hint, else Unknown.
// DuckDB's table already holds it; the SQLite store resolves it through the employees table.
function sqlitePracticeJoin() {
  return `LEFT JOIN strings u ON u.id = e.user_id
LEFT JOIN employees emp ON emp.email = u.value
LEFT JOIN strings ph ON ph.id = e.practice_hint_id`;
}
const sqlitePractice = "coalesce(emp.practice, nullif(ph.value, ''), 'Unknown')";

function summary(d, w) {
  const where = d.windowCondition(w);
  return `SELECT m.*, ${derivedMetrics(d)}
FROM (SELECT ${baseMetrics(d)},
  min(${d.timeMs}) AS first_event, max(${d.timeMs}) AS last_event
  FROM ${eventsTable(d)} WHERE ${where}) m`;
}

// Rows per value of a dimension, events without it left out, largest first, ties by key.
function breakdown(dimension) {
  return (d, w) => {
    const where = d.windowCondition(w);
    if (d === duckdb) {
      const column = { practice: 'practice', model: 'model', tool: 'tool', email: 'user_key' }[dimension];
      return `SELECT m.*, ${derivedMetrics(d)}
FROM (SELECT ${column} AS key, ${baseMetrics(d)}
  FROM events WHERE ${where} AND ${column} IS NOT NULL GROUP BY ${column}) m
ORDER BY m.events DESC, m.key`;
    }
    if (dimension === 'practice') {
      return `SELECT m.*, ${derivedMetrics(d)}
FROM (SELECT ${sqlitePractice} AS key, ${baseMetrics(d)}
  FROM events e ${sqlitePracticeJoin()} WHERE ${where} GROUP BY key) m
ORDER BY m.events DESC, m.key`;
    }
    const idColumn = { model: 'e.model_id', tool: 'e.tool_id', email: 'e.user_id' }[dimension];
    return `SELECT (SELECT value FROM strings WHERE id = m.key_id) AS key, m.*, ${derivedMetrics(d)}
FROM (SELECT ${idColumn} AS key_id, ${baseMetrics(d)}
  FROM events e WHERE ${where} AND ${idColumn} IS NOT NULL GROUP BY ${idColumn}) m
ORDER BY m.events DESC, key`;
  };
}

// Dense buckets from the first to the last of the window, else of the data.
function timeseries(bucket) {
  const step = bucket === 'day' ? kMsPerDay : kMsPerHour;
  return (d, w) => {
    const where = d.windowCondition(w);
    const bounds = w
      ? `SELECT ${Math.floor(w.fromMs / step) * step} AS lo, ${Math.floor((w.toMs - 1) / step) * step} AS hi`
      : 'SELECT min(t) AS lo, max(t) AS hi FROM agg';
    const buckets = d === duckdb
      ? `SELECT unnest(range(lo, hi + 1, ${step})) AS t FROM bounds`
      : `SELECT lo AS t, hi FROM bounds WHERE lo IS NOT NULL
         UNION ALL SELECT t + ${step}, hi FROM buckets WHERE t + ${step} <= hi`;
    return `WITH RECURSIVE agg AS (
  SELECT m.*, ${derivedMetrics(d)}
  FROM (SELECT ${d.floorTo(d.timeMs, step)} AS t, ${baseMetrics(d)}
    FROM ${eventsTable(d)} WHERE ${where} GROUP BY 1) m),
bounds AS (${bounds}),
buckets AS (${buckets})
SELECT buckets.t AS bucket_start, agg.* FROM buckets LEFT JOIN agg ON agg.t = buckets.t
ORDER BY buckets.t`;
  };
}

// 168 cells: weekday (Monday 0) by hour of day, UTC.
function heatmap(d, w) {
  const where = d.windowCondition(w);
  const weekday = d === duckdb ? 'isodow(ts) - 1' : `((e.time_ms / ${kMsPerDay}) + 3) % 7`;
  const hour = d === duckdb ? 'hour(ts)' : `(e.time_ms / ${kMsPerHour}) % 24`;
  const grid = d === duckdb
    ? 'SELECT w.range AS weekday, h.range AS hour FROM range(7) w, range(24) h'
    : `WITH RECURSIVE n(v) AS (SELECT 0 UNION ALL SELECT v + 1 FROM n WHERE v < 23)
       SELECT w.v AS weekday, h.v AS hour FROM n w, n h WHERE w.v < 7`;
  return `SELECT grid.weekday, grid.hour, agg.*
FROM (${grid}) grid
LEFT JOIN (SELECT m.*, ${derivedMetrics(d)}
  FROM (SELECT ${weekday} AS wd, ${hour} AS hr, ${baseMetrics(d)}
    FROM ${eventsTable(d)} WHERE ${where} GROUP BY 1, 2) m) agg
  ON agg.wd = grid.weekday AND agg.hr = grid.hour
ORDER BY grid.weekday, grid.hour`;
}

// The first page of sessions, newest first, with the total.
function sessionsPage(d, w) {
  const where = d.windowCondition(w);
  if (d === duckdb) {
    return `SELECT m.*, epoch(m.session_end - m.session_start) AS duration_s, ${derivedMetrics(d)},
  count(*) OVER () AS total
FROM (SELECT session_id, min(user_key) AS email, min(practice) AS practice,
  min(ts) AS session_start, max(ts) AS session_end, ${baseMetrics(d)}
  FROM events WHERE ${where} GROUP BY session_id) m
ORDER BY m.session_start DESC, m.session_id LIMIT ${kPageSize}`;
  }
  return `SELECT s.value AS session_id, u.value AS email, ${sqlitePractice} AS practice,
  (m.session_end - m.session_start) / 1000.0 AS duration_s, m.*, ${derivedMetrics(d)}
FROM (SELECT e.session_id AS session_key, min(e.user_id) AS user_key,
  min(e.practice_hint_id) AS practice_hint_id,
  min(e.time_ms) AS session_start, max(e.time_ms) AS session_end, ${baseMetrics(d)},
  count(*) OVER () AS total
  FROM events e WHERE ${where} GROUP BY e.session_id
  ORDER BY session_start DESC LIMIT ${kPageSize}) m
JOIN strings s ON s.id = m.session_key
JOIN strings u ON u.id = m.user_key
LEFT JOIN employees emp ON emp.email = u.value
LEFT JOIN strings ph ON ph.id = m.practice_hint_id
ORDER BY m.session_start DESC, s.value`;
}

// Exact nearest-rank percentiles of api_request duration per model.
function latencyByModel(d, w) {
  const where = `${d.windowCondition(w)} AND ${d.isEvent('api_request')}`;
  if (d === duckdb) {
    const quantiles = kPercentiles.map(
      (p) => `quantile_disc(duration_ms, ${p}) AS p${Math.round(p * 100)}`).join(', ');
    return `SELECT model AS key, count(*) AS count, avg(duration_ms) AS mean, ${quantiles},
  max(duration_ms) AS max
FROM events WHERE ${where} AND model IS NOT NULL AND duration_ms IS NOT NULL
GROUP BY model ORDER BY model`;
  }
  // rn >= p * n picks the same row as rn = ceil(p * n): SQLite 3.40 has no percentile.
  const quantiles = kPercentiles.map(
    (p) => `min(CASE WHEN rn >= ${p} * n THEN duration_ms END) AS p${Math.round(p * 100)}`).join(', ');
  return `SELECT (SELECT value FROM strings WHERE id = r.model_id) AS key, max(n) AS count,
  avg(duration_ms) AS mean, ${quantiles}, max(duration_ms) AS max
FROM (SELECT e.model_id, e.duration_ms,
  row_number() OVER (PARTITION BY e.model_id ORDER BY e.duration_ms) AS rn,
  count(*) OVER (PARTITION BY e.model_id) AS n
  FROM events e WHERE ${where} AND e.model_id IS NOT NULL AND e.duration_ms IS NOT NULL) r
GROUP BY r.model_id ORDER BY key`;
}

// The first page of users by cost, with the directory columns and the total.
function usersPage(d, w) {
  const where = d.windowCondition(w);
  const dayIndex = d === duckdb ? "date_trunc('day', ts)" : `e.time_ms / ${kMsPerDay}`;
  if (d === duckdb) {
    return `SELECT m.*, ${derivedMetrics(d)}, count(*) OVER () AS total
FROM (SELECT user_key AS email, min(full_name) AS full_name, min(practice) AS practice,
  min(level) AS level, min(location) AS location, min(ts) AS first_seen, max(ts) AS last_seen,
  count(DISTINCT ${dayIndex}) AS active_days, ${baseMetrics(d)}
  FROM events WHERE ${where} GROUP BY user_key) m
ORDER BY m.cost_usd DESC, m.email LIMIT ${kPageSize}`;
  }
  return `SELECT u.value AS email, emp.full_name, ${sqlitePractice} AS practice,
  coalesce(emp.level, 'Unknown') AS level, coalesce(emp.location, 'Unknown') AS location,
  m.*, ${derivedMetrics(d)}
FROM (SELECT e.user_id AS user_key, min(e.practice_hint_id) AS practice_hint_id,
  min(e.time_ms) AS first_seen, max(e.time_ms) AS last_seen,
  count(DISTINCT ${dayIndex}) AS active_days, ${baseMetrics(d)}, count(*) OVER () AS total
  FROM events e WHERE ${where} GROUP BY e.user_id
  ORDER BY cost_usd DESC LIMIT ${kPageSize}) m
JOIN strings u ON u.id = m.user_key
LEFT JOIN employees emp ON emp.email = u.value
LEFT JOIN strings ph ON ph.id = m.practice_hint_id
ORDER BY m.cost_usd DESC, u.value`;
}

export const questions = [
  { id: 'summary', path: '/api/v1/summary', sql: summary },
  { id: 'breakdown practice', path: '/api/v1/breakdown?by=practice', sql: breakdown('practice') },
  { id: 'breakdown model', path: '/api/v1/breakdown?by=model', sql: breakdown('model') },
  { id: 'breakdown tool', path: '/api/v1/breakdown?by=tool', sql: breakdown('tool') },
  { id: 'breakdown email', path: '/api/v1/breakdown?by=email', sql: breakdown('email') },
  { id: 'timeseries day', path: '/api/v1/timeseries?bucket=day', sql: timeseries('day') },
  { id: 'timeseries hour', path: '/api/v1/timeseries?bucket=hour', sql: timeseries('hour') },
  { id: 'heatmap', path: '/api/v1/heatmap', sql: heatmap },
  { id: 'sessions page', path: `/api/v1/sessions?limit=${kPageSize}`, sql: sessionsPage },
  { id: 'latency by model', path: '/api/v1/latency?by=model', sql: latencyByModel },
  { id: 'users page', path: `/api/v1/users?limit=${kPageSize}`, sql: usersPage },
];

export const dialects = { duckdb, sqlite };

// The filter variants every question is asked with. `window` is the 14-day filter's days.
export function variants(window) {
  return [
    { id: 'all', window: null, query: '' },
    { id: '14d', window, query: `from=${window.fromDay}&to=${window.toDay}` },
  ];
}

// The filtered variant asks about the last 14 UTC days of the data, the day of the last
// event included.
const kFilterDays = 14;
export function filterWindow(lastEventMs, days = kFilterDays) {
  const toDayStart = Math.floor(lastEventMs / kMsPerDay) * kMsPerDay;
  const fromMs = toDayStart - (days - 1) * kMsPerDay;
  const day = (ms) => new Date(ms).toISOString().slice(0, 10);
  return { fromDay: day(fromMs), toDay: day(toDayStart), fromMs, toMs: toDayStart + kMsPerDay };
}

export function withQuery(path, query) {
  if (!query) return path;
  return path + (path.includes('?') ? '&' : '?') + query;
}

// What the benchmark compares between systems to know they answered the same question: the
// number of rows (buckets, cells) and the events they cover (requests, for latency).
export function answerDigest(rows) {
  const covered = rows.reduce((sum, row) => sum + Number(row.events ?? row.count ?? 0), 0);
  return { rows: rows.length, events: covered };
}

// The rows of an HTTP answer: the list it carries, or the answer itself for the summary.
export function answerRows(body) {
  return body.rows ?? body.points ?? body.cells ?? [body];
}
