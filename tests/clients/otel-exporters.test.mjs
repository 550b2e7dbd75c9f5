// The official OpenTelemetry JS SDK and OTLP exporters as a second real client: many exporters at
// once, over every protocol, with and without gzip, metrics with delta and with cumulative
// temporality. ccanalytics' totals must equal what was emitted, each record and point counted
// exactly once.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as HttpLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { AggregationTemporalityPreference, OTLPMetricExporter as HttpMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { startCcanalytics } from './lib/ccanalytics.mjs';

const RECORDS_PER_CLIENT = 60;
const ROUNDS = 6;
const protocols = ['http/json', 'http/protobuf', 'grpc'];

// Twelve clients at once: every protocol, with and without gzip, with delta and with cumulative
// temporality.
function clients() {
  const list = [];
  for (let i = 0; i < 12; i++) {
    list.push({
      index: i,
      protocol: protocols[i % protocols.length],
      compression: Math.floor(i / protocols.length) % 2 === 0 ? 'none' : 'gzip',
      temporality: Math.floor(i / (2 * protocols.length)) % 2 === 0 ? 'delta' : 'cumulative',
      email: `dev${i}@example.com`,
      team: i % 2 === 0 ? 'platform' : 'mobile',
    });
  }
  return list;
}

function logExporter({ protocol, compression }, cca) {
  if (protocol === 'grpc') return new GrpcLogExporter({ url: `http://127.0.0.1:${cca.grpcPort}`, compression });
  const Exporter = protocol === 'http/json' ? HttpLogExporter : ProtoLogExporter;
  return new Exporter({ url: `${cca.baseUrl}/v1/logs`, compression });
}

function metricExporter({ protocol, compression, temporality }, cca) {
  const temporalityPreference =
    temporality === 'delta' ? AggregationTemporalityPreference.DELTA : AggregationTemporalityPreference.CUMULATIVE;
  if (protocol === 'grpc') return new GrpcMetricExporter({ url: `http://127.0.0.1:${cca.grpcPort}`, compression, temporalityPreference });
  const Exporter = protocol === 'http/json' ? HttpMetricExporter : ProtoMetricExporter;
  return new Exporter({ url: `${cca.baseUrl}/v1/metrics`, compression, temporalityPreference });
}

const resourceOf = (client) =>
  resourceFromAttributes({ 'service.name': 'claude-code', 'service.version': '2.1.328', 'team.id': client.team });

// Claude Code-shaped api_request records; every one distinct (sequence, prompt id, time), so
// the store's content identity sees each as new exactly once.
function recordsOf(client) {
  const base = Date.UTC(2026, 11, 1, 9, 0, 0) + client.index * 3_600_000;
  return Array.from({ length: RECORDS_PER_CLIENT }, (_, k) => {
    const time = base + k * 1000;
    return {
      timestamp: time,
      body: 'claude_code.api_request',
      attributes: {
        'event.name': 'api_request',
        'event.timestamp': new Date(time).toISOString(),
        'event.sequence': k,
        'session.id': `session-${client.index}-${k % 3}`,
        'prompt.id': `prompt-${client.index}-${k}`,
        'user.email': client.email,
        'user.id': `user-${client.index}`,
        'terminal.type': 'vscode',
        model: k % 2 ? 'claude-sonnet-4-5' : 'claude-haiku-4-5',
        input_tokens: 100 + k,
        output_tokens: 10 + (k % 7),
        cache_read_tokens: 1000 * (k % 4),
        cache_creation_tokens: 5 * k,
        cost_usd: (123 + k * 7 + client.index) / 100_000,
        duration_ms: 200 + k,
      },
    };
  });
}

async function runClient(client, cca) {
  const resource = resourceOf(client);
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor(logExporter(client, cca), { scheduledDelayMillis: 20, maxExportBatchSize: 16 })],
  });
  const logger = loggerProvider.getLogger('com.anthropic.claude_code.events', '2.1.328');
  const meterProvider = new MeterProvider({ resource, readers: [new PeriodicExportingMetricReader({ exporter: metricExporter(client, cca), exportIntervalMillis: 100 })] });
  const meter = meterProvider.getMeter('com.anthropic.claude_code', '2.1.328');
  const lines = meter.createCounter('claude_code.lines_of_code.count');
  const commits = meter.createCounter('claude_code.commit.count');
  const sent = { added: 0, removed: 0, commits: 0 };
  const pointAttributes = { 'user.email': client.email, 'session.id': `session-${client.index}-0`, model: 'claude-sonnet-4-5' };

  const records = recordsOf(client);
  const perRound = Math.ceil(records.length / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    for (const record of records.slice(round * perRound, (round + 1) * perRound)) logger.emit(record);
    const added = 3 + client.index + round;
    const removed = round % 3;
    lines.add(added, { ...pointAttributes, type: 'added' });
    lines.add(removed, { ...pointAttributes, type: 'removed' });
    commits.add(1, pointAttributes);
    sent.added += added;
    sent.removed += removed;
    sent.commits += 1;
    // Long enough for a metric export in between, so cumulative series are sent several times.
    await new Promise((r) => setTimeout(r, 150));
  }
  await loggerProvider.forceFlush();
  await loggerProvider.shutdown();
  await meterProvider.forceFlush();
  await meterProvider.shutdown();
  return { records, sent };
}

