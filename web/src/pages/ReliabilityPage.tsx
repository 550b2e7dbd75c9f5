import { useMemo } from 'react';

import { isCompared, useBreakdownCompared, useSummaryCompared, useTimeseriesCompared } from '../api/compare';
import { exportCsvUrl, useBreakdown, useLatencyTimeseries } from '../api/queries';
import type { BreakdownRow, MetricName, Metrics } from '../api/types';
import { ABORT_MESSAGE } from '../apiErrors';
import { Chart } from '../charts/Chart';
import { barOption, timeOption } from '../charts/options';
import { SEMANTIC } from '../charts/palette';
import { useColours } from '../charts/useColours';
import { DataTable } from '../components/DataTable';
import { deltaColumns } from '../components/Delta';
import { KpiCard, type KpiDefinition, KpiRow } from '../components/KpiCard';
import { PageHeader } from '../components/PageHeader';
import { Panel } from '../components/Panel';
import {
  compareNatural,
  formatCount,
  formatDurationMs,
  formatExact,
  formatPercent,
  formatPercentAxis,
  statusCodeLabel,
} from '../format';
import { navigate } from '../router';
import { canFilterBy, sessionsOfBucketHref } from '../state/drill';
import { type Filters, filterParams, type ListFilterKey } from '../state/filters';
import { useBucket, useFilters, useSelectFilter } from '../state/useFilters';

// Events newer Claude Code releases send when it gives up or fails on its own side. They carry no
// metrics of their own, so they are counted by name from a breakdown by event type.
const CLIENT_FAILURES = [
  { event: 'api_retries_exhausted', label: 'API retries exhausted', hint: 'API calls given up after every retry' },
  { event: 'internal_error', label: 'Internal errors', hint: 'errors inside Claude Code' },
];

// What the trends draw: one request answers the rates, the error counts by status code and the
// previous period.
const TREND_METRICS: MetricName[] = [
  'api_requests',
  'api_errors',
  'api_aborts',
  'api_error_rate',
  'api_failure_rate',
  'tool_results',
  'tool_success_rate',
];

const toolFailureRate = (m: Metrics) => (m.tool_success_rate === null ? null : 1 - m.tool_success_rate);

// Failed tool runs, from the runs and their success rate (the metric set has no count of its own).
const toolFailures = (m: Metrics) => (m.tool_success_rate === null ? 0 : Math.round(m.tool_results * (1 - m.tool_success_rate)));

const KPIS: KpiDefinition[] = [
  { id: 'api_requests', label: 'API requests', value: (m) => m.api_requests, format: formatCount, kind: 'amount', better: 'neither' },
  { id: 'api_errors', label: 'API errors', value: (m) => m.api_errors, format: formatCount, kind: 'amount', better: 'down' },
  {
    id: 'api_failure_rate',
    label: 'API failure rate',
    value: (m) => m.api_failure_rate,
    format: (v) => formatPercent(v, 2),
    kind: 'ratio',
    better: 'down',
    hint: 'without requests aborted by the user',
  },
  { id: 'api_aborts', label: 'Aborted by the user', value: (m) => m.api_aborts, format: formatCount, kind: 'amount', better: 'neither', hint: 'Esc pressed while waiting' },
  {
    id: 'api_error_rate',
    label: 'API error rate including aborts',
    value: (m) => m.api_error_rate,
    format: (v) => formatPercent(v, 2),
    kind: 'ratio',
    better: 'down',
  },
  {
    id: 'tool_failure_rate',
    label: 'Tool failure rate',
    value: toolFailureRate,
    format: (v) => formatPercent(v, 2),
    kind: 'ratio',
    better: 'down',
  },
];

// Under a status code or message filter only those api_error events match: requests and rates
// over them mean nothing (every rate would read 100 %), so those cards say why they are empty.
const NEEDS_EVERY_EVENT = new Set(['api_requests', 'api_failure_rate', 'api_error_rate', 'tool_failure_rate']);

// An error message or status code as a button that filters to it (or, chosen, back out of it).
function FilterButton({ filterKey, value, label, filters, onSelect }: {
  filterKey: ListFilterKey;
  value: string;
  label: string;
  filters: Filters;
  onSelect: (key: ListFilterKey, value: string) => void;
}) {
  if (!canFilterBy(value)) return <span title={value}>{label}</span>;
  const chosen = filters[filterKey].length === 1 && filters[filterKey][0] === value;
  return (
    <button
      type="button"
      className="drill"
      aria-pressed={chosen}
      title={chosen ? 'Show every value again' : `Filter to ${label}`}
      onClick={() => onSelect(filterKey, value)}
    >
      {label}
    </button>
  );
}

