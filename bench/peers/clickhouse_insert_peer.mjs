// ClickHouse as a peer of ccanalytics' live ingest: the same telemetry events, flattened into
// rows beforehand, are POSTed to a throwaway ClickHouse server (Debian's 18.16) over HTTP by
// concurrent inserters, and only those inserts are timed.
//
//   node clickhouse_insert_peer.mjs --telemetry JSONL [--concurrency 8] [--batch 512] [--work DIR]
//
// JSONL is a decompressed CloudWatch-batch telemetry file. The scratch folder (the server's
// config, data and logs) is made inside DIR (default: $TMPDIR or /tmp) and removed on exit,
// with the server stopped, whatever the outcome. DIR's filesystem counts: every insert writes
// a new MergeTree part of about 60 files, and creating them is much of ClickHouse's work.
//
// Progress goes to stderr; stdout gets one JSON object: {"system", "version", "events",
// "batches", "concurrency", "batch_size", "seconds", "events_per_second", "cpu_seconds",
// "events_per_cpu_second"}. cpu_seconds is the server's user + system CPU time over the timed
// inserts (from /proc/<pid>/stat): it includes the background merges of the small parts that
// run meanwhile, not those still running when the last insert is answered.

import { execFileSync, spawn } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdtempSync, openSync, readFileSync, rmSync,
  writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

// Debian installs the server under sbin, which is not on every user's PATH.
const kServerBinary = ['/usr/bin/clickhouse-server', '/usr/sbin/clickhouse-server']
  .find((path) => existsSync(path)) ?? 'clickhouse-server';
const kInsertPath = `/?query=${encodeURIComponent('INSERT INTO events FORMAT JSONEachRow')}`;

// Attributes promoted to columns of their own, by type. The rest of the attributes go, as a
// JSON object, into the `attributes` column: 18.16 has no Map type and no JSONExtract, so a
// fair user keeps what the dashboards group and sum by in columns and the tail as text.
const kTextColumns = new Map([
  ['event.name', 'event_name'], ['session.id', 'session_id'], ['user.email', 'user_email'],
  ['user.id', 'user_id'], ['organization.id', 'organization_id'],
  ['terminal.type', 'terminal_type'], ['model', 'model'], ['tool_name', 'tool_name'],
  ['decision', 'decision'], ['status_code', 'status_code'], ['error', 'error'],
]);
const kIntegerColumns = new Map([
  ['prompt_length', 'prompt_length'], ['input_tokens', 'input_tokens'],
  ['output_tokens', 'output_tokens'], ['cache_read_tokens', 'cache_read_tokens'],
  ['cache_creation_tokens', 'cache_creation_tokens'], ['duration_ms', 'duration_ms'],
]);
const kResourceColumns = new Map([
  ['service.version', 'service_version'], ['os.type', 'os_type'], ['host.arch', 'host_arch'],
  ['user.practice', 'practice'],
]);
// The prompt text is not stored; event.timestamp becomes time_ms and day.
const kDropped = new Set(['prompt', 'event.timestamp']);

// 18.16 has no DateTime64: time is epoch milliseconds, with a Date beside it to partition by.
const kCreateTable = `
CREATE TABLE events (
  event_id String, time_ms UInt64, day Date, event_name String, session_id String,
  user_email String, user_id String, organization_id String, terminal_type String,
  model String, tool_name String, decision String, success UInt8, status_code String,
  error String, prompt_length UInt32, cost_usd Float64, input_tokens UInt64,
  output_tokens UInt64, cache_read_tokens UInt64, cache_creation_tokens UInt64,
  duration_ms UInt64, service_version String, os_type String, host_arch String,
  practice String, attributes String
) ENGINE = MergeTree PARTITION BY toYYYYMM(day) ORDER BY (event_name, time_ms)`;

