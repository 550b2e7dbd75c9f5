// The dashboard questions of questions.mjs, each asked afresh (a URL the server has not answered
// before, with the same meaning) several times, for the scale curve (bench/scale.sh); then the
// rest of what the dashboard's pages ask (`panels`, no peer computes them).
//
//   node scale_questions.mjs --base http://127.0.0.1:PORT [--repetitions 5]
//
// Ranges are whole UTC days, as the dashboard asks them: "all" ends k days after the last event's
// day, the 14-day window ends k days after its last day, k the repetition (no events lie beyond
// the data, so the meaning is the same; a time series gets k empty buckets more). k counts the
// repetitions of each question alone: counted over the whole list, it reached months past the
// data by the last questions, whose series then had as many empty days (which, for the anomalies,
// made days of the data anomalous and asked for their explanations). Prints one JSON object:
// {"events", "results": [{"question", "filter", "ms": median round trip, "server_ms": median
// Server-Timing, "max_ms", "rows"}]}.

import { parseArgs } from 'node:util';

import { answerRows, filterWindow, questions, withQuery } from './questions.mjs';
import { median } from './stats.mjs';

const kMsPerDay = 86_400_000;
const day = (ms) => new Date(ms).toISOString().slice(0, 10);

async function get(base, path) {
  const started = performance.now();
  const response = await fetch(new URL(path, base));
  const body = Buffer.from(await response.arrayBuffer());
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}: ${body}`);
  const timing = /app;dur=([0-9.]+)/.exec(response.headers.get('server-timing') ?? '');
  return { ms, serverMs: timing ? Number(timing[1]) : null, body };
}

const { values } = parseArgs({
  options: { base: { type: 'string' }, repetitions: { type: 'string', default: '5' } },
});
const repetitions = Number(values.repetitions);
const summary = JSON.parse((await get(values.base, '/api/v1/summary')).body);
const lastDay = Math.floor(Date.parse(summary.last_event) / kMsPerDay) * kMsPerDay;
const window = filterWindow(Date.parse(summary.last_event));
const filters = [
  { id: 'all', query: (k) => `to=${day(lastDay + (1 + k) * kMsPerDay)}` },
  { id: '14 days', query: (k) => `from=${window.fromDay}&to=${day(window.toMs + k * kMsPerDay)}` },
];

// The requests of the dashboard's pages (web/src/pages) beyond `questions`, as the pages make
// them over a range of days. A path without filters (a session, the quality report) is asked
// once, of a server that has not answered it yet; the session and person are the first of the
// sessions and users pages.
const pageOf = async (path) => JSON.parse((await get(values.base, path)).body).rows ?? [];
const [session] = await pageOf('/api/v1/sessions?limit=1&sort=cost_usd');
const [person] = await pageOf('/api/v1/users?limit=1');
const panels = [
  { id: 'summary by event type', path: '/api/v1/breakdown?by=event_type' },
  { id: 'forecast cost', path: '/api/v1/forecast?metric=cost_usd&bucket=day&horizon=14' },
  { id: 'anomalies cost', path: '/api/v1/anomalies?metric=cost_usd&bucket=day' },
  { id: 'trend by status code', path: '/api/v1/timeseries?bucket=day&split=status_code&split_limit=8&metrics=api_aborts,api_errors,api_requests' },
  { id: 'latency over time', path: '/api/v1/latency/timeseries?of=api_request&bucket=day&measure=duration_ms' },
  { id: 'errors by model', path: '/api/v1/breakdown?by=model&sort=api_errors' },
  { id: 'errors by message', path: '/api/v1/breakdown?by=error&sort=api_errors' },
  { id: 'errors by attempt', path: '/api/v1/breakdown?by=attempt&sort=api_errors' },
  { id: 'decisions by source', path: '/api/v1/breakdown?by=decision_source&sort=tool_decisions' },
  { id: 'tool latency', path: '/api/v1/latency?by=tool' },
  { id: 'tool latency over time', path: '/api/v1/latency/timeseries?of=tool_result&bucket=day&measure=duration_ms' },
  { id: 'facets', path: '/api/v1/facets' },
  { id: 'levels of a practice', path: '/api/v1/breakdown?by=level&practice=Platform%20Engineering' },
  // The dashboard under a filter on people: what its filter bar and sessions page ask then.
  { id: 'facets of a practice', path: '/api/v1/facets?practice=Platform%20Engineering' },
  { id: 'sessions of a practice', path: '/api/v1/sessions?limit=50&practice=Platform%20Engineering' },
  // The sessions page sorted by one of its columns.
  { id: 'sessions by cost', path: '/api/v1/sessions?limit=50&sort=cost_usd' },
  { id: 'cost by practice', path: '/api/v1/breakdown?by=practice&sort=cost_usd' },
  { id: 'timeseries week', path: '/api/v1/timeseries?bucket=week' },
  { id: 'code activity', path: '/api/v1/code' },
  { id: 'code over time', path: '/api/v1/code/timeseries?bucket=day' },
  { id: 'code by language', path: '/api/v1/code/breakdown?by=language' },
  { id: 'session durations', path: '/api/v1/distribution?of=session_duration_s' },
  { id: 'session prompts', path: '/api/v1/distribution?of=session_prompts' },
  { id: 'session costs', path: '/api/v1/distribution?of=session_cost_usd' },
  ...(person ? [
    { id: 'a person', path: `/api/v1/users/${encodeURIComponent(person.email)}` },
    { id: "a person's models", path: `/api/v1/breakdown?by=model&sort=cost_usd&email=${encodeURIComponent(person.email)}` },
  ] : []),
  ...(session ? [{ id: 'a session', path: `/api/v1/sessions/${encodeURIComponent(session.session_id)}`, once: true }] : []),
  { id: 'quality', path: '/api/v1/quality', once: true },
  { id: 'directory', path: '/api/v1/employees', once: true },
];

const results = [];
for (const question of [...questions, ...panels.filter((p) => !p.once)]) {
  for (const filter of filters) {
    const times = [], serverTimes = [];
    let rows = null;
    for (let i = 0; i < repetitions; ++i) {
      const answer = await get(values.base, withQuery(question.path, filter.query(i)));
      times.push(answer.ms);
      if (answer.serverMs !== null) serverTimes.push(answer.serverMs);
      rows ??= answerRows(JSON.parse(answer.body)).length;
    }
    results.push({
      question: question.id, filter: filter.id, ms: median(times),
      server_ms: serverTimes.length ? median(serverTimes) : null, max_ms: Math.max(...times), rows,
    });
  }
}
for (const panel of panels.filter((p) => p.once)) {
  const answer = await get(values.base, panel.path);
  results.push({ question: panel.id, filter: '-', ms: answer.ms, server_ms: answer.serverMs,
    max_ms: answer.ms, rows: answerRows(JSON.parse(answer.body)).length });
}
console.log(JSON.stringify({ events: summary.events, results }));
