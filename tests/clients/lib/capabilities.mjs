// What the ccanalytics under test takes, asked of the running server, so that a check needing a
// capability this build lacks is reported as skipped (with the reason), never as passed.

import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';

// An empty ExportMetricsServiceRequest is zero bytes of protobuf.
export async function protobufMetricsTaken(cca) {
  const response = await fetch(`${cca.baseUrl}/v1/metrics`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-protobuf' },
    body: new Uint8Array(0),
  });
  return response.ok;
}

// MetricsService/Export answers an empty export OK when it is served, UNIMPLEMENTED otherwise.
export async function grpcMetricsTaken(cca) {
  if (cca.grpcPort === null) return false;
  const exporter = new OTLPMetricExporter({ url: `http://127.0.0.1:${cca.grpcPort}` });
  const result = await new Promise((resolve) =>
    exporter.export({ resource: resourceFromAttributes({}), scopeMetrics: [] }, resolve),
  );
  await exporter.shutdown();
  return result.code === 0;
}

export async function attrDimensionsTaken(cca) {
  return (await fetch(`${cca.baseUrl}/api/v1/breakdown?by=attr.team.id`)).ok;
}

// The protocols over which this build takes metrics.
export async function metricProtocols(cca) {
  const protocols = ['http/json'];
  if (await protobufMetricsTaken(cca)) protocols.push('http/protobuf');
  if (await grpcMetricsTaken(cca)) protocols.push('grpc');
  return protocols;
}
