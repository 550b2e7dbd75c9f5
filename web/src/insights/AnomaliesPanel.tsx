import { useId, useState } from 'react';

import { METRICS } from '../api/metrics';
import { useAnomalies } from '../api/queries';
import type { Anomalies, Anomaly, AnomalyContributor, CountMetric, Dimension, InsightBucket, RateMetric } from '../api/types';
import { Chart } from '../charts/Chart';
import { timeOption } from '../charts/options';
import { SEMANTIC } from '../charts/palette';
import { DataTable } from '../components/DataTable';
import { Panel } from '../components/Panel';
import { Segmented } from '../components/Segmented';
import { formatDateTime, formatExact, formatPercent } from '../format';
import { bucketsPeriod, filteredToDimension } from '../state/drill';
import type { Filters } from '../state/filters';
import { useFilters } from '../state/useFilters';
import { useViewParam } from '../state/useViewParam';
import { userLabel } from '../userLabel';
import { BUCKETS, FORECAST_METRICS } from './ForecastPanel';
import { anomalyMarkers } from './layers';
import { MetricSelect } from './MetricSelect';
import { ShareBar } from './ShareBar';

const ANOMALY_METRICS: (CountMetric | RateMetric)[] = [
  ...FORECAST_METRICS,
  'api_error_rate',
  'api_failure_rate',
  'tool_success_rate',
  'tool_accept_rate',
];

// The dimensions an anomaly can be explained by; automatic leaves the choice to the API (the one
// that explains most).
type ExplainBy = 'auto' | 'practice' | 'model' | 'tool' | 'email' | 'error';

const EXPLAIN_BY: { value: ExplainBy; label: string }[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'practice', label: 'Practice' },
  { value: 'model', label: 'Model' },
  { value: 'tool', label: 'Tool' },
  { value: 'email', label: 'User' },
  { value: 'error', label: 'Error message' },
];

const DIMENSION_LABELS: Partial<Record<Dimension, string>> = { email: 'user', error: 'error message', status_code: 'status code' };

