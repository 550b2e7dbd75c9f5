// Reads OTLP export requests the way a third party would: JSON as JSON, protobuf with protobufjs
// and the OTLP .proto files, so that what a client sent can be checked without ccanalytics' own
// parsers. Records and points come out flat, attributes as plain { key: value } maps.

import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { repoRoot } from './ccanalytics.mjs';

const protoDir = path.join(repoRoot, 'proto');
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => path.join(protoDir, target);
root.loadSync([
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
]);
const requestTypes = {
  logs: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
  metrics: root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest'),
};

export function decodeRequest(signal, { body, contentType = '', contentEncoding = '' }) {
  const raw = /gzip/i.test(contentEncoding) ? gunzipSync(body) : body;
  if (/protobuf/i.test(contentType)) {
    const type = requestTypes[signal];
    return type.toObject(type.decode(raw), { longs: String, enums: Number, bytes: String, oneofs: false });
  }
  return JSON.parse(raw.toString('utf8'));
}

function anyValue(v) {
  if (v === undefined || v === null) return null;
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('boolValue' in v) return v.boolValue;
  if ('arrayValue' in v) return (v.arrayValue.values ?? []).map(anyValue);
  if ('kvlistValue' in v) return attributes(v.kvlistValue.values);
  return null;
}

export function attributes(list = []) {
  return Object.fromEntries(list.map((kv) => [kv.key, anyValue(kv.value)]));
}

export function logRecords(request) {
  const out = [];
  for (const rl of request.resourceLogs ?? [])
    for (const sl of rl.scopeLogs ?? [])
      for (const record of sl.logRecords ?? [])
        out.push({ resource: attributes(rl.resource?.attributes), attrs: attributes(record.attributes), body: anyValue(record.body) });
  return out;
}

// Sum points only (all that Claude Code and these tests send): { name, temporality (1 delta,
// 2 cumulative), value, start, time, attrs, resource }.
export function sumPoints(request) {
  const out = [];
  for (const rm of request.resourceMetrics ?? [])
    for (const sm of rm.scopeMetrics ?? [])
      for (const metric of sm.metrics ?? []) {
        if (!metric.sum) continue;
        for (const p of metric.sum.dataPoints ?? [])
          out.push({
            name: metric.name,
            temporality: Number(metric.sum.aggregationTemporality),
            value: p.asDouble !== undefined ? Number(p.asDouble) : Number(p.asInt),
            start: String(p.startTimeUnixNano),
            time: String(p.timeUnixNano),
            attrs: attributes(p.attributes),
            resource: attributes(rm.resource?.attributes),
          });
      }
  return out;
}

// The amount each series adds, as a store that counts every point once must see it: deltas
// add up; a cumulative series counts its last value (these tests never reset a series).
export function seriesTotals(points, keyOf) {
  const cumulative = new Map();
  const totals = new Map();
  for (const p of points) {
    const key = keyOf(p);
    if (key === null) continue;
    if (p.temporality === 2) {
      const series = `${key}\u0000${JSON.stringify(p.attrs)}\u0000${JSON.stringify(p.resource)}\u0000${p.start}`;
      const previous = cumulative.get(series) ?? { key, value: 0 };
      totals.set(key, (totals.get(key) ?? 0) + p.value - previous.value);
      cumulative.set(series, { key, value: p.value });
    } else {
      totals.set(key, (totals.get(key) ?? 0) + p.value);
    }
  }
  return totals;
}
