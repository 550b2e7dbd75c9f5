// The dashboard questions of questions.mjs, each asked afresh (a URL the server has not answered
// before, with the same meaning) several times, for the scale curve (bench/scale.sh).
//
//   node scale_questions.mjs --base http://127.0.0.1:PORT [--repetitions 5]
//
// Ranges are whole UTC days, as the dashboard asks them: "all" ends k days after the last event's
// day, the 14-day window ends k days after its last day (no events lie beyond the data, so the
// meaning is the same; a time series gets k empty buckets more). Prints one JSON object:
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

const results = [];
let k = 0;
for (const question of questions) {
  for (const filter of filters) {
    const times = [], serverTimes = [];
    let rows = null;
    for (let i = 0; i < repetitions; ++i) {
      const answer = await get(values.base, withQuery(question.path, filter.query(k++)));
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
console.log(JSON.stringify({ events: summary.events, results }));
