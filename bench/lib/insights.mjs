// Accuracy and cost of the insight endpoints on a running server: each forecast's backtest (MASE
// against the seasonal naive forecast, interval coverage) and each anomaly check's findings, with
// the median time to answer. Insight answers are never cached (they read the clock), so every
// request is computed afresh.
//
//   node insights.mjs --base http://127.0.0.1:PORT [--repetitions 30]
//
// Prints {"forecasts": [...], "anomalies": [...]} as JSON.

import http from 'node:http';
import { parseArgs } from 'node:util';

import { median } from './stats.mjs';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(base, path) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http.get(new URL(path, base), { agent }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        const ms = performance.now() - started;
        if (response.statusCode !== 200) reject(new Error(`${path}: ${response.statusCode}`));
        else resolve({ ms, answer: JSON.parse(Buffer.concat(chunks).toString()) });
      });
      response.on('error', reject);
    }).on('error', reject);
  });
}

const FORECASTS = [
  'metric=cost_usd&bucket=day&horizon=14',
  'metric=events&bucket=day&horizon=14',
  'metric=output_tokens&bucket=day&horizon=14',
  'metric=cost_usd&bucket=hour&horizon=48',
  'metric=api_requests&bucket=hour&horizon=48',
];
const ANOMALIES = [
  'metric=cost_usd&bucket=day',
  'metric=events&bucket=day',
  'metric=api_error_rate&bucket=day',
  'metric=tool_success_rate&bucket=day',
  'metric=cost_usd&bucket=hour',
  'metric=api_error_rate&bucket=hour',
  'metric=tool_success_rate&bucket=hour',
];

async function timed(base, path, repetitions) {
  const times = [];
  let answer = null;
  for (let i = 0; i < repetitions; ++i) {
    const result = await get(base, path);
    times.push(result.ms);
    answer = result.answer;
  }
  return { ms: median(times), answer };
}

const { values } = parseArgs({ options: { base: { type: 'string' }, repetitions: { type: 'string', default: '30' } } });
const repetitions = Number(values.repetitions);
const out = { forecasts: [], anomalies: [] };
for (const query of FORECASTS) {
  const { ms, answer } = await timed(values.base, `/api/v1/forecast?${query}`, repetitions);
  out.forecasts.push({ query, ms, method: answer.method, season: answer.season, history: answer.history.length,
                       backtest: answer.backtest, note: answer.note ?? null });
}
for (const query of ANOMALIES) {
  const { ms, answer } = await timed(values.base, `/api/v1/anomalies?${query}`, repetitions);
  out.anomalies.push({
    query, ms, buckets: answer.series.length,
    found: answer.anomalies.map((a) => ({
      start: a.start, end: a.end, direction: a.direction, score: a.score,
      by: a.contributors[0]?.by ?? null, key: a.contributors[0]?.key ?? null, share: a.contributors[0]?.share ?? null,
    })),
  });
}
console.log(JSON.stringify(out));
