// DuckDB as a peer of ccanalytics: loads the same telemetry file into a table with the inner
// `message` JSON extracted into typed columns, then answers the same dashboard questions in SQL.
//
//   node duckdb_peer.mjs ingest  --db FILE --telemetry JSONL --employees CSV [--threads 2]
//   node duckdb_peer.mjs queries --db FILE --window JSON [--repetitions N] [--threads 2]
//   node duckdb_peer.mjs window  --db FILE     (the 14-day filter window ending at the data's end)
//
// Each prints one JSON object on stdout. Ingest rebuilds the database file from nothing.

import { existsSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { DuckDBInstance } from '@duckdb/node-api';

import { answerDigest, dialects, filterWindow, questions, variants } from '../lib/questions.mjs';
import { median } from '../lib/stats.mjs';

// Attributes pulled out of `message`, in one json_extract_string call so each message is
// parsed once. The index of a path in this list is its position (1-based) in the result.
const kPaths = {
  body: '$.body',
  eventName: '$.attributes."event.name"',
  eventTimestamp: '$.attributes."event.timestamp"',
  session: '$.attributes."session.id"',
  email: '$.attributes."user.email"',
  uid: '$.attributes."user.id"',
  terminal: '$.attributes."terminal.type"',
  model: '$.attributes.model',
  tool: '$.attributes.tool_name',
  decision: '$.attributes.decision',
  success: '$.attributes.success',
  statusCode: '$.attributes.status_code',
  error: '$.attributes.error',
  inputTokens: '$.attributes.input_tokens',
  outputTokens: '$.attributes.output_tokens',
  cacheReadTokens: '$.attributes.cache_read_tokens',
  cacheCreationTokens: '$.attributes.cache_creation_tokens',
  costUsd: '$.attributes.cost_usd',
  durationMs: '$.attributes.duration_ms',
  promptLength: '$.attributes.prompt_length',
  attempt: '$.attributes.attempt',
  practiceHint: '$.resource."user.practice"',
  version: '$.resource."service.version"',
  osType: '$.resource."os.type"',
};

function sqlString(text) {
  return `'${String(text).replaceAll("'", "''")}'`;
}

function ingestSql(telemetry, employees) {
  const names = Object.keys(kPaths);
  const pathList = names.map((n) => sqlString(kPaths[n])).join(', ');
  const v = (name) => `v[${names.indexOf(name) + 1}]`;
  const text = (name) => `nullif(${v(name)}, '')`;
  const number = (name) => `try_cast(${v(name)} AS DOUBLE)`;
  return `
CREATE TABLE employees AS
  SELECT lower(trim(email)) AS email, full_name, practice, level, location
  FROM read_csv(${sqlString(employees)}, header = true, all_varchar = true);
CREATE TABLE events AS
WITH log_events AS (
  SELECT unnest(logEvents) AS le
  FROM read_json(${sqlString(telemetry)}, format = 'newline_delimited',
    columns = {logEvents: 'STRUCT(id VARCHAR, "timestamp" BIGINT, message VARCHAR)[]'})
), extracted AS (
  SELECT le.id AS id, le."timestamp" AS epoch, json_extract_string(le.message, [${pathList}]) AS v
  FROM log_events
), typed AS (
  SELECT id,
    coalesce(try_cast(${v('eventTimestamp')} AS TIMESTAMPTZ)::TIMESTAMP, epoch_ms(epoch)) AS ts,
    coalesce(${text('eventName')}, regexp_replace(${v('body')}, '^claude_code\\.', '')) AS event_name,
    ${v('session')} AS session_id,
    coalesce(nullif(lower(trim(${v('email')})), ''), ${text('uid')}) AS user_key,
    ${text('terminal')} AS terminal, ${text('model')} AS model, ${text('tool')} AS tool,
    ${text('decision')} AS decision, ${v('success')} = 'true' AS success,
    ${text('statusCode')} AS status_code, ${text('error')} AS error,
    ${number('inputTokens')} AS input_tokens, ${number('outputTokens')} AS output_tokens,
    ${number('cacheReadTokens')} AS cache_read_tokens,
    ${number('cacheCreationTokens')} AS cache_creation_tokens,
    ${number('costUsd')} AS cost_usd, ${number('durationMs')} AS duration_ms,
    ${number('promptLength')} AS prompt_length, ${number('attempt')} AS attempt,
    ${text('practiceHint')} AS practice_hint, ${text('version')} AS version,
    ${text('osType')} AS os_type
  FROM extracted
)
SELECT typed.* EXCLUDE (practice_hint),
  coalesce(emp.practice, typed.practice_hint, 'Unknown') AS practice,
  coalesce(emp.level, 'Unknown') AS level, coalesce(emp.location, 'Unknown') AS location,
  emp.full_name
FROM typed LEFT JOIN employees emp ON emp.email = typed.user_key;
CHECKPOINT;`;
}

async function connect(dbPath, threads) {
  const instance = await DuckDBInstance.create(dbPath, { threads: String(threads) });
  return { instance, connection: await instance.connect() };
}

async function ingest(options) {
  for (const path of [options.db, `${options.db}.wal`]) if (existsSync(path)) rmSync(path);
  const started = performance.now();
  const { connection } = await connect(options.db, options.threads);
  await connection.run(ingestSql(options.telemetry, options.employees));
  const seconds = (performance.now() - started) / 1000;
  const reader = await connection.runAndReadAll('SELECT count(*)::INTEGER AS events FROM events');
  const [{ events }] = reader.getRowObjectsJson();
  connection.closeSync();
  return { events, seconds };
}

async function queries(options) {
  const window = JSON.parse(options.window);
  const repetitions = Number(options.repetitions);
  const { connection } = await connect(options.db, options.threads);
  const results = [];
  let summary = null;
  for (const question of questions) {
    for (const variant of variants(window)) {
      const sql = question.sql(dialects.duckdb, variant.window);
      const timings = [];
      let rows = [];
      // The first run reads the table's blocks into DuckDB's buffer pool; it is not counted.
      for (let i = 0; i <= repetitions; i++) {
        const started = performance.now();
        const reader = await connection.runAndReadAll(sql);
        rows = reader.getRowObjectsJson();
        if (i > 0) timings.push(performance.now() - started);
      }
      if (question.id === 'summary' && variant.id === 'all') summary = rows[0];
      results.push({ question: question.id, variant: variant.id, answer: answerDigest(rows),
        median_ms: median(timings) });
    }
  }
  connection.closeSync();
  return { summary, results };
}

async function window(options) {
  const { connection } = await connect(options.db, options.threads);
  const reader = await connection.runAndReadAll(
    'SELECT epoch_ms(max(ts)) AS last_event_ms, version() AS version FROM events');
  const [{ last_event_ms: lastEventMs, version }] = reader.getRowObjectsJson();
  connection.closeSync();
  return { window: filterWindow(Number(lastEventMs)), version };
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    db: { type: 'string' },
    telemetry: { type: 'string' },
    employees: { type: 'string' },
    window: { type: 'string' },
    repetitions: { type: 'string', default: '20' },
    threads: { type: 'string', default: '2' },
  },
});
const commands = { ingest, queries, window };
const command = commands[positionals[0]];
if (!command || !values.db) {
  console.error('usage: duckdb_peer.mjs ingest|queries --db FILE ...');
  process.exit(2);
}
console.log(JSON.stringify(await command(values)));