export default function ReliabilityPage() {
  const [filters] = useFilters();
  const select = useSelectFilter();
  const bucket = useBucket(filters);
  const summary = useSummaryCompared(filters);
  const overTime = useTimeseriesCompared(bucket, filters, 'status_code', 8, TREND_METRICS);
  const latency = useLatencyTimeseries('api_request', bucket, filters);
  const byModel = useBreakdown('model', filters, 'api_errors');
  const byMessage = useBreakdownCompared('error', filters, 'api_errors');
  const byStatus = useBreakdownCompared('status_code', filters, 'api_errors');
  const byTool = useBreakdownCompared('tool', filters, 'tool_results');
  const byAttempt = useBreakdown('attempt', filters, 'api_errors');
  const byEventType = useBreakdown('event_type', filters);
  const colour = useColours();
  const isEmpty = (d: { rows: unknown[] }) => d.rows.length === 0;
  // A status code or message filter keeps api_error events alone: every rate would read 100 %.
  const errorsOnly = filters.status_code.length > 0 || filters.error.length > 0;
  // A point of a trend opens the sessions of its bucket.
  const openBucket = (t: string | undefined) => {
    if (t) navigate(sessionsOfBucketHref(filters, t, bucket));
  };
  const toolRows = useMemo(
    () =>
      (byTool.data?.rows ?? [])
        .map((r) => ({ row: r, failures: toolFailures(r), before: r.previous ? toolFailures(r.previous) : null }))
        .filter((t) => t.failures > 0 || (t.before ?? 0) > 0)
        .sort((a, b) => b.failures - a.failures || compareNatural(a.row.key, b.row.key))
        .slice(0, 10),
    [byTool.data],
  );
  const errorTotal = summary.data?.api_errors ?? 0;
  const share = (r: BreakdownRow) => (errorTotal > 0 ? r.api_errors / errorTotal : null);
  const errorChange = (compared: boolean) =>
    compared
      ? deltaColumns<BreakdownRow>({
          key: 'errors',
          label: 'API errors',
          labels: ['Change', 'Change %'],
          current: (r) => r.api_errors,
          previous: (r) => r.previous?.api_errors,
          format: formatExact,
        })
      : [];

  return (
    <div className="page">
      <PageHeader title="Reliability">
        How often requests to the model API fail, how, when, and for which models. Requests people abort themselves (Esc,
        “{ABORT_MESSAGE}”) are counted apart and left out of the failure rate.
      </PageHeader>
      <Panel
        title="Key figures"
        subtitle={summary.data?.previous_range ? 'against the period of equal length before' : undefined}
        query={summary}
        span={12}
      >
        {(s) => (
          <KpiRow
            kpis={KPIS}
            current={s}
            previous={s.previous}
            hidden={(k) => errorsOnly && NEEDS_EVERY_EVENT.has(k.id)}
            hint={(k, hidden) => (hidden ? 'not under a status code or message filter' : k.hint)}
          />
        )}
      </Panel>
      <Panel title="Client-side failures" subtitle="events sent by newer Claude Code releases" query={byEventType} span={12}>
        {(data) => (
          <div className="kpis">
            {CLIENT_FAILURES.map((f) => (
              <KpiCard
                key={f.event}
                id={f.event}
                label={f.label}
                value={formatExact(data.rows.find((r) => r.key === f.event)?.events ?? 0)}
                hint={f.hint}
              />
            ))}
          </div>
        )}
      </Panel>
      <div className="grid">
        <Panel
          title={errorsOnly ? 'Chosen API errors over time' : 'Failure rate over time'}
          subtitle={`per ${bucket}${isCompared(overTime.data) ? ', the previous period dashed' : ''} · click a point for that ${bucket}'s sessions · UTC`}
          query={overTime}
          isEmpty={(d) => d.points.every((p) => p.api_requests === 0 && p.api_errors === 0)}
          emptyText="No API requests for these filters."
          span={6}
        >
          {(data) => {
            const compared = isCompared(data);
            const series = errorsOnly
              ? [
                  {
                    name: 'API errors',
                    values: data.points.map((p) => p.api_errors),
                    colour: SEMANTIC.bad,
                    previous: compared ? data.points.map((p) => p.previous?.api_errors ?? null) : undefined,
                  },
                  { name: 'Aborted by the user', values: data.points.map((p) => p.api_aborts), colour: SEMANTIC.neutral },
                ]
              : [
                  {
                    name: 'Failure rate',
                    values: data.points.map((p) => p.api_failure_rate),
                    colour: SEMANTIC.bad,
                    previous: compared ? data.points.map((p) => p.previous?.api_failure_rate ?? null) : undefined,
                  },
                  { name: 'Error rate including aborts', values: data.points.map((p) => p.api_error_rate), colour: SEMANTIC.neutral },
                ];
            return (
              <Chart
                label={errorsOnly ? 'Chosen API errors over time' : 'API failure rate over time'}
                height={260}
                option={timeOption({
                  times: data.points.map((p) => p.t),
                  bucket: data.bucket,
                  series,
                  points: true,
                  valueFormatter: errorsOnly ? formatExact : (v) => formatPercent(v, 2),
                  axisFormatter: errorsOnly ? formatCount : formatPercentAxis,
                })}
                onSelect={(event) => openBucket(data.points[event.dataIndex]?.t)}
              />
            );
          }}
        </Panel>

        <Panel
          title="API latency over time"
          subtitle={`request duration p50 and p95 per ${bucket} · click a point for that ${bucket}'s sessions · UTC`}
          query={latency}
          isEmpty={(d) => d.points.every((p) => p.count === 0)}
          emptyText="No API requests for these filters."
          span={6}
        >
          {(data) => (
            <Chart
              label="API request latency over time"
              height={260}
              option={timeOption({
                times: data.points.map((p) => p.t),
                bucket: data.bucket,
                series: [
                  { name: 'p50', values: data.points.map((p) => p.p50), colour: SEMANTIC.input },
                  { name: 'p95', values: data.points.map((p) => p.p95), colour: SEMANTIC.output },
                ],
                points: true,
                valueFormatter: formatDurationMs,
              })}
              onSelect={(event) => openBucket(data.points[event.dataIndex]?.t)}
            />
          )}
        </Panel>

        <Panel
          title="Tool failure rate over time"
          subtitle={`failed tool runs over all runs per ${bucket}${isCompared(overTime.data) ? ', the previous period dashed' : ''} · UTC`}
          query={overTime}
          isEmpty={(d) => d.points.every((p) => p.tool_results === 0)}
          emptyText="No tool runs for these filters."
          span={6}
        >
          {(data) => (
            <Chart
              label="Tool failure rate over time"
              height={240}
              option={timeOption({
                times: data.points.map((p) => p.t),
                bucket: data.bucket,
                series: [
                  {
                    name: 'Tool failure rate',
                    values: data.points.map(toolFailureRate),
                    colour: SEMANTIC.output,
                    previous: isCompared(data) ? data.points.map((p) => (p.previous ? toolFailureRate(p.previous) : null)) : undefined,
                  },
                ],
                points: true,
                valueFormatter: (v) => formatPercent(v, 2),
                axisFormatter: formatPercentAxis,
              })}
              onSelect={(event) => openBucket(data.points[event.dataIndex]?.t)}
            />
          )}
        </Panel>

        <Panel
          title="API errors over time"
          subtitle={`per ${bucket}, stacked by status code · click a bar for that ${bucket}'s sessions · UTC`}
          query={overTime}
          isEmpty={(d) => (d.series ?? []).every((s) => s.points.every((p) => p.api_errors === 0))}
          emptyText="No API errors for these filters."
          span={6}
        >
          {(data) => (
            <Chart
              label="API errors over time by status code"
              height={240}
              option={timeOption({
                times: data.points.map((p) => p.t),
                bucket: data.bucket,
                kind: 'bar',
                stack: true,
                series: (data.series ?? []).map((s) => ({
                  name: statusCodeLabel(s.key),
                  colour: colour('status_code', s.key),
                  values: s.points.map((p) => p.api_errors),
                })),
                valueFormatter: formatExact,
                axisFormatter: formatCount,
              })}
              onSelect={(event) => openBucket(data.points[event.dataIndex]?.t)}
            />
          )}
        </Panel>

        <Panel
          title="API errors by message"
          subtitle={`what the API answered${isCompared(byMessage.data) ? ', changes against the previous period' : ''} · click one to filter by it`}
          query={byMessage}
          isEmpty={isEmpty}
          emptyText="No API errors for these filters."
          span={12}
        >
          {(data) => (
            <DataTable
              caption="API errors by message"
              rows={data.rows}
              rowKey={(r) => r.key}
              csvName="api-errors-by-message"
              csvHref={exportCsvUrl('breakdown', { ...filterParams(filters), by: 'error', sort: 'api_errors' })}
              columns={[
                {
                  key: 'message',
                  label: 'Message',
                  value: (r) => r.key,
                  render: (r) => (
                    <>
                      <FilterButton filterKey="error" value={r.key} label={r.key} filters={filters} onSelect={select} />
                      {r.key === ABORT_MESSAGE ? <span className="badge">aborted by the user</span> : null}
                    </>
                  ),
                },
                { key: 'errors', label: 'API errors', value: (r) => r.api_errors, numeric: true, render: (r) => formatExact(r.api_errors) },
                { key: 'share', label: 'Share', value: share, numeric: true, render: (r) => formatPercent(share(r)) },
                ...errorChange(isCompared(data)),
                { key: 'sessions', label: 'Sessions hit', value: (r) => r.sessions, numeric: true, render: (r) => formatExact(r.sessions) },
                { key: 'users', label: 'Users hit', value: (r) => r.users, numeric: true },
              ]}
            />
          )}
        </Panel>

        <Panel
          title="Status codes"
          subtitle="“no response”: the request got no HTTP answer (aborts included) · click one to filter by it"
          query={byStatus}
          isEmpty={isEmpty}
          emptyText="No API errors for these filters."
          span={6}
        >
          {(data) => (
            <DataTable
              caption="API errors by status code"
              rows={data.rows}
              rowKey={(r) => r.key}
              csvName="api-errors-by-status"
              csvHref={exportCsvUrl('breakdown', { ...filterParams(filters), by: 'status_code', sort: 'api_errors' })}
              initialSort={{ key: 'errors', order: 'desc' }}
              columns={[
                {
                  key: 'status',
                  label: 'Status code',
                  value: (r) => r.key,
                  render: (r) => <FilterButton filterKey="status_code" value={r.key} label={statusCodeLabel(r.key)} filters={filters} onSelect={select} />,
                },
                { key: 'errors', label: 'API errors', value: (r) => r.api_errors, numeric: true, render: (r) => formatExact(r.api_errors) },
                { key: 'aborts', label: 'Aborted', value: (r) => r.api_aborts, numeric: true, render: (r) => formatExact(r.api_aborts) },
                ...errorChange(isCompared(data)),
                { key: 'sessions', label: 'Sessions hit', value: (r) => r.sessions, numeric: true, render: (r) => formatExact(r.sessions) },
                { key: 'users', label: 'Users hit', value: (r) => r.users, numeric: true },
              ]}
            />
          )}
        </Panel>

        <Panel
          title="Tools by failures"
          subtitle={`failed tool runs${isCompared(byTool.data) ? ', the previous period faint' : ''} · click a tool to filter by it`}
          query={byTool}
          isEmpty={() => toolRows.length === 0}
          emptyText="No failed tool runs for these filters."
          span={6}
        >
          {(data) => (
            <Chart
              label="Tools by failures"
              height={Math.max(240, toolRows.length * 26 + 48)}
              option={barOption({
                categories: toolRows.map((t) => t.row.key),
                series: [
                  {
                    name: 'Failed runs',
                    values: toolRows.map((t) => t.failures),
                    colour: SEMANTIC.bad,
                    previous: isCompared(data) ? toolRows.map((t) => t.before) : undefined,
                  },
                ],
                valueFormatter: formatExact,
                axisFormatter: formatCount,
                horizontal: true,
              })}
              onSelect={(event) => {
                const tool = toolRows[event.dataIndex]?.row.key;
                if (tool && canFilterBy(tool)) select('tool', tool);
              }}
            />
          )}
        </Panel>

        <Panel
          title="Failure rate by model"
          subtitle="failed requests without aborts over requests · click to filter"
          query={byModel}
          isEmpty={isEmpty}
          span={6}
        >
          {(data) => (
            <Chart
              label="API failure rate by model"
              height={240}
              option={barOption({
                categories: data.rows.map((r) => r.key),
                series: [
                  { name: 'Failure rate', values: data.rows.map((r) => r.api_failure_rate), colour: SEMANTIC.bad },
                  { name: 'Error rate including aborts', values: data.rows.map((r) => r.api_error_rate), colour: SEMANTIC.neutral },
                ],
                valueFormatter: (v) => formatPercent(v, 2),
                axisFormatter: formatPercentAxis,
                horizontal: true,
              })}
              onSelect={(event) => select('model', String(event.name))}
            />
          )}
        </Panel>

        <Panel title="Attempts" subtitle="API errors by retry attempt" query={byAttempt} isEmpty={isEmpty} span={6}>
          {(data) => {
            const rows = [...data.rows].sort((a, b) => compareNatural(a.key, b.key));
            return (
              <Chart
                label="API errors by attempt"
                height={240}
                option={barOption({
                  categories: rows.map((r) => `attempt ${r.key}`),
                  series: [{ name: 'API errors', values: rows.map((r) => r.api_errors), colour: SEMANTIC.output }],
                  valueFormatter: formatExact,
                  axisFormatter: formatCount,
                })}
              />
            );
          }}
        </Panel>
      </div>
    </div>
  );
}