function log(message) {
  process.stderr.write(`[clickhouse-insert ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

// One JSONEachRow line for a CloudWatch log event. Absent attributes are left out of the row,
// and ClickHouse stores its type's default ('' or 0) for them.
function flatten(logEvent) {
  const { body, attributes = {}, resource = {} } = JSON.parse(logEvent.message);
  const stamp = Date.parse(attributes['event.timestamp']);
  const timeMs = Number.isNaN(stamp) ? logEvent.timestamp : stamp;
  const row = { event_id: logEvent.id, time_ms: timeMs,
    day: new Date(timeMs).toISOString().slice(0, 10) };
  const rest = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (kTextColumns.has(key)) {
      row[kTextColumns.get(key)] = value;
    } else if (kIntegerColumns.has(key)) {
      const number = Math.round(Number(value));
      if (value !== '' && Number.isFinite(number)) row[kIntegerColumns.get(key)] = number;
    } else if (key === 'cost_usd') {
      const number = Number(value);
      if (value !== '' && Number.isFinite(number)) row.cost_usd = number;
    } else if (key === 'success') {
      row.success = value === 'true' ? 1 : 0;
    } else if (!kDropped.has(key)) {
      rest[key] = value;
    }
  }
  row.event_name ??= String(body ?? '').replace(/^claude_code\./, '');
  for (const [key, column] of kResourceColumns) {
    if (resource[key] !== undefined) row[column] = resource[key];
  }
  row.attributes = JSON.stringify(rest);
  return JSON.stringify(row);
}

// Every event of the file as ready-to-send insert bodies of `batchSize` rows, in file order.
// Held in memory, so the timed part reads no file and the pages are already touched.
async function prepareBatches(telemetry, batchSize) {
  const batches = [];
  let rows = [];
  let events = 0;
  const flush = () => {
    batches.push(Buffer.from(`${rows.join('\n')}\n`));
    rows = [];
  };
  const lines = createInterface({ input: createReadStream(telemetry), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    for (const logEvent of JSON.parse(line).logEvents ?? []) {
      rows.push(flatten(logEvent));
      events += 1;
      if (rows.length === batchSize) flush();
    }
  }
  if (rows.length > 0) flush();
  return { batches, events };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// The smallest configuration 18.16 runs with, everything under `dir`, on loopback only; no
// interserver port (no replication) and no system log tables.
function writeConfig(dir, httpPort, tcpPort) {
  writeFileSync(join(dir, 'config.xml'), `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>${dir}/server.log</log>
    <errorlog>${dir}/server.err.log</errorlog>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>5368709120</mark_cache_size>
</yandex>
`);
  writeFileSync(join(dir, 'users.xml'), `<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>::1</ip><ip>127.0.0.1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default></default></quotas>
</yandex>
`);
}

// request(port, path, body, agent): POSTs body (GETs when it is null) and resolves to
// {status, text}.
function request(port, path, body, agent) {
  return new Promise((resolve, reject) => {
    const method = body === null ? 'GET' : 'POST';
    const headers = body === null ? {} : { 'Content-Length': Buffer.byteLength(body) };
    const outgoing = http.request({ host: '127.0.0.1', port, path, method, agent, headers },
      (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode,
        text: Buffer.concat(chunks).toString() }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body ?? undefined);
  });
}

async function query(port, sql) {
  const { status, text } = await request(port, '/', sql);
  if (status !== 200) throw new Error(`ClickHouse answered ${status} to ${sql.trim()}: ${text}`);
  return text.trim();
}

async function ping(port) {
  try {
    return (await request(port, '/ping', null)).text === 'Ok.\n';
  } catch {
    return false;
  }
}

// Starts the server and resolves to its process once /ping answers "Ok.".
async function startServer(dir) {
  const [httpPort, tcpPort] = [await freePort(), await freePort()];
  writeConfig(dir, httpPort, tcpPort);
  const output = openSync(join(dir, 'stdout.log'), 'w');
  const server = spawn(kServerBinary, [`--config-file=${dir}/config.xml`],
    { cwd: dir, stdio: ['ignore', output, output] });
  closeSync(output);
  let failure = null;
  server.once('error', (error) => (failure = error));
  server.once('exit', (code, signal) => (failure ??= new Error(`exited (${code ?? signal})`)));
  const started = performance.now();
  while (!(await ping(httpPort))) {
    if (failure || performance.now() - started > 60000) {
      const logs = ['stdout.log', 'server.err.log'].map((name) => join(dir, name))
        .filter((path) => existsSync(path)).map((path) => readFileSync(path, 'utf8')).join('');
      throw new Error(`clickhouse-server did not answer /ping: ${failure ?? 'timed out'}\n${logs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  log(`clickhouse-server ${server.pid} answered /ping after ${Math.round(performance.now() - started)} ms`);
  return { server, port: httpPort };
}

function stopServer(server) {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => server.kill('SIGKILL'), 10000);
    server.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    server.kill('SIGTERM');
  });
}

