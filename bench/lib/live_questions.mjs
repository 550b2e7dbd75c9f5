// An open dashboard during live ingest: asks the dashboard's questions (unfiltered) in turn, one
// at a time on a keep-alive connection, until it is sent SIGTERM, then prints what it saw. Each
// new snapshot the ingest publishes makes the server's cached answers stale, so most of these
// are computed afresh while the ingest competes for the same two cores.
//
//   node live_questions.mjs --base http://127.0.0.1:PORT [--pause-ms 10]
//
// Prints {"requests", "non_200", "p50_ms", "p99_ms", "max_ms", "cache_hits", "slowest": [{"path",
// "ms"}]} as JSON.

import http from 'node:http';
import { parseArgs } from 'node:util';

import { questions } from './questions.mjs';

const { values } = parseArgs({
  options: { base: { type: 'string' }, 'pause-ms': { type: 'string', default: '10' } },
});
const pauseMs = Number(values['pause-ms']);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(path) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.get(new URL(path, values.base), { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve({
        status: response.statusCode,
        ms: performance.now() - started,
        hit: /cache;desc=hit/.test(response.headers['server-timing'] ?? ''),
      }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

function quantile(sorted, q) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

let stopping = false;
process.on('SIGTERM', () => (stopping = true));
process.on('SIGINT', () => (stopping = true));

const timings = [];
const slowest = [];  // the five slowest requests, which questions make the tail
let non200 = 0;
let hits = 0;
for (let i = 0; !stopping; i++) {
  const { path } = questions[i % questions.length];
  const answer = await get(path);
  timings.push(answer.ms);
  slowest.push({ path, ms: answer.ms });
  slowest.sort((a, b) => b.ms - a.ms).splice(5);
  if (answer.status !== 200) non200++;
  if (answer.hit) hits++;
  await new Promise((resolve) => setTimeout(resolve, pauseMs));
}
agent.destroy();
timings.sort((a, b) => a - b);
console.log(JSON.stringify({
  requests: timings.length, non_200: non200, cache_hits: hits,
  p50_ms: quantile(timings, 0.5), p99_ms: quantile(timings, 0.99), max_ms: timings.at(-1) ?? null,
  slowest,
}));
