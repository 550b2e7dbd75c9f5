import { exportCsvUrl, useBreakdown, useSummary, useTimeseries } from '../api/queries';
import { Chart } from '../charts/Chart';
import { barOption, timeOption } from '../charts/options';
import { SEMANTIC } from '../charts/palette';
import { useColours } from '../charts/useColours';
import { DataTable } from '../components/DataTable';
import { KpiCard } from '../components/KpiCard';
import { PageHeader } from '../components/PageHeader';
import { Panel } from '../components/Panel';
import { compareNatural, formatCount, formatExact, formatPercent, formatPercentAxis, statusCodeLabel } from '../format';
import { filterParams } from '../state/filters';
import { useBucket, useFilters, useSelectFilter } from '../state/useFilters';

// Events newer Claude Code releases send when it gives up or fails on its own side. They carry no
// metrics of their own, so they are counted by name from a breakdown by event type.
const CLIENT_FAILURES = [
  { event: 'api_retries_exhausted', label: 'API retries exhausted', hint: 'API calls given up after every retry' },
  { event: 'internal_error', label: 'Internal errors', hint: 'errors inside Claude Code' },
];

export default function ReliabilityPage() {
  const [filters] = useFilters();
  const select = useSelectFilter();
  const bucket = useBucket(filters);
  const summary = useSummary(filters);
  const overTime = useTimeseries(bucket, filters, 'status_code', 8);
  const byModel = useBreakdown('model', filters, 'api_errors');
  const byStatus = useBreakdown('status_code', filters, 'api_errors');
  const byAttempt = useBreakdown('attempt', filters, 'api_errors');
  const byEventType = useBreakdown('event_type', filters);
  const colour = useColours();
  const isEmpty = (d: { rows: unknown[] }) => d.rows.length === 0;

  return (
    <div className="page">
      <PageHeader title="Reliability">How often requests to the model API fail, how, when, and for which models.</PageHeader>
      <Panel title="Key figures" query={summary} span={12}>
        {(s) => (
          <div className="kpis">
            <KpiCard id="api_requests" label="API requests" value={formatCount(s.api_requests)} />
            <KpiCard id="api_errors" label="API errors" value={formatCount(s.api_errors)} />
            <KpiCard id="api_error_rate" label="API error rate" value={formatPercent(s.api_error_rate, 2)} />
            <KpiCard id="tool_success" label="Tool success" value={formatPercent(s.tool_success_rate)} />
          </div>
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
          title="API errors over time"
          subtitle={`per ${bucket}, stacked by status code · UTC`}
          query={overTime}
          isEmpty={(d) => (d.series ?? []).every((s) => s.points.every((p) => p.api_errors === 0))}
          emptyText="No API errors for these filters."
          span={12}
        >
          {(data) => (
            <Chart
              label="API errors over time by status code"
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
            />
          )}
        </Panel>

        <Panel title="Error rate by model" subtitle="errors over requests and errors · click to filter" query={byModel} isEmpty={isEmpty} span={6}>
          {(data) => (
            <Chart
              label="API error rate by model"
              height={240}
              option={barOption({
                categories: data.rows.map((r) => r.key),
                series: [{ name: 'Error rate', values: data.rows.map((r) => r.api_error_rate), colour: SEMANTIC.bad }],
                valueFormatter: (v) => formatPercent(v, 2),
                axisFormatter: formatPercentAxis,
                horizontal: true,
              })}
              onSelect={(event) => select('model', String(event.name))}
            />
          )}
        </Panel>

        <Panel
          title="Attempts"
          subtitle="API errors by retry attempt"
          query={byAttempt}
          isEmpty={isEmpty}
          span={6}
        >
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

        <Panel title="Status codes" query={byStatus} isEmpty={isEmpty} emptyText="No API errors for these filters." span={12}>
          {(data) => (
            <DataTable
              caption="API errors by status code"
              rows={data.rows}
              rowKey={(r) => r.key}
              csvName="api-errors-by-status"
              csvHref={exportCsvUrl('breakdown', { ...filterParams(filters), by: 'status_code', sort: 'api_errors' })}
              initialSort={{ key: 'errors', order: 'desc' }}
              columns={[
                { key: 'status', label: 'Status code', value: (r) => r.key, render: (r) => statusCodeLabel(r.key) },
                { key: 'errors', label: 'API errors', value: (r) => r.api_errors, numeric: true, render: (r) => formatExact(r.api_errors) },
                { key: 'sessions', label: 'Sessions hit', value: (r) => r.sessions, numeric: true, render: (r) => formatExact(r.sessions) },
                { key: 'users', label: 'Users hit', value: (r) => r.users, numeric: true },
              ]}
            />
          )}
        </Panel>
      </div>
    </div>
  );
}
