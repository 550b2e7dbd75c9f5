import { useMemo } from 'react';

import { isCompared, useBreakdownCompared } from '../api/compare';
import { exportCsvUrl, useBreakdown, useLatency } from '../api/queries';
import { Chart } from '../charts/Chart';
import { barOption } from '../charts/options';
import { SEMANTIC } from '../charts/palette';
import { DataTable } from '../components/DataTable';
import { deltaColumns } from '../components/Delta';
import { PageHeader } from '../components/PageHeader';
import { Panel } from '../components/Panel';
import { combineQueries } from '../components/queryState';
import { formatCount, formatDurationMs, formatExact, formatPercent, formatPercentAxis } from '../format';
import { filterParams } from '../state/filters';
import { useFilters } from '../state/useFilters';

// Rates sit close to 100 %; an axis starting just below the lowest shows their differences.
const nearLowest = (extent: { min: number }) => Math.max(0, Math.floor(extent.min * 20 - 1) / 20);

export default function ToolsPage() {
  const [filters] = useFilters();
  const byTool = useBreakdownCompared('tool', filters, 'tool_decisions');
  const latency = useLatency('tool', filters);
  const bySource = useBreakdown('decision_source', filters, 'tool_decisions');
  const toolsWithLatency = combineQueries(byTool, latency);

  const latencyByTool = useMemo(() => new Map((latency.data?.rows ?? []).map((r) => [r.key, r])), [latency.data]);
  const isEmpty = (d: { rows: unknown[] }) => d.rows.length === 0;

  return (
    <div className="page">
      <PageHeader title="Tools">Which tools run most, how often people let them, how often they work, and how long they take.</PageHeader>
      <div className="grid">
        <Panel
          title="Usage ranking"
          subtitle={`tool decisions (offers to run a tool)${isCompared(byTool.data) ? ', the previous period faint' : ''}`}
          query={byTool}
          isEmpty={isEmpty}
          span={6}
        >
          {(data) => (
            <Chart
              label="Tool usage ranking"
              height={Math.max(240, data.rows.length * 22 + 40)}
              option={barOption({
                categories: data.rows.map((r) => r.key),
                series: [
                  {
                    name: 'Decisions',
                    values: data.rows.map((r) => r.tool_decisions),
                    colour: SEMANTIC.input,
                    previous: isCompared(data) ? data.rows.map((r) => r.previous?.tool_decisions ?? 0) : undefined,
                  },
                  { name: 'Runs', values: data.rows.map((r) => r.tool_results), colour: SEMANTIC.output },
                ],
                valueFormatter: formatExact,
                axisFormatter: formatCount,
                horizontal: true,
              })}
            />
          )}
        </Panel>

        <Panel title="Accept and success rates" subtitle="accepted decisions; successful runs" query={byTool} isEmpty={isEmpty} span={6}>
          {(data) => (
            <Chart
              label="Tool accept and success rates"
              height={Math.max(240, data.rows.length * 22 + 40)}
              option={barOption({
                categories: data.rows.map((r) => r.key),
                series: [
                  { name: 'Accept rate', values: data.rows.map((r) => r.tool_accept_rate), colour: SEMANTIC.input },
                  { name: 'Success rate', values: data.rows.map((r) => r.tool_success_rate), colour: SEMANTIC.good },
                ],
                valueFormatter: (v) => formatPercent(v, 2),
                axisFormatter: formatPercentAxis,
                horizontal: true,
                max: 1,
                min: nearLowest,
              })}
            />
          )}
        </Panel>

        <Panel title="Run duration" subtitle="p50 and p95, logarithmic scale" query={latency} isEmpty={isEmpty} span={6}>
          {(data) => (
            <Chart
              label="Tool run duration"
              height={Math.max(240, data.rows.length * 22 + 40)}
              option={barOption({
                categories: data.rows.map((r) => r.key),
                series: [
                  { name: 'p50', values: data.rows.map((r) => Math.max(r.p50, 1)) },
                  { name: 'p95', values: data.rows.map((r) => Math.max(r.p95, 1)) },
                ],
                valueFormatter: formatDurationMs,
                horizontal: true,
                logScale: true,
              })}
            />
          )}
        </Panel>

        <Panel
          title="Rejects by decision source"
          subtitle="who or what turned a tool down"
          query={bySource}
          isEmpty={isEmpty}
          span={6}
        >
          {(data) => {
            const rows = data.rows.map((r) => ({
              key: r.key,
              decisions: r.tool_decisions,
              rejects: r.tool_accept_rate === null ? 0 : Math.round(r.tool_decisions * (1 - r.tool_accept_rate)),
            }));
            return (
              <>
                <Chart
                  label="Tool rejects by decision source"
                  height={200}
                  option={barOption({
                    categories: rows.map((r) => r.key),
                    series: [{ name: 'Rejects', values: rows.map((r) => r.rejects), colour: SEMANTIC.bad }],
                    valueFormatter: formatExact,
                    axisFormatter: formatCount,
                    horizontal: true,
                  })}
                />
                <DataTable
                  caption="Decisions by source"
                  rows={rows}
                  rowKey={(r) => r.key}
                  csvName="tool-decision-sources"
                  initialSort={{ key: 'decisions', order: 'desc' }}
                  columns={[
                    { key: 'source', label: 'Decision source', value: (r) => r.key },
                    { key: 'decisions', label: 'Decisions', value: (r) => r.decisions, numeric: true, render: (r) => formatExact(r.decisions) },
                    { key: 'rejects', label: 'Rejects', value: (r) => r.rejects, numeric: true, render: (r) => formatExact(r.rejects) },
                  ]}
                />
              </>
            );
          }}
        </Panel>

        <Panel title="All tools" query={toolsWithLatency} isEmpty={([tools]) => tools.rows.length === 0} span={12}>
          {([tools]) => (
            <DataTable
              caption="Tools"
              rows={tools.rows}
              rowKey={(r) => r.key}
              csvName="tools"
              csvHref={exportCsvUrl('breakdown', { ...filterParams(filters), by: 'tool', sort: 'tool_decisions' })}
              initialSort={{ key: 'decisions', order: 'desc' }}
              columns={[
                { key: 'tool', label: 'Tool', value: (r) => r.key },
                { key: 'decisions', label: 'Decisions', value: (r) => r.tool_decisions, numeric: true, render: (r) => formatCount(r.tool_decisions) },
                ...(isCompared(tools)
                  ? deltaColumns<(typeof tools.rows)[number]>({
                      key: 'decisions',
                      label: 'Decisions',
                      current: (r) => r.tool_decisions,
                      previous: (r) => r.previous?.tool_decisions,
                      format: formatExact,
                    })
                  : []),
                { key: 'accept', label: 'Accept rate', value: (r) => r.tool_accept_rate, numeric: true, render: (r) => formatPercent(r.tool_accept_rate) },
                { key: 'runs', label: 'Runs', value: (r) => r.tool_results, numeric: true, render: (r) => formatCount(r.tool_results) },
                { key: 'success', label: 'Success rate', value: (r) => r.tool_success_rate, numeric: true, render: (r) => formatPercent(r.tool_success_rate) },
                ...(isCompared(tools)
                  ? deltaColumns<(typeof tools.rows)[number]>({
                      key: 'success',
                      label: 'Success rate',
                      current: (r) => r.tool_success_rate,
                      previous: (r) => r.previous?.tool_success_rate,
                      format: (v) => formatPercent(v),
                      kind: 'ratio',
                    })
                  : []),
                {
                  key: 'p50',
                  label: 'Duration p50',
                  value: (r) => latencyByTool.get(r.key)?.p50 ?? null,
                  numeric: true,
                  render: (r) => formatDurationMs(latencyByTool.get(r.key)?.p50),
                },
                {
                  key: 'p95',
                  label: 'Duration p95',
                  value: (r) => latencyByTool.get(r.key)?.p95 ?? null,
                  numeric: true,
                  render: (r) => formatDurationMs(latencyByTool.get(r.key)?.p95),
                },
              ]}
            />
          )}
        </Panel>
      </div>
    </div>
  );
}
