import { useMemo, useRef } from 'react';

import { useBreakdown, useCode, useCodeBreakdown, useCodeTimeseries } from '../api/queries';
import type { CodeActivity, CodeBreakdown } from '../api/types';
import { Chart } from '../charts/Chart';
import { barOption, timeOption } from '../charts/options';
import { SEMANTIC } from '../charts/palette';
import { DataTable } from '../components/DataTable';
import { KpiCard } from '../components/KpiCard';
import { Link } from '../components/Link';
import { PageHeader } from '../components/PageHeader';
import { Panel } from '../components/Panel';
import { useNearViewport } from '../components/useNearViewport';
import { formatCount, formatDurationS, formatDurationShort, formatExact, formatPercent, formatPercentAxis, formatUsd } from '../format';
import type { Filters } from '../state/filters';
import { useBucket, useFilters, useSelectFilter } from '../state/useFilters';
import { userLabel } from '../userLabel';

const ADDED = SEMANTIC.good;
const REMOVED = SEMANTIC.bad;

function hasActivity(a: CodeActivity): boolean {
  return (
    a.lines_added + a.lines_removed + a.commits + a.pull_requests + a.active_time_s + a.sessions_started + a.edit_decisions >
    0
  );
}

const noRows = (d: CodeBreakdown) => d.rows.length === 0;

function byLinesChanged(rows: CodeBreakdown['rows']) {
  return [...rows].sort((a, b) => b.lines_added + b.lines_removed - (a.lines_added + a.lines_removed) || a.key.localeCompare(b.key));
}

function CodeKpis({ code }: { code: CodeActivity }) {
  return (
    <div className="kpis">
      <KpiCard id="lines_added" label="Lines added" value={formatCount(code.lines_added)} />
      <KpiCard id="lines_removed" label="Lines removed" value={formatCount(code.lines_removed)} />
      <KpiCard id="commits" label="Commits" value={formatCount(code.commits)} />
      <KpiCard id="pull_requests" label="Pull requests" value={formatCount(code.pull_requests)} />
      <KpiCard id="active_time" label="Active time" value={formatDurationS(code.active_time_s)} />
      <KpiCard
        id="edit_accept_rate"
        label="Edit accept rate"
        value={formatPercent(code.edit_accept_rate)}
        hint={`of ${formatCount(code.edit_decisions)} edit decisions`}
      />
    </div>
  );
}

export default function CodePage() {
  const [filters] = useFilters();
  const code = useCode(filters);
  const noMetrics = code.data !== undefined && !hasActivity(code.data);

  return (
    <div className="page">
      <PageHeader title="Code">
        What Claude Code changed in the code: lines, commits, pull requests and time at work, from the metrics it exports over
        OTLP.
      </PageHeader>

      <Panel
        title="Key figures"
        query={code}
        span={12}
        isEmpty={(c) => !hasActivity(c)}
        emptyText="No code-activity metrics for these filters."
      >
        {(c) => <CodeKpis code={c} />}
      </Panel>

      {noMetrics ? (
        <div className="notice" role="note">
          <p>
            <strong>No code metrics.</strong> Claude Code sends lines of code, commits, pull requests, active time and edit
            decisions as OTLP metrics when <code>OTEL_METRICS_EXPORTER=otlp</code> is set and the exporter points at this
            server (<code>POST /v1/metrics</code>, or OTLP/gRPC). Events alone do not carry them. See{' '}
            <Link href="/quality">Data quality</Link> for what has been received.
          </p>
        </div>
      ) : (
        <CodePanels filters={filters} />
      )}
    </div>
  );
}