// User + system CPU seconds the process (all its threads) has used so far: fields 14 and 15
// of /proc/<pid>/stat, counted after the parenthesised command name, which may hold spaces.
const kTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString());
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / kTicksPerSecond;
}

// Each inserter keeps one connection alive and takes the next unsent batch until none is left.
async function insertAll(port, batches, concurrency) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const inserter = async () => {
    while (next < batches.length) {
      const index = next++;
      const { status, text } = await request(port, kInsertPath, batches[index], agent);
      if (status !== 200) throw new Error(`insert of batch ${index} answered ${status}: ${text}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, inserter));
  } finally {
    agent.destroy();
  }
}

async function measure(options, scratch, cleanups) {
  const concurrency = Number(options.concurrency);
  const batchSize = Number(options.batch);
  let started = performance.now();
  const { batches, events } = await prepareBatches(options.telemetry, batchSize);
  const bytes = batches.reduce((sum, batch) => sum + batch.length, 0);
  log(`flattened ${events} events into ${batches.length} batches of ${batchSize} ` +
    `(${(bytes / 1e6).toFixed(1)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s (untimed)`);

  const { server, port } = await startServer(scratch);
  cleanups.push(() => stopServer(server));
  const version = await query(port, 'SELECT version()');
  await query(port, kCreateTable);

  log(`inserting with ${concurrency} concurrent inserters (timed)`);
  const clientBefore = process.cpuUsage();
  const cpuBefore = cpuSeconds(server.pid);
  started = performance.now();
  await insertAll(port, batches, concurrency);
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  const client = process.cpuUsage(clientBefore);
  log(`inserted in ${seconds.toFixed(2)} s; server CPU ${cpu.toFixed(2)} s, this client's ` +
    `CPU ${((client.user + client.system) / 1e6).toFixed(2)} s; load ${readFileSync('/proc/loadavg', 'utf8').trim()}`);

  const stored = Number(await query(port, 'SELECT count() FROM events'));
  if (stored !== events) throw new Error(`ClickHouse holds ${stored} rows, ${events} were sent`);
  return {
    system: 'clickhouse', version, events, batches: batches.length, concurrency,
    batch_size: batchSize, seconds: Number(seconds.toFixed(3)),
    events_per_second: Math.round(events / seconds), cpu_seconds: Number(cpu.toFixed(2)),
    events_per_cpu_second: cpu > 0 ? Math.round(events / cpu) : null,
  };
}

const { values: options } = parseArgs({
  options: {
    telemetry: { type: 'string' },
    concurrency: { type: 'string', default: '8' },
    batch: { type: 'string', default: '512' },
    work: { type: 'string', default: process.env.TMPDIR || tmpdir() },
  },
});
const positive = (text) => Number.isInteger(Number(text)) && Number(text) >= 1;
if (!options.telemetry || !positive(options.concurrency) || !positive(options.batch)) {
  console.error('usage: clickhouse_insert_peer.mjs --telemetry JSONL [--concurrency 8] ' +
    '[--batch 512] [--work DIR]');
  process.exit(2);
}

// Cleanup runs however the run ends: success, a thrown error, or SIGINT/SIGTERM.
const scratch = mkdtempSync(join(options.work, 'clickhouse-insert.'));
const cleanups = [() => rmSync(scratch, { recursive: true, force: true })];
async function cleanup() {
  while (cleanups.length > 0) await cleanups.pop()();
}
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.once(signal, () => cleanup().finally(() => process.exit(code)));
}
try {
  console.log(JSON.stringify(await measure(options, scratch, cleanups)));
} catch (error) {
  log(`failed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
