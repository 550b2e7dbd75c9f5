// Latency of the ccanalytics endpoints over HTTP on loopback, one request at a time on a
// keep-alive connection, timed from sending the request to the last byte of the answer.
//
//   node http_latency.mjs --base http://127.0.0.1:PORT [--window JSON] [--repetitions 200]
//                         [--uncached 30]
//
// Cached: the same URL again and again (the first, unanswered by the cache, is not counted).
// Uncached: every request a URL the server has not seen, with the same meaning (see below).
// Prints {"last_event_ms", "window", "summary", "results": [...]} as JSON.

import http from 'node:http';
import { parseArgs } from 'node:util';

import {
  answerDigest, answerRows, filterWindow, questions, variants, withQuery,
} from './questions.mjs';
import { median } from './stats.mjs';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

// The server's own account of a request: `Server-Timing: app;dur=<ms>, cache;desc=hit|miss`.
function serverTiming(header) {
  const duration = /app;dur=([0-9.]+)/.exec(header ?? '');
  const cache = /cache;desc=(\w+)/.exec(header ?? '');
  return { ms: duration ? Number(duration[1]) : null, cache: cache ? cache[1] : null };
}

function get(base, path) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.get(new URL(path, base), { agent }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({
        status: response.statusCode,
        body: Buffer.concat(chunks),
        ms: performance.now() - started,
        timing: serverTiming(response.headers['server-timing']),
      }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

// A URL that asks the variant's question but that the server has not answered yet: the
// exclusive `to` bound moves by k milliseconds, past the last event for the unfiltered
// question (same events), back from the window's end for the filtered one (k ms out of 14
// days), so every answer is computed afresh whatever the server keys its cache on.
function uncachedQuery(variant, lastEventMs, k) {
  const iso = (ms) => new Date(ms).toISOString();
  if (!variant.window) return `to=${iso(lastEventMs + 1 + k)}`;
  return `from=${variant.window.fromDay}&to=${iso(variant.window.toMs - k)}`;
}

// Medians of `count` requests: round trip as the client saw it, and the server's own time
// when it reports one; `hits` counts the answers the server says came from its cache.
async function measure(base, path, count) {
  const timings = [];
  const serverTimings = [];
  let hits = 0;
  let last = null;
  for (let i = 0; i < count; i++) {
    last = await get(base, typeof path === 'function' ? path(i) : path);
    if (last.status !== 200) break;
    timings.push(last.ms);
    if (last.timing.ms != null) serverTimings.push(last.timing.ms);
    if (last.timing.cache === 'hit') hits++;
  }
  return {
    status: last.status, bytes: last.body.length, count: timings.length, hits,
    median_ms: median(timings), server_median_ms: median(serverTimings),
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      repetitions: { type: 'string', default: '200' },
      uncached: { type: 'string', default: '30' },
      window: { type: 'string' },
    },
  });
  const repetitions = Number(values.repetitions);
  const uncachedCount = Number(values.uncached);

  const first = await get(values.base, '/api/v1/summary');
  if (first.status !== 200) throw new Error(`/api/v1/summary answered ${first.status}: ${first.body}`);
  const summary = JSON.parse(first.body);
  const lastEventMs = Date.parse(summary.last_event);
  const window = values.window ? JSON.parse(values.window) : filterWindow(lastEventMs);

  const results = [];
  for (const question of questions) {
    for (const variant of variants(window)) {
      const path = withQuery(question.path, variant.query);
      const warmup = await get(values.base, path);
      const row = { question: question.id, variant: variant.id, path, status: warmup.status };
      if (warmup.status === 200) {
        row.first_ms = warmup.ms;
        row.answer = answerDigest(answerRows(JSON.parse(warmup.body)));
        const cached = await measure(values.base, path, repetitions);
        const uncached = await measure(values.base,
          (k) => withQuery(question.path, uncachedQuery(variant, lastEventMs, k)), uncachedCount);
        Object.assign(row, { bytes: cached.bytes, cached, uncached });
      }
      results.push(row);
    }
  }
  agent.destroy();
  console.log(JSON.stringify({ last_event_ms: lastEventMs, window, summary, results }));
}

await main();