// Its own component so that the panels' viewport observers start when the panels first mount,
// which on an empty store is when the first metrics arrive.
function CodePanels({ filters }: { filters: Filters }) {
  const select = useSelectFilter();
  const bucket = useBucket(filters);
  const practicePanel = useRef<HTMLElement>(null);
  const userPanel = useRef<HTMLElement>(null);
  const practiceNear = useNearViewport(practicePanel, false);
  const userNear = useNearViewport(userPanel, false);

  const overTime = useCodeTimeseries(bucket, filters);
  const byLanguage = useCodeBreakdown('language', filters);
  const byTool = useCodeBreakdown('tool', filters);
  const byModel = useCodeBreakdown('model', filters);
  const byPractice = useCodeBreakdown('practice', filters, practiceNear);
  const costByPractice = useBreakdown('practice', filters, 'cost_usd', undefined, practiceNear);
  const byUser = useCodeBreakdown('email', filters, userNear);

  // Cost comes from the api_request events, lines from the metrics: one division per practice.
  const costPerLines = useMemo(() => {
    if (!byPractice.data || !costByPractice.data) return undefined;
    const cost = new Map(costByPractice.data.rows.map((r) => [r.key, r.cost_usd]));
    return {
      rows: byLinesChanged(byPractice.data.rows).map((r) => {
        const lines = r.lines_added + r.lines_removed;
        return { key: r.key, lines, cost: cost.get(r.key) ?? 0, perK: lines > 0 ? ((cost.get(r.key) ?? 0) * 1000) / lines : null };
      }),
    };
  }, [byPractice.data, costByPractice.data]);
  const costQuery = {
    data: costPerLines,
    error: byPractice.error ?? costByPractice.error,
    isPending: costPerLines === undefined,
    isFetching: byPractice.isFetching || costByPractice.isFetching,
    refetch: () => {
      void byPractice.refetch();
      void costByPractice.refetch();
    },
  };

  return (
    <div className="grid">
      <Panel title="Lines over time" subtitle={`added and removed, per ${bucket}`} query={overTime} span={8} isEmpty={(d) => d.points.length === 0}>
        {(data) => (
          <Chart
            label="Lines added and removed over time"
            option={timeOption({
              times: data.points.map((p) => p.t),
              bucket,
              kind: 'bar',
              stack: true,
              series: [
                { name: 'Added', values: data.points.map((p) => p.lines_added), colour: ADDED },
                { name: 'Removed', values: data.points.map((p) => p.lines_removed), colour: REMOVED },
              ],
              valueFormatter: formatExact,
              axisFormatter: formatCount,
            })}
          />
        )}
      </Panel>

      <Panel title="Active time" subtitle={`per ${bucket}`} query={overTime} span={4} isEmpty={(d) => d.points.length === 0}>
        {(data) => (
          <Chart
            label="Active time over time"
            option={timeOption({
              times: data.points.map((p) => p.t),
              bucket,
              kind: 'bar',
              series: [{ name: 'Active time', values: data.points.map((p) => p.active_time_s), colour: SEMANTIC.input }],
              valueFormatter: formatDurationS,
              axisFormatter: formatDurationShort,
            })}
          />
        )}
      </Panel>

      <Panel
        title="Lines by language"
        query={byLanguage}
        isEmpty={(d) => d.rows.every((r) => r.lines_added + r.lines_removed === 0)}
        emptyText="No lines by language: Claude Code names the language of edit decisions, and of lines only where it sends one."
        span={6}
      >
        {(data) => {
          const rows = byLinesChanged(data.rows);
          return (
            <Chart
              label="Lines added and removed by language"
              option={barOption({
                categories: rows.map((r) => r.key),
                series: [
                  { name: 'Added', values: rows.map((r) => r.lines_added), colour: ADDED },
                  { name: 'Removed', values: rows.map((r) => r.lines_removed), colour: REMOVED },
                ],
                valueFormatter: formatExact,
                axisFormatter: formatCount,
                horizontal: true,
                stack: true,
              })}
            />
          );
        }}
      </Panel>

      <Panel title="Edit accept rate by tool" subtitle="accepted edits over edit decisions" query={byTool} isEmpty={noRows} span={6}>
        {(data) => {
          const rows = data.rows.filter((r) => r.edit_decisions > 0);
          return (
            <Chart
              label="Edit accept rate by tool"
              option={barOption({
                categories: rows.map((r) => r.key),
                series: [{ name: 'Accept rate', values: rows.map((r) => r.edit_accept_rate), colour: SEMANTIC.good }],
                valueFormatter: (v) => formatPercent(v, 1),
                axisFormatter: formatPercentAxis,
                horizontal: true,
                max: 1,
              })}
            />
          );
        }}
      </Panel>

      <Panel title="Languages" query={byLanguage} isEmpty={noRows} span={12}>
        {(data) => (
          <DataTable
            caption="Lines and edit accept rate by language"
            rows={data.rows}
            rowKey={(r) => r.key}
            csvName="code-languages"
            initialSort={{ key: 'added', order: 'desc' }}
            columns={[
              { key: 'language', label: 'Language', value: (r) => r.key },
              { key: 'added', label: 'Lines added', value: (r) => r.lines_added, numeric: true, render: (r) => formatCount(r.lines_added) },
              { key: 'removed', label: 'Lines removed', value: (r) => r.lines_removed, numeric: true, render: (r) => formatCount(r.lines_removed) },
              { key: 'decisions', label: 'Edit decisions', value: (r) => r.edit_decisions, numeric: true, render: (r) => formatCount(r.edit_decisions) },
              {
                key: 'accept',
                label: 'Accept rate',
                value: (r) => r.edit_accept_rate,
                numeric: true,
                render: (r) => formatPercent(r.edit_accept_rate),
              },
            ]}
          />
        )}
      </Panel>

      <Panel title="Lines by model" subtitle="click a model to filter by it" query={byModel} isEmpty={noRows} span={6}>
        {(data) => {
          const rows = byLinesChanged(data.rows);
          return (
            <Chart
              label="Lines added and removed by model"
              option={barOption({
                categories: rows.map((r) => r.key),
                series: [
                  { name: 'Added', values: rows.map((r) => r.lines_added), colour: ADDED },
                  { name: 'Removed', values: rows.map((r) => r.lines_removed), colour: REMOVED },
                ],
                valueFormatter: formatExact,
                axisFormatter: formatCount,
                horizontal: true,
                stack: true,
              })}
              onSelect={(event) => select('model', String(event.name))}
            />
          );
        }}
      </Panel>

      <Panel
        title="Cost per 1k lines by practice"
        subtitle="API cost over lines changed (added + removed)"
        query={costQuery}
        isEmpty={(d) => d.rows.length === 0}
        span={6}
        panelRef={practicePanel}
      >
        {(data) => (
          <Chart
            label="Cost per 1,000 lines changed by practice"
            option={barOption({
              categories: data.rows.map((r) => r.key),
              series: [{ name: 'Cost per 1k lines', values: data.rows.map((r) => r.perK), colour: SEMANTIC.output }],
              valueFormatter: formatUsd,
              horizontal: true,
            })}
            onSelect={(event) => select('practice', String(event.name))}
          />
        )}
      </Panel>

      <Panel title="People" subtitle="by lines changed" query={byUser} isEmpty={noRows} span={12} panelRef={userPanel}>
        {(data) => (
          <DataTable
            caption="Code activity by person"
            rows={byLinesChanged(data.rows)}
            rowKey={(r) => r.key}
            csvName="code-people"
            maxHeight={420}
            columns={[
              {
                key: 'user',
                label: 'User',
                value: (r) => r.key,
                render: (r) => (
                  <Link href={`/users/${encodeURIComponent(r.key)}`} title={r.key}>
                    {userLabel(r.key)}
                  </Link>
                ),
              },
              { key: 'added', label: 'Lines added', value: (r) => r.lines_added, numeric: true, render: (r) => formatCount(r.lines_added) },
              { key: 'removed', label: 'Lines removed', value: (r) => r.lines_removed, numeric: true, render: (r) => formatCount(r.lines_removed) },
              { key: 'commits', label: 'Commits', value: (r) => r.commits, numeric: true, render: (r) => formatCount(r.commits) },
              { key: 'prs', label: 'Pull requests', value: (r) => r.pull_requests, numeric: true, render: (r) => formatCount(r.pull_requests) },
              { key: 'active', label: 'Active time', value: (r) => r.active_time_s, numeric: true, render: (r) => formatDurationS(r.active_time_s) },
              { key: 'accept', label: 'Accept rate', value: (r) => r.edit_accept_rate, numeric: true, render: (r) => formatPercent(r.edit_accept_rate) },
            ]}
          />
        )}
      </Panel>
    </div>
  );
}
