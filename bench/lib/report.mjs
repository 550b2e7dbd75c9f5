// Renders the figures bench/run.sh recorded (one JSON object per line) as a Markdown report:
// the machine, then ingest, server and query tables with medians and ratios against the peers.
//
//   node report.mjs RESULTS.jsonl

import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

import { questions } from './questions.mjs';
import { median } from './stats.mjs';

const records = readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const meta = Object.assign({}, ...records.filter((r) => r.kind === 'meta'));
const of = (kind, filter = {}) => records.filter(
  (r) => r.kind === kind && Object.entries(filter).every(([k, v]) => r[k] === v));

function shell(command) {
  try {
    return execSync(command, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const fixed = (value, digits) => (value == null || Number.isNaN(value) ? '–' : value.toFixed(digits));
const ms = (value) => (value == null ? '–' : value < 10 ? value.toFixed(2) : value.toFixed(1));
const mb = (kb) => fixed(kb / 1024, 0);
const thousands = (n) => (n == null ? '–' : Math.round(n).toLocaleString('en-US'));
// "3.2x": how many times longer the peer took than ccanalytics.
const ratio = (peer, ours) => (peer == null || !ours ? '–' : `${(peer / ours).toFixed(1)}x`);
const table = (header, rows) => [
  `| ${header.join(' | ')} |`,
  `| ${header.map(() => '---').join(' | ')} |`,
  ...rows.map((row) => `| ${row.join(' | ')} |`),
].join('\n');

function machine() {
  const model = shell("lscpu | sed -n 's/^Model name: *//p' | head -n 1");
  const memKb = Number(shell("awk '/^MemTotal:/ { print $2 }' /proc/meminfo"));
  return `${model}, ${cpus().length} cores, ${fixed(memKb / 1024 / 1024, 1)} GiB memory, ` +
    `Debian ${shell('cat /etc/debian_version')}, Linux ${shell('uname -r')}`;
}

function ingestSection(dataset) {
  const bytes = of('dataset', { dataset })[0]?.bytes;
  const runs = (system, mode) => of('ingest', { dataset, system, mode });
  const summarise = (rows) => rows.length && {
    seconds: median(rows.map((r) => r.seconds)),
    rss: median(rows.map((r) => r.peak_rss_kb)),
    events: rows[0].report.accepted ?? rows[0].report.events,
    report: rows[0].report,
    count: rows.length,
  };
  const fresh = summarise(runs('ccanalytics', 'fresh'));
  const again = summarise(runs('ccanalytics', 'again'));
  const duck = summarise(runs('duckdb', 'fresh'));
  const python = summarise(runs('python', 'parse'));
  const line = (system, what, s, ratioCell) => [system, what, fixed(s.seconds, 2),
    thousands(fresh.events / s.seconds), fixed(bytes / 1e6 / s.seconds, 0), mb(s.rss), ratioCell];
  const rows = [];
  if (fresh) rows.push(line('ccanalytics', 'ingest into a fresh store', fresh, '1.0x'));
  if (again) rows.push(line('ccanalytics', 'the same file again (all duplicates)', again, ratio(again.seconds, fresh.seconds)));
  if (duck) rows.push(line(`DuckDB ${meta.duckdb_version ?? ''}`, 'read_json, message JSON extracted into a typed table, 2 threads', duck, ratio(duck.seconds, fresh.seconds)));
  if (python) rows.push(line(`Python ${meta.python_version ?? ''}`, '`json.loads` of each line and message, nothing stored', python, ratio(python.seconds, fresh.seconds)));
  const stores = of('store', { dataset }).map((s) => `${s.system} ${fixed(s.bytes / 1e6, 0)} MB`).join(', ');
  const checks = [];
  if (fresh) {
    const r = fresh.report;
    checks.push(`ccanalytics accepted ${thousands(r.accepted)}, duplicates ${thousands(r.duplicates)}, ` +
      `rejected events ${thousands(r.rejected_events)}, rejected lines ${thousands(r.rejected_lines)}`);
  }
  if (again) checks.push(`again: accepted ${thousands(again.report.accepted)}, duplicates ${thousands(again.report.duplicates)}`);
  if (duck) checks.push(`DuckDB rows ${thousands(duck.events)}`);
  if (python) checks.push(`Python events ${thousands(python.events)}`);
  return [
    `## Ingest: ${dataset} (${fixed(bytes / 1e6, 1)} MB of JSONL), median of ${fresh?.count ?? 0} runs`,
    '',
    table(['system', 'what', 'wall s', 'events/s', 'MB/s', 'peak RSS MB', 'time ÷ ccanalytics fresh'], rows),
    '',
    `Counts: ${checks.join('; ')}. On disk after ingest: ${stores}.`,
  ].join('\n');
}

function serverSection(dataset) {
  const startups = of('startup', { dataset });
  if (!startups.length) return '';
  const rss = of('rss', { dataset }).map((r) => `${r.when} ${mb(r.rss_kb)} MB`).join(', ');
  const wrk = of('wrk', { dataset });
  const rows = [
    ['start-up to the first 200 from `/health`', `${fixed(median(startups.map((s) => s.health_ms)), 0)} ms`],
    ['start-up to the first 200 from `/api/v1/summary`', `${fixed(median(startups.map((s) => s.summary_ms)), 0)} ms`],
    ['resident memory', rss],
  ];
  if (wrk.length) {
    const errors = wrk.map((w) => w.non_2xx).reduce((a, b) => a + b, 0);
    rows.push(['`wrk -t2 -c32 -d10s /api/v1/summary`',
      `${thousands(median(wrk.map((w) => w.rps)))} req/s, p50 ${ms(median(wrk.map((w) => w.p50_ms)))} ms, ` +
      `p99 ${ms(median(wrk.map((w) => w.p99_ms)))} ms${errors ? `, ${errors} non-2xx answers` : ''}` +
      `${wrk.some((w) => w.socket_errors) ? `, ${wrk.find((w) => w.socket_errors).socket_errors}` : ''}`]);
  }
  return [`## Server: ${dataset} (median of ${startups.length} starts)`, '', table(['what', 'figure'], rows)].join('\n');
}

function liveSection() {
  const ours = (protocol) => of('live', { system: 'ccanalytics', protocol });
  const house = of('live', { system: 'clickhouse' });
  if (!ours('http/protobuf').length) return '';
  const summarise = (rows, pick) => {
    const events = rows.map((r) => pick(r).events);
    const seconds = median(rows.map((r) => pick(r).seconds));
    const cpu = median(rows.map((r) => pick(r).cpu));
    return { events: events[0], seconds, cpu, perSecond: events[0] / seconds, perCpu: events[0] / cpu, rows };
  };
  const ourFigures = (r) => ({ events: r.replay.records_sent, seconds: r.replay.seconds, cpu: r.cpu_seconds });
  const baseline = summarise(ours('http/protobuf'), ourFigures);
  const line = (system, what, s, questions) => [system, what, fixed(s.seconds, 2), thousands(s.perSecond),
    fixed(s.cpu, 2), thousands(s.perCpu), ratio(s.seconds, baseline.seconds), questions];
  const questionsCell = (rows) => {
    const q = rows.map((r) => r.questions);
    const bad = q.reduce((a, x) => a + x.non_200, 0);
    return `p50 ${ms(median(q.map((x) => x.p50_ms)))}, p99 ${ms(median(q.map((x) => x.p99_ms)))}, ` +
      `max ${ms(Math.max(...q.map((x) => x.max_ms)))} ms over ${thousands(median(q.map((x) => x.requests)))} ` +
      `requests${bad ? `, **${bad} not 200**` : ''}`;
  };
  const rows = [line('ccanalytics', 'OTLP/HTTP protobuf `POST /v1/logs`', baseline, questionsCell(baseline.rows))];
  if (ours('grpc').length) {
    const grpc = summarise(ours('grpc'), ourFigures);
    rows.push(line('ccanalytics', 'OTLP/gRPC `LogsService/Export`', grpc, questionsCell(grpc.rows)));
  }
  if (house.length) {
    const ch = summarise(house, (r) => ({ events: r.data.events, seconds: r.data.seconds, cpu: r.data.cpu_seconds }));
    rows.push(line(`ClickHouse ${house[0].data.version}`, 'HTTP `INSERT ... FORMAT JSONEachRow`, MergeTree', ch, '–'));
  }
  const stored = of('live', { system: 'ccanalytics' }).map((r) => r.stored_events);
  const sent = of('live', { system: 'ccanalytics' }).map((r) => r.replay.records_sent);
  const failures = of('live', { system: 'ccanalytics' }).reduce((a, r) => a + r.replay.failures + r.replay.retries, 0);
  return [
    `## Live ingest: ${thousands(baseline.events)} events, 8 concurrent exporters, 512 records a request, median of ${baseline.rows.length} runs`,
    '',
    'Each run starts a fresh server; `ccanalytics replay --preload` builds every request before its clock ' +
      'starts. CPU = the server\'s user + system seconds while the requests are sent (ClickHouse: its ' +
      'server\'s, background merges included). Dashboard questions: the Overview\'s and other pages\' ' +
      'unfiltered questions asked one at a time, 10 ms apart, while the ingest runs (round trip, ms).',
    '',
    table(['system', 'what', 'wall s', 'events/s', 'CPU s', 'events per CPU-second', 'time ÷ OTLP/HTTP protobuf',
      'dashboard questions meanwhile'], rows),
    '',
    `Counts: sent ${[...new Set(sent)].map(thousands).join(', ')}, answered by \`/api/v1/summary\` afterwards ` +
      `${[...new Set(stored)].map(thousands).join(', ')}; ${failures} retries or failed requests.`,
  ].join('\n');
}

const digestText = (d) => (d ? `${d.rows} rows/${thousands(d.events)} ev` : '–');
const sameDigest = (a, b) => a && b && a.rows === b.rows && a.events === b.events;

function querySection(dataset) {
  const http = of('http', { dataset })[0]?.data;
  const duck = of('duckdb_queries', { dataset })[0]?.data;
  const lite = of('sqlite_queries', { dataset })[0]?.data;
  if (!http && !duck && !lite) return '';
  const find = (source, q, v) => source?.results.find((r) => r.question === q && r.variant === v);
  const window = http?.window ?? null;
  const peersMeasured = Boolean(duck || lite);
  const rows = [];
  const duckRatios = [];
  const liteRatios = [];
  let cacheNotes = 0;
  for (const question of questions) {
    for (const variant of ['all', '14d']) {
      const h = find(http, question.id, variant);
      const d = find(duck, question.id, variant);
      const s = find(lite, question.id, variant);
      const ours = h?.uncached?.status === 200 ? h.uncached.median_ms : null;
      if (ours && d?.median_ms) duckRatios.push(d.median_ms / ours);
      if (ours && s?.median_ms) liteRatios.push(s.median_ms / ours);
      // The server says whether it answered from its cache: the uncached figures must be misses.
      if (h?.uncached?.hits || (h?.cached && h.cached.hits < h.cached.count)) cacheNotes++;
      const answers = [h?.answer, d?.answer, s?.answer].filter(Boolean);
      const agree = answers.length > 1 && answers.every((a) => sameDigest(a, answers[0]));
      let cachedCell = ms(h?.cached?.median_ms);
      if (h && h.status !== 200) cachedCell = `HTTP ${h.status}`;
      else if (h?.cached && h.cached.status !== 200) cachedCell = `HTTP ${h.cached.status}`;
      const uncachedCell = h?.uncached && h.uncached.status !== 200 ? `HTTP ${h.uncached.status}` : ms(ours);
      rows.push([question.id, variant === 'all' ? 'none' : '14 days',
        cachedCell, uncachedCell, ms(h?.uncached?.server_median_ms), ms(d?.median_ms), ms(s?.median_ms),
        ratio(d?.median_ms, ours), ratio(s?.median_ms, ours),
        agree ? `same (${digestText(answers[0])})` : answers.length > 1
          ? `differ: ccanalytics ${digestText(h?.answer)}, DuckDB ${digestText(d?.answer)}, SQLite ${digestText(s?.answer)}`
          : digestText(answers[0])]);
    }
  }
  const geomean = (xs) => (xs.length ? Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length) : null);
  const lines = [
    `## Dashboard questions: ${dataset}, median milliseconds`,
    '',
    'ccanalytics: over HTTP on loopback, one keep-alive connection, request sent to last byte read; ' +
      'cached = the same URL repeated, uncached = a URL not asked before (same meaning); ' +
      'server-side = the time the server reports in its `Server-Timing` header for the uncached ones. ' +
      (peersMeasured ? 'DuckDB: SQL in its Node client, rows read into JS. SQLite: SQL over the ccanalytics ' +
        'store in the sqlite3 shell, rows written as JSON. ' : '') + '"14 days" is ' +
      (window ? `${window.fromDay} to ${window.toDay}.` : 'the last 14 days of the data.'),
    '',
    peersMeasured
      ? table(['question', 'filter', 'ccanalytics cached', 'ccanalytics uncached', 'uncached, server-side',
        'DuckDB', 'SQLite', 'DuckDB ÷ uncached', 'SQLite ÷ uncached', 'answers'], rows)
      : table(['question', 'filter', 'ccanalytics cached', 'ccanalytics uncached', 'uncached, server-side',
        'answer'], rows.map((r) => [...r.slice(0, 5), r[9]])),
  ];
  if (cacheNotes) {
    lines.push('', `**${cacheNotes} rows: the server's Server-Timing header reported cache hits among ` +
      'the uncached requests, or misses among the cached ones.**');
  }
  const dg = geomean(duckRatios);
  const sg = geomean(liteRatios);
  if (dg || sg) {
    lines.push('', `Geometric mean over the questions of peer time / ccanalytics uncached time: ` +
      `DuckDB ${dg ? `${dg.toFixed(1)}x` : '–'}, SQLite ${sg ? `${sg.toFixed(1)}x` : '–'}.`);
  }
  return lines.join('\n');
}

function generatedSection() {
  const generate = of('generate', { dataset: 'generated-10m' })[0];
  if (!generate) return '';
  const ingest = of('ingest', { dataset: 'generated-10m' })[0];
  const events = ingest?.report.accepted;
  return [
    `## At ${fixed(events / 1e6, 2)} M generated events ` +
      `(\`ccanalytics generate --num-sessions ${generate.sessions} --num-users 1000 --days 90\`)`,
    '',
    table(['step', 'figure'], [
      ['generate', `${fixed(generate.seconds, 1)} s, ${fixed(generate.bytes / 1e9, 2)} GB of JSONL`],
      ['ingest', ingest ? `${thousands(events)} events in ${fixed(ingest.seconds, 1)} s ` +
        `(${thousands(events / ingest.seconds)} events/s), peak RSS ${mb(ingest.peak_rss_kb)} MB` : '–'],
    ]),
    '',
    serverSection('generated-10m'),
    '',
    querySection('generated-10m'),
  ].join('\n');
}

// Each forecast's backtest and cost, and what each anomaly check found, per dataset.
function insightsSection() {
  const runs = of('insights');
  if (!runs.length) return '';
  const parts = [];
  for (const { dataset: name, events, data } of runs) {
    parts.push(`## Insights: ${name} (${thousands(events)} events), median of uncached answers`, '',
      table(['forecast', 'method', 'history', 'MASE vs seasonal naive', '80 % coverage', '95 % coverage', 'ms'],
        data.forecasts.map((f) => [
          f.query, f.method, `${f.history} buckets`, f.backtest ? fixed(f.backtest.mase, 2) : '–',
          f.backtest ? `${fixed(f.backtest.coverage80 * 100, 0)} %` : '–',
          f.backtest ? `${fixed(f.backtest.coverage95 * 100, 0)} %` : '–', ms(f.ms)])),
      '',
      table(['anomalies', 'buckets', 'found (start, direction, score, explained by)', 'ms'],
        data.anomalies.map((a) => [
          a.query, String(a.buckets),
          a.found.length ? a.found.map((x) => `${x.start.slice(0, 13).replace('T00', '')} ${x.direction} ${fixed(x.score, 1)}` +
            (x.key ? ` (${x.by} ${x.key} ${fixed(x.share * 100, 0)} %)` : '')).join('; ') : 'none',
          ms(a.ms)])),
      '');
  }
  return parts.join('\n');
}

const dataset = of('dataset')[0]?.dataset;
const sections = [
  `# ccanalytics benchmark, ${meta.started ?? ''}`,
  '',
  `Machine: ${machine()}. Load average (1, 5, 15 min) at the start ${meta.load_start}, at the end ` +
    `${meta.load_end}. Commit ${meta.commit}. Node ${process.version}, wrk ${meta.wrk_version ?? '?'}.`,
  '',
  Number(meta.load_start?.split(' ')[0]) > 0.5
    ? '**The machine was busy when this run started (load average above 0.5): the figures are distorted.**'
    : 'The machine was quiet when this run started (load average at most 0.5).',
  '',
  of('stage').length ? 'Load average (1 min) as each stage began (this run\'s own processes count too; wrk drives it to ~10): ' +
    `${of('stage').map((s) => `${s.name} ${fixed(s.load, 2)}`).join(', ')}.` : '',
  '',
  ingestSection(dataset),
  '',
  liveSection(),
  '',
  serverSection(dataset),
  '',
  querySection(dataset),
  '',
  insightsSection(),
  '',
  generatedSection(),
];
console.log(sections.join('\n').replace(/\n{3,}/g, '\n\n').trim());