// "practice", "user"; a custom attribute by its key.
function dimensionLabel(dimension: Dimension): string {
  return DIMENSION_LABELS[dimension] ?? dimension;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// "2026-01-27", "2026-01-27 to 2026-01-29", or hours as "2026-01-27 14:00 UTC" and a span of them.
function anomalyWhen(anomaly: Anomaly, bucket: InsightBucket): string {
  const { from, to } = bucketsPeriod(anomaly.start, anomaly.end, bucket);
  if (bucket === 'day') return from === to ? from : `${from} to ${to}`;
  const hours = (Date.parse(anomaly.end) - Date.parse(anomaly.start)) / 3_600_000;
  return hours <= 1 ? formatDateTime(from) : `${formatDateTime(from, false)} to ${formatDateTime(to)}`;
}

function anomaliesOption(data: Anomalies, strongestFirst: Anomaly[]) {
  const info = METRICS[data.metric];
  const times = data.series.map((p) => p.t);
  return timeOption({
    times,
    bucket: data.bucket,
    series: [{ name: info.label, values: data.series.map((p) => p.value), colour: SEMANTIC.input }],
    lines: [{ name: 'Expected', values: data.series.map((p) => p.expected), colour: SEMANTIC.neutral }],
    bands: [
      {
        name: 'Expected range',
        lo: data.series.map((p) => p.lo),
        hi: data.series.map((p) => p.hi),
        colour: SEMANTIC.neutral,
        opacity: 0.2,
      },
    ],
    markers: anomalyMarkers(strongestFirst, times, (i, a) => data.series[i].value ?? a.value, info.exact),
    valueFormatter: info.exact,
    axisFormatter: info.axis,
  });
}

function Contributors({ anomaly, bucket, format, filters, onFilter }: {
  anomaly: Anomaly;
  bucket: InsightBucket;
  format: (value: number) => string;
  filters: Filters;
  onFilter: (filters: Filters) => void;
}) {
  if (anomaly.contributors.length === 0) return <p className="muted">No single value stands out behind this one.</p>;
  // The contributor's value within the anomaly's own time range, the other filters kept.
  const narrowed = (c: AnomalyContributor) => {
    const to = filteredToDimension(filters, c.by, c.key);
    return to ? { ...to, ...bucketsPeriod(anomaly.start, anomaly.end, bucket) } : null;
  };
  const keyLabel = (c: AnomalyContributor) => (c.by === 'email' ? userLabel(c.key) : c.key);
  return (
    <DataTable
      caption={`What moved on ${anomalyWhen(anomaly, bucket)}`}
      rows={anomaly.contributors}
      rowKey={(c) => `${c.by}:${c.key}`}
      csvName="anomaly-contributors"
      initialSort={{ key: 'share', order: 'desc' }}
      columns={[
        {
          key: 'key',
          label: capitalised(dimensionLabel(anomaly.contributors[0].by)),
          value: (c) => c.key,
          render: (c) => {
            const next = narrowed(c);
            return (
              <>
                <span title={c.key}>{keyLabel(c)}</span>{' '}
                {next ? (
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={`Filter to ${keyLabel(c)} over ${anomalyWhen(anomaly, bucket)}`}
                    onClick={() => onFilter(next)}
                  >
                    Filter to this
                  </button>
                ) : null}
              </>
            );
          },
        },
        { key: 'value', label: 'Value', value: (c) => c.value, numeric: true, render: (c) => format(c.value) },
        { key: 'expected', label: 'Expected', value: (c) => c.expected, numeric: true, render: (c) => format(c.expected) },
        {
          key: 'share',
          label: 'Share of the move',
          value: (c) => c.share,
          kind: 'rate',
          render: (c) => <ShareBar fraction={c.share} text={formatPercent(c.share)} />,
        },
      ]}
    />
  );
}

function AnomalyList({ data, strongestFirst }: { data: Anomalies; strongestFirst: Anomaly[] }) {
  const [filters, setFilters] = useFilters();
  const [open, setOpen] = useState<string | null>(null);
  const id = useId();
  const format = METRICS[data.metric].exact;
  if (strongestFirst.length === 0) return <p className="panel__empty">Nothing out of the ordinary for these filters.</p>;
  return (
    <ol className="anomalies" aria-label="Anomalies, strongest first">
      {strongestFirst.map((anomaly, i) => {
        const expanded = open === anomaly.start;
        const detailsId = `${id}-${i}`;
        return (
          <li key={anomaly.start} className="anomaly" data-direction={anomaly.direction}>
            <button
              type="button"
              className="anomaly__summary"
              aria-expanded={expanded}
              aria-controls={detailsId}
              onClick={() => setOpen(expanded ? null : anomaly.start)}
            >
              <span className="anomaly__when">{anomalyWhen(anomaly, data.bucket)}</span>
              <span className="anomaly__direction">
                <span aria-hidden="true">{anomaly.direction === 'up' ? '▲ ' : '▼ '}</span>
                {anomaly.direction === 'up' ? 'above expected' : 'below expected'}
              </span>
              <span className="anomaly__values">
                <strong>{format(anomaly.value)}</strong> against {format(anomaly.expected)} expected ({format(anomaly.lo)} – {format(anomaly.hi)})
              </span>
              <span className="anomaly__score">score {formatExact(anomaly.score)}</span>
            </button>
            {expanded ? (
              <div id={detailsId} className="anomaly__details">
                <Contributors anomaly={anomaly} bucket={data.bucket} format={format} filters={filters} onFilter={setFilters} />
              </div>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

export function AnomaliesPanel({ filters }: { filters: Filters }) {
  const [metric, setMetric] = useViewParam<CountMetric | RateMetric>('anomaly_metric', ANOMALY_METRICS, 'cost_usd');
  const [bucket, setBucket] = useViewParam<InsightBucket>('anomaly_bucket', ['day', 'hour'], 'day');
  const [explainBy, setExplainBy] = useViewParam<ExplainBy>('explain_by', EXPLAIN_BY.map((e) => e.value), 'auto');
  const query = useAnomalies(metric, bucket, explainBy === 'auto' ? undefined : explainBy, filters);
  const explained = query.data?.by ? `, explained by ${dimensionLabel(query.data.by)}` : '';
  return (
    <Panel
      title="Anomalies"
      subtitle={`${METRICS[metric].label} per ${bucket} against the range expected${explained} · choose one for what moved · UTC`}
      query={query}
      isEmpty={(d) => d.series.length === 0}
      span={12}
      actions={
        <>
          <MetricSelect label="Metric" metrics={ANOMALY_METRICS} value={metric} onChange={setMetric} />
          <Segmented label="Bucket" value={bucket} onChange={setBucket} options={BUCKETS} />
          <label className="field">
            <span className="field__label">Explain by</span>
            <select value={explainBy} onChange={(event) => setExplainBy(event.target.value as ExplainBy)}>
              {EXPLAIN_BY.map((e) => (
                <option key={e.value} value={e.value}>
                  {e.label}
                </option>
              ))}
            </select>
          </label>
        </>
      }
    >
      {(data) => {
        // Strongest first, as the API sends them; sorted here too, since the list and its markers
        // must not depend on that order.
        const strongestFirst = [...data.anomalies].sort((a, b) => b.score - a.score);
        return (
          <>
            <Chart label={`${METRICS[data.metric].label} against the expected range`} option={anomaliesOption(data, strongestFirst)} height={280} />
            <AnomalyList data={data} strongestFirst={strongestFirst} />
          </>
        );
      }}
    </Panel>
  );
}