const sum = (values) => values.reduce((a, b) => a + b, 0);

test('OpenTelemetry JS exporters: twelve at once, every protocol, gzip, delta and cumulative', async (t) => {
  const cca = await startCcanalytics();
  t.after(cca.stop);
  const list = clients();
  const results = await Promise.all(list.map((client) => runClient(client, cca)));
  const records = results.flatMap((r) => r.records.map((record) => record.attributes));

  await t.test('every log record once', async () => {
    const summary = await cca.get('/api/v1/summary');
    assert.equal(summary.events, records.length);
    assert.equal(summary.api_requests, records.length);
    assert.equal(summary.sessions, new Set(records.map((r) => r['session.id'])).size);
    assert.equal(summary.input_tokens, sum(records.map((r) => r.input_tokens)));
    assert.equal(summary.output_tokens, sum(records.map((r) => r.output_tokens)));
    assert.equal(summary.cache_read_tokens, sum(records.map((r) => r.cache_read_tokens)));
    assert.equal(summary.cache_creation_tokens, sum(records.map((r) => r.cache_creation_tokens)));
    const cost = sum(records.map((r) => r.cost_usd));
    assert.ok(Math.abs(summary.cost_usd - cost) < 1e-9, `cost ${summary.cost_usd} != ${cost}`);
    assert.equal(summary.cost_estimated_usd, 0);
  });

  await t.test('per user and per model', async () => {
    const byEmail = await cca.get('/api/v1/breakdown?by=email');
    const expected = new Map();
    for (const r of records) expected.set(r['user.email'], (expected.get(r['user.email']) ?? 0) + r.output_tokens);
    assert.deepEqual(new Map(byEmail.rows.map((row) => [row.key, row.output_tokens])), expected);
    const byModel = await cca.get('/api/v1/breakdown?by=model');
    const models = new Map();
    for (const r of records) models.set(r.model, (models.get(r.model) ?? 0) + 1);
    assert.deepEqual(new Map(byModel.rows.map((row) => [row.key, row.api_requests])), models);
  });

  await t.test('the team from the resource', async () => {
    const byTeam = await cca.get('/api/v1/breakdown?by=attr.team.id');
    const expected = new Map();
    for (const [i, { records: sentRecords }] of results.entries())
      expected.set(list[i].team, (expected.get(list[i].team) ?? 0) + sentRecords.length);
    assert.deepEqual(new Map(byTeam.rows.map((row) => [row.key, row.events])), expected);
  });

  const metricClients = list.map((client, i) => ({ client, sent: results[i].sent }));
  await t.test('every metric point once, delta and cumulative', async () => {
    const code = await cca.get('/api/v1/code');
    assert.equal(code.lines_added, sum(metricClients.map(({ sent }) => sent.added)));
    assert.equal(code.lines_removed, sum(metricClients.map(({ sent }) => sent.removed)));
    assert.equal(code.commits, sum(metricClients.map(({ sent }) => sent.commits)));
  });
  const byEmail = new Map((await cca.get('/api/v1/code/breakdown?by=email')).rows.map((row) => [row.key, row]));
  for (const protocol of protocols) {
    await t.test(`metric points over ${protocol}, per exporter`, () => {
      const mine = metricClients.filter(({ client }) => client.protocol === protocol);
      assert.ok(mine.some(({ client }) => client.temporality === 'delta') && mine.some(({ client }) => client.temporality === 'cumulative'));
      for (const { client, sent } of mine) {
        const row = byEmail.get(client.email);
        assert.ok(row, `no row for ${client.email} (${client.temporality}, ${client.compression})`);
        assert.deepEqual([row.lines_added, row.lines_removed, row.commits], [sent.added, sent.removed, sent.commits], `${client.email} (${client.temporality}, ${client.compression})`);
      }
    });
  }
});
