import { useBreakdown, useQuality } from '../api/queries';
import type { BreakdownRow } from '../api/types';
import { Chart } from '../charts/Chart';
import { barOption } from '../charts/options';
import { SEMANTIC } from '../charts/palette';
import { DataTable } from '../components/DataTable';
import { KpiCard } from '../components/KpiCard';
import { PageHeader } from '../components/PageHeader';
import { Panel } from '../components/Panel';
import type { QueryState } from '../components/queryState';
import { NO_FILTERS } from '../state/filters';
import { formatBytes, formatCount, formatDateTime, formatDurationMs, formatExact, formatPercent } from '../format';

const RAW_PREVIEW = 160; // characters of a rejected record shown before it is expanded
// The events the analytics are built on; newer Claude Code releases send others, which are kept.
const CORE_EVENTS = new Set(['user_prompt', 'api_request', 'api_error', 'tool_decision', 'tool_result']);

export default function QualityPage() {
  const quality = useQuality();
  const byEventType = useBreakdown('event_type', NO_FILTERS);
  const otherEvents: QueryState<BreakdownRow[]> = {
    data: byEventType.data?.rows.filter((r) => !CORE_EVENTS.has(r.key)),
    error: byEventType.error,
    isPending: byEventType.isPending,
    isFetching: byEventType.isFetching,
    refetch: byEventType.refetch,
  };
  return (
    <div className="page">
      <PageHeader title="Data quality">
        What was loaded, what was turned away and why. These figures cover the whole store; the filters do not apply.
      </PageHeader>
      <Panel title="Totals" query={quality} span={12}>
        {({ totals }) => {
          const seen = totals.accepted + totals.duplicates + totals.rejected_events;
          return (
            <div className="kpis">
              <KpiCard id="accepted" label="Accepted events" value={formatExact(totals.accepted)} />
              <KpiCard id="duplicates" label="Duplicates skipped" value={formatExact(totals.duplicates)} />
              <KpiCard id="rejected_events" label="Rejected events" value={formatExact(totals.rejected_events)} />
              <KpiCard id="rejected_lines" label="Rejected lines" value={formatExact(totals.rejected_lines)} />
              <KpiCard
                id="rejected_share"
                label="Events rejected"
                value={formatPercent(seen > 0 ? totals.rejected_events / seen : null, 3)}
              />
            </div>
          );
        }}
      </Panel>
      <div className="grid">
        <Panel
          title="Other events"
          subtitle="stored events beyond user_prompt, api_request, api_error, tool_decision and tool_result"
          query={otherEvents}
          isEmpty={(rows) => rows.length === 0}
          emptyText="Every stored event is one of the five the analytics are built on."
          span={12}
        >
          {(rows) => (
            <DataTable
              caption="Other events by name"
              rows={rows}
              rowKey={(r) => r.key}
              csvName="other-events"
              scope="store"
              initialSort={{ key: 'events', order: 'desc' }}
              columns={[
                { key: 'event', label: 'Event', value: (r) => r.key },
                { key: 'events', label: 'Events', value: (r) => r.events, numeric: true, render: (r) => formatExact(r.events) },
                { key: 'sessions', label: 'Sessions', value: (r) => r.sessions, numeric: true, render: (r) => formatExact(r.sessions) },
                { key: 'users', label: 'Users', value: (r) => r.users, numeric: true, render: (r) => formatExact(r.users) },
              ]}
            />
          )}
        </Panel>
        <Panel
          title="Rejected by reason"
          query={quality}
          isEmpty={(q) => q.rejected_by_reason.length === 0}
          emptyText="Nothing has been rejected."
          span={12}
        >
          {(q) => {
            const rows = [...q.rejected_by_reason].sort((a, b) => b.count - a.count);
            return (
              <div className="split">
                <Chart
                  label="Rejected records by reason"
                  height={Math.max(180, rows.length * 26 + 40)}
                  option={barOption({
                    categories: rows.map((r) => `${r.reason} (${r.kind})`),
                    series: [{ name: 'Rejected', values: rows.map((r) => r.count), colour: SEMANTIC.bad }],
                    valueFormatter: formatExact,
                    axisFormatter: formatCount,
                    horizontal: true,
                  })}
                />
                <DataTable
                  caption="Rejected records by reason"
                  rows={rows}
                  rowKey={(r) => `${r.kind}:${r.reason}`}
                  csvName="rejected-by-reason"
                  scope="store"
                  columns={[
                    { key: 'kind', label: 'Kind', value: (r) => r.kind },
                    { key: 'reason', label: 'Reason', value: (r) => r.reason },
                    { key: 'count', label: 'Count', value: (r) => r.count, numeric: true, render: (r) => formatExact(r.count) },
                  ]}
                />
              </div>
            );
          }}
        </Panel>

        <Panel title="Ingest history" subtitle="newest first" query={quality} isEmpty={(q) => q.ingests.length === 0} span={12}>
          {(q) => (
            <DataTable
              caption="Ingest history"
              rows={q.ingests}
              rowKey={(r) => String(r.id)}
              csvName="ingests"
              scope="store"
              columns={[
                { key: 'id', label: 'Id', value: (r) => r.id, numeric: true },
                { key: 'started', label: 'Started (UTC)', value: (r) => r.started, render: (r) => formatDateTime(r.started, false) },
                {
                  key: 'took',
                  label: 'Took',
                  value: (r) => (r.finished ? Date.parse(r.finished) - Date.parse(r.started) : null),
                  numeric: true,
                  render: (r) => (r.finished ? formatDurationMs(Date.parse(r.finished) - Date.parse(r.started)) : '–'),
                },
                { key: 'source', label: 'Source', value: (r) => r.source },
                { key: 'path', label: 'File', value: (r) => r.path, render: (r) => <span className="path" title={r.path ?? ''}>{r.path ?? '–'}</span> },
                { key: 'size', label: 'Size', value: (r) => r.size_bytes, numeric: true, render: (r) => formatBytes(r.size_bytes) },
                { key: 'status', label: 'Status', value: (r) => r.status, render: (r) => <span className="status" data-status={r.status}>{r.status}</span> },
                { key: 'lines', label: 'Lines', value: (r) => r.lines, numeric: true, render: (r) => formatExact(r.lines) },
                { key: 'accepted', label: 'Accepted', value: (r) => r.accepted, numeric: true, render: (r) => formatExact(r.accepted) },
                { key: 'duplicates', label: 'Duplicates', value: (r) => r.duplicates, numeric: true, render: (r) => formatExact(r.duplicates) },
                { key: 'rejected_events', label: 'Rejected events', value: (r) => r.rejected_events, numeric: true },
                { key: 'rejected_lines', label: 'Rejected lines', value: (r) => r.rejected_lines, numeric: true },
                { key: 'employees', label: 'Employees', value: (r) => r.employees, numeric: true },
              ]}
            />
          )}
        </Panel>

        <Panel
          title="Quarantine samples"
          subtitle="rejected records as they arrived"
          query={quality}
          isEmpty={(q) => q.quarantine_sample.length === 0}
          emptyText="The quarantine is empty."
          span={12}
        >
          {(q) => (
            <DataTable
              caption="Quarantined records"
              rows={q.quarantine_sample}
              rowKey={(r) => String(r.id)}
              csvName="quarantine-sample"
              scope="store"
              columns={[
                { key: 'received', label: 'Received (UTC)', value: (r) => r.received, render: (r) => formatDateTime(r.received, false) },
                { key: 'source', label: 'Source', value: (r) => r.source },
                { key: 'line', label: 'Line', value: (r) => r.line, numeric: true },
                { key: 'kind', label: 'Kind', value: (r) => r.kind },
                { key: 'reason', label: 'Reason', value: (r) => r.reason },
                { key: 'field', label: 'Field', value: (r) => r.field ?? '' },
                { key: 'detail', label: 'Detail', value: (r) => r.detail ?? '' },
                {
                  key: 'raw',
                  label: 'Record',
                  value: (r) => r.raw,
                  sortable: false,
                  render: (r) =>
                    r.raw.length > RAW_PREVIEW ? (
                      <details className="raw">
                        <summary>
                          <code>{r.raw.slice(0, RAW_PREVIEW)}…</code>
                        </summary>
                        <pre>{r.raw}</pre>
                      </details>
                    ) : (
                      <code className="raw">{r.raw}</code>
                    ),
                },
              ]}
            />
          )}
        </Panel>
      </div>
    </div>
  );
}
