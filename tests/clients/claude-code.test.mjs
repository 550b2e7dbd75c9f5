// The real Claude Code CLI as a client of ccanalytics, once per OTLP protocol: a scripted
// tool-using session against the Messages API stand-in, its telemetry exported to
// `ccanalytics serve`; what ccanalytics answers must equal what the client sent and what the
// stand-in returned.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startCcanalytics } from './lib/ccanalytics.mjs';
import { model, prepareClaude } from './lib/claude.mjs';
import { scriptedSteps, startMessagesApi } from './lib/messages-api.mjs';
import { decodeRequest, logRecords, seriesTotals, sumPoints } from './lib/otlp.mjs';
import { startRecorder } from './lib/recorder.mjs';

// Anthropic's published price of claude-sonnet-4-5 in USD per million tokens (cache writes:
// the 5-minute rate), which the CLI applies to the usage it is answered.
const sonnet45 = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };

const sum = (values) => values.reduce((a, b) => a + b, 0);
const close = (actual, expected, what) =>
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} != ${expected}`);

function standInTruth(calls) {
  const usage = (k) => sum(calls.map((c) => c.usage[k]));
  const cost = sum(
    calls.map(
      ({ usage: u }) =>
        (u.input_tokens * sonnet45.input +
          u.output_tokens * sonnet45.output +
          u.cache_read_input_tokens * sonnet45.cacheRead +
          u.cache_creation_input_tokens * sonnet45.cacheWrite) /
        1e6,
    ),
  );
  return {
    apiRequests: calls.length,
    input: usage('input_tokens'),
    output: usage('output_tokens'),
    cacheRead: usage('cache_read_input_tokens'),
    cacheCreation: usage('cache_creation_input_tokens'),
    cost,
  };
}

function tally(map, key, n = 1) {
  map.set(key, (map.get(key) ?? 0) + n);
}

// What the client sent, read from the recorded bodies.
function sent(requests) {
  const records = [];
  const points = [];
  for (const r of requests) {
    assert.equal(r.status, 200, `${r.path} answered ${r.status}: ${r.answer}`);
    if (r.path === '/v1/logs') records.push(...logRecords(decodeRequest('logs', r)));
    if (r.path === '/v1/metrics') points.push(...sumPoints(decodeRequest('metrics', r)));
  }
  const events = new Map();
  for (const { attrs } of records) tally(events, attrs['event.name']);
  const apiRequests = records.filter((r) => r.attrs['event.name'] === 'api_request').map((r) => r.attrs);
  const of = (name, keyOf) => seriesTotals(points.filter((p) => p.name === name), keyOf);
  const lines = of('claude_code.lines_of_code.count', (p) => p.attrs.type);
  return {
    events,
    sessions: new Set(records.map((r) => r.attrs['session.id'])),
    apiRequests,
    cost: sum(apiRequests.map((a) => Number(a.cost_usd))),
    linesAdded: lines.get('added') ?? 0,
    linesRemoved: lines.get('removed') ?? 0,
    temporalities: new Set(points.map((p) => p.temporality)),
    decisionsByLanguage: of('claude_code.code_edit_tool.decision', (p) => p.attrs.language),
    sessionsStarted: of('claude_code.session.count', () => 'all').get('all') ?? 0,
  };
}

const costs = new Map();

async function claudeSession(t, protocol, { compression, temporality = 'delta' } = {}) {
  const cca = await startCcanalytics();
  t.after(cca.stop);
  const recorder = protocol === 'grpc' ? null : await startRecorder(cca.baseUrl);
  if (recorder) t.after(recorder.close);
  const claude = await prepareClaude();
  t.after(claude.cleanup);
  const api = await startMessagesApi({ projectDir: claude.projectDir });
  t.after(api.close);

  const endpoint = protocol === 'grpc' ? `http://127.0.0.1:${cca.grpcPort}` : recorder.url;
  const run = await claude.run({ apiUrl: api.url, protocol, endpoint, compression, temporality });
  assert.equal(run.code, 0, `claude exited with ${run.code ?? run.signal}: ${run.stderr}`);
  if (api.unexpected.length) t.diagnostic(`calls outside the script: ${api.unexpected.join(', ')}`);

  const steps = scriptedSteps(claude.projectDir);
  assert.equal(api.refusals(), 1, 'the first call was answered 529');
  assert.equal(api.calls.filter((c) => c.main).length, steps.length, 'the client played the whole script');
  assert.ok(api.calls.every((c) => c.model === model));
  const truth = standInTruth(api.calls);

  const summary = await cca.get('/api/v1/summary');
  const sessions = await cca.get('/api/v1/sessions');
  costs.set(protocol, summary.cost_usd);
  const tools = steps.filter((s) => s.tool).map((s) => s.tool);

  await t.test('usage and cost equal what the stand-in answered', async () => {
    assert.equal(summary.api_requests, truth.apiRequests, 'a retried 529 is no api_request');
    assert.equal(summary.api_errors, 0);
    assert.equal(summary.input_tokens, truth.input);
    assert.equal(summary.output_tokens, truth.output);
    assert.equal(summary.cache_read_tokens, truth.cacheRead);
    assert.equal(summary.cache_creation_tokens, truth.cacheCreation);
    close(summary.cost_usd, truth.cost, 'cost from the stand-in usage at the sonnet-4.5 price');
    assert.equal(summary.cost_estimated_usd, 0, 'the client sent every cost');
    const byModel = await cca.get('/api/v1/breakdown?by=model');
    const modelRow = byModel.rows.find((r) => r.key === model);
    assert.ok(modelRow, `no ${model} row: ${JSON.stringify(byModel.rows)}`);
    assert.equal(modelRow.api_requests, truth.apiRequests);
    assert.equal(modelRow.output_tokens, truth.output);
  });

  await t.test('one session, one prompt, the scripted tools', async () => {
    assert.equal(summary.sessions, 1);
    assert.equal(summary.user_prompts, 1);
    assert.equal(summary.tool_decisions, tools.length);
    assert.equal(summary.tool_results, tools.length);
    assert.equal(summary.tool_accept_rate, 1);
    assert.equal(summary.tool_success_rate, 1);
    const byTool = await cca.get('/api/v1/breakdown?by=tool');
    assert.deepEqual(
      byTool.rows.map((r) => [r.key, r.tool_decisions, r.tool_results]).sort(),
      tools.map((name) => [name, 1, 1]).sort(),
    );
    assert.equal(sessions.total, 1);
    assert.equal(sessions.rows[0].api_requests, truth.apiRequests);
    assert.equal(sessions.rows[0].terminal, 'non-interactive');
  });

  const code = await cca.get('/api/v1/code');

  await t.test('code activity from the metrics', async () => {
    assert.equal(code.sessions_started, 1);
    assert.equal(code.lines_removed, 1, 'the Edit replaced one line');
    assert.ok(code.lines_added >= 4, 'Write added two lines, Edit two');
    assert.equal(code.edit_decisions, 2, 'Write and Edit are code edits');
    assert.equal(code.edit_accept_rate, 1);
    const byLanguage = await cca.get('/api/v1/code/breakdown?by=language');
    assert.deepEqual(byLanguage.rows.map((r) => [r.key, r.edit_decisions]), [['Python', 2]]);
  });

  if (recorder) {
    await t.test('equals what the client sent', async () => {
      const client = sent(recorder.requests);
      assert.deepEqual(client.sessions, new Set([sessions.rows[0].session_id]));
      assert.equal(client.apiRequests.length, summary.api_requests);
      assert.equal(sum(client.apiRequests.map((a) => Number(a.input_tokens))), summary.input_tokens);
      assert.equal(sum(client.apiRequests.map((a) => Number(a.output_tokens))), summary.output_tokens);
      assert.equal(sum(client.apiRequests.map((a) => Number(a.cache_read_tokens))), summary.cache_read_tokens);
      assert.equal(sum(client.apiRequests.map((a) => Number(a.cache_creation_tokens))), summary.cache_creation_tokens);
      close(summary.cost_usd, client.cost, 'cost the client sent');
      const byEvent = await cca.get('/api/v1/breakdown?by=event_type');
      assert.deepEqual(new Map(byEvent.rows.map((r) => [r.key, r.events])), client.events, 'every event the client sent, once');
      if (compression) assert.ok(recorder.requests.every((r) => r.contentEncoding === compression), 'compressed as asked');
      assert.deepEqual(client.temporalities, new Set([temporality === 'delta' ? 1 : 2]), 'the temporality asked for');
      assert.equal(code.lines_added, client.linesAdded);
      assert.equal(code.lines_removed, client.linesRemoved);
      assert.equal(code.sessions_started, client.sessionsStarted);
      assert.deepEqual(client.decisionsByLanguage, new Map([['Python', 2]]));
    });
  }

  await t.test('the team from OTEL_RESOURCE_ATTRIBUTES', async () => {
    const byTeam = await cca.get('/api/v1/breakdown?by=attr.team.id');
    assert.deepEqual(byTeam.rows.map((r) => [r.key, r.events]), [['platform', summary.events]]);
    const byCostCenter = await cca.get('/api/v1/code/breakdown?by=attr.cost_center');
    assert.deepEqual(byCostCenter.rows.map((r) => [r.key, r.lines_added]), [['cc-42', code.lines_added]]);
  });
}

test('Claude Code over OTLP/HTTP JSON', async (t) => {
  await claudeSession(t, 'http/json');
});

test('Claude Code over OTLP/HTTP protobuf, gzip, cumulative metrics', async (t) => {
  await claudeSession(t, 'http/protobuf', { compression: 'gzip', temporality: 'cumulative' });
});

test('Claude Code over OTLP/gRPC, gzip', async (t) => {
  await claudeSession(t, 'grpc', { compression: 'gzip' });
});

test('the same script costs the same over every protocol', (t) => {
  assert.equal(costs.size, 3, 'a session ran over every protocol');
  const [first, ...rest] = [...costs.values()];
  for (const cost of rest) close(cost, first, 'cost across protocols');
});
