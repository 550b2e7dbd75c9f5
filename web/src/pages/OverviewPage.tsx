import { useMemo, useRef } from 'react';

import { isCompared, useBreakdownCompared, useSummaryCompared, useTimeseriesCompared } from '../api/compare';
import { METRICS, totalTokens } from '../api/metrics';
import { DEFAULT_HORIZON, exportCsvUrl, useAnomalies, useForecast, useHeatmap, useUsers } from '../api/queries';
import type { MetricName, Metrics } from '../api/types';
import { failureKeyLabel } from '../apiErrors';
import { Chart } from '../charts/Chart';
import { barOption, donutOption, timeOption, weekHourOption } from '../charts/options';
import { SEMANTIC } from '../charts/palette';
import { useColours } from '../charts/useColours';
import { DataTable } from '../components/DataTable';
import { type KpiDefinition, KpiRow } from '../components/KpiCard';
import { Link } from '../components/Link';
import { PageHeader } from '../components/PageHeader';
import { Panel } from '../components/Panel';
import { Segmented } from '../components/Segmented';
import { useNearViewport } from '../components/useNearViewport';
import { WhatChangedPanel } from '../components/WhatChanged';
import {
  formatCount,
  formatDateTime,
  formatExact,
  formatPercent,
  formatPercentAxis,
  formatUsd,
} from '../format';
import { anomalyMarkers, forecastLayers } from '../insights/layers';
import { canFilterBy, filteredTo, useDrill } from '../state/drill';
import { filterParams, type Filters } from '../state/filters';
import { previousPeriod } from '../state/periods';
import { useTheme } from '../state/theme';
import { useBucket, useDataExtent, useFilterQuery, useFilters, useSelectFilter } from '../state/useFilters';
import { useViewParam } from '../state/useViewParam';
import { userLabel } from '../userLabel';

const TOP_USERS = { sort: 'cost_usd', order: 'desc', limit: 10, offset: 0 } as const;

const KPIS: KpiDefinition[] = [
  { id: 'cost', label: 'Cost', value: (s) => s.cost_usd, format: formatUsd, kind: 'amount', better: 'neither' },
  { id: 'tokens', label: 'Tokens', value: totalTokens, format: formatCount, kind: 'amount', better: 'neither' },
  { id: 'sessions', label: 'Sessions', value: (s) => s.sessions, format: formatCount, kind: 'amount', better: 'neither' },
  { id: 'users', label: 'Active users', value: (s) => s.users, format: formatCount, kind: 'amount', better: 'neither' },
  { id: 'prompts', label: 'Prompts', value: (s) => s.user_prompts, format: formatCount, kind: 'amount', better: 'neither' },
  {
    id: 'tool_success',
    label: 'Tool success',
    value: (s) => s.tool_success_rate,
    format: (v) => formatPercent(v),
    kind: 'ratio',
    better: 'up',
  },
  // Failures without the requests people aborted themselves (Esc): what went wrong, not who stopped.
  {
    id: 'api_failure_rate',
    label: 'API failure rate',
    value: (s) => s.api_failure_rate,
    format: (v) => formatPercent(v, 2),
    kind: 'ratio',
    better: 'down',
  },
];

type TrendMetric = 'cost' | 'tokens';

// What the trend draws and its empty check reads, whichever metric is shown: switching between
// cost and tokens then needs no new request.
const TREND_METRICS: MetricName[] = ['events', 'cost_usd', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_creation_tokens'];
type TrendSplit = 'model' | 'practice';

function TrendPanel({ filters }: { filters: Filters }) {
  const [metric, setMetric] = useViewParam<TrendMetric>('trend', ['cost', 'tokens'], 'cost');
  const [split, setSplit] = useViewParam<TrendSplit>('split', ['model', 'practice'], 'model');
  const [forecastShown, setForecastShown] = useViewParam<'on' | 'off'>('forecast', ['on', 'off'], 'on');
  const bucket = useBucket(filters);
  const query = useTimeseriesCompared(bucket, filters, split, 8, TREND_METRICS);
  // Cost is forecast and checked for anomalies (Insights has the rest), per day or hour as the API
  // does them. Either failing, or a server without them, leaves the trend as it was. They are asked
  // once the trend has its own figures, so that a filter change's first requests stay those of the
  // panels in view.
  const insightBucket = metric === 'cost' && (bucket === 'day' || bucket === 'hour') ? bucket : null;
  const overlays = insightBucket !== null && query.data !== undefined && !query.isPlaceholderData;
  const forecast = useForecast('cost_usd', insightBucket ?? 'day', DEFAULT_HORIZON[insightBucket ?? 'day'], filters, overlays && forecastShown === 'on');
  const anomalies = useAnomalies('cost_usd', insightBucket ?? 'day', undefined, filters, overlays);
  const colour = useColours();
  const filterQuery = useFilterQuery();
  const info = metric === 'cost' ? METRICS.cost_usd : { ...METRICS.input_tokens, exact: formatExact };
  const trend = useMemo(() => {
    const data = query.data;
    if (!data) return null;
    const value = (m: Metrics) => (metric === 'cost' ? m.cost_usd : totalTokens(m));
    const series = (data.series ?? []).map((s) => ({
      name: s.key,
      colour: colour(split, s.key),
      values: s.points.map(value),
    }));
    const times = data.points.map((p) => p.t);
    // Answers kept on screen from the previous filters may be of another bucket: drawn only when they fit.
    const forecastData = forecastShown === 'on' && forecast.data?.bucket === data.bucket ? forecast.data : undefined;
    const layers = insightBucket && forecastData ? forecastLayers(forecastData, times) : null;
    const stackTop = (i: number) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0);
    const markers =
      insightBucket && anomalies.data?.bucket === data.bucket ? anomalyMarkers(anomalies.data.anomalies, times, stackTop, info.exact) : [];
    const option = timeOption({
      // The previous period's total, bucket for bucket, dashed over the stack.
      previousTotal: isCompared(data) ? data.points.map((p) => (p.previous ? value(p.previous) : null)) : undefined,
      times: layers?.times ?? times,
      bucket: data.bucket,
      series,
      kind: data.points.length > 45 ? 'area' : 'bar',
      stack: true,
      valueFormatter: info.exact,
      axisFormatter: info.axis,
      lines: layers?.lines,
      bands: layers?.bands,
      markers,
    });
    return { option, forecastDrawn: layers !== null, anomaliesMarked: markers.length };
  }, [query.data, metric, split, colour, info, insightBucket, forecastShown, forecast.data, anomalies.data]);
  const extras = [
    isCompared(query.data) ? 'the previous period dashed' : '',
    trend?.forecastDrawn ? 'then the forecast with its 80 % and 95 % intervals' : '',
    trend?.anomaliesMarked ? `${trend.anomaliesMarked === 1 ? 'an anomaly' : 'anomalies'} marked` : '',
  ].filter(Boolean);
  return (
    <Panel
      title={metric === 'cost' ? 'Cost over time' : 'Tokens over time'}
      subtitle={
        <>
          {`per ${bucket}, stacked by ${split}${extras.map((e) => `, ${e}`).join('')} · UTC`}
          {trend?.forecastDrawn || trend?.anomaliesMarked ? (
            <>
              {' · '}
              <Link href={`/insights${filterQuery}`}>more on Insights</Link>
            </>
          ) : null}
        </>
      }
      query={query}
      isEmpty={(d) => d.points.every((p) => p.events === 0)}
      span={12}
      actions={
        <>
          {insightBucket ? (
            <button
              type="button"
              className="button button--small button--toggle"
              aria-pressed={forecastShown === 'on'}
              onClick={() => setForecastShown(forecastShown === 'on' ? 'off' : 'on')}
            >
              Forecast
            </button>
          ) : null}
          <Segmented
            label="Metric"
            value={metric}
            onChange={setMetric}
            options={[
              { value: 'cost', label: 'Cost' },
              { value: 'tokens', label: 'Tokens' },
            ]}
          />
          <Segmented
            label="Stack by"
            value={split}
            onChange={setSplit}
            options={[
              { value: 'model', label: 'By model' },
              { value: 'practice', label: 'By practice' },
            ]}
          />
        </>
      }
    >
      {() => trend && <Chart option={trend.option} label={`${metric} over time by ${split}`} height={300} />}
    </Panel>
  );
}

export default function OverviewPage() {
  const [filters] = useFilters();
  const select = useSelectFilter();
  const filterQuery = useFilterQuery();
  const theme = useTheme();
  const { firstDay, lastDay } = useDataExtent();
  const previous = previousPeriod(filters.from, filters.to, firstDay, lastDay);
  const drill = useDrill();
  const [fails, setFails] = useViewParam<'error' | 'status_code'>('fails', ['error', 'status_code'], 'error');

  // The panels below the fold ask for their figures only while near the viewport: a filter change
  // then sends the requests of the panels in view alone, all at once (a browser opens six
  // connections to a server), and the rest follow as they are scrolled to.
  const topUsersPanel = useRef<HTMLElement>(null);
  const heatmapPanel = useRef<HTMLElement>(null);
  const statusPanel = useRef<HTMLElement>(null);
  const toolPanel = useRef<HTMLElement>(null);

  const summary = useSummaryCompared(filters);
  const byPractice = useBreakdownCompared('practice', filters, 'cost_usd');
  const byModel = useBreakdownCompared('model', filters, 'cost_usd');
  const topUsers = useUsers(filters, TOP_USERS, useNearViewport(topUsersPanel, false));
  const heatmap = useHeatmap(filters, ['events'], useNearViewport(heatmapPanel, false));
  const byFailure = useBreakdownCompared(fails, filters, 'api_errors', undefined, useNearViewport(statusPanel, false));
  const byTool = useBreakdownCompared('tool', filters, 'tool_results', undefined, useNearViewport(toolPanel, false));
  // What fails opens Reliability on the value clicked, where its messages, codes and days are.
  const drillToReliability = (key: 'error' | 'status_code' | 'tool', value: string) => {
    if (canFilterBy(value)) drill(filteredTo(filters, key, value), {}, '/reliability');
  };

  const colour = useColours();

  return (
    <div className="page">
      <PageHeader title="Overview">
        {summary.data?.first_event
          ? `Events from ${formatDateTime(summary.data.first_event)} to ${formatDateTime(summary.data.last_event)}.`
          : 'Spend, usage and failures at a glance.'}
      </PageHeader>

      <Panel
        title="Key figures"
        subtitle={
          summary.data?.previous_range
            ? `against the period before, ${summary.data.previous_range.from.slice(0, 10)} to ${summary.data.previous_range.to.slice(0, 10)} (exclusive)`
            : previous
              ? `against the ${previous.from.slice(0, 10)} to ${previous.to.slice(0, 10)} period before`
              : 'all time · choose a period to compare it with the one before'
        }
        query={summary}
        span={12}
        isEmpty={(s) => s.events === 0}
      >
        {(current) => (
          <KpiRow
            kpis={KPIS}
            current={current}
            previous={previous ? current.previous : undefined}
            hint={() => (previous !== null ? 'no earlier data' : undefined)}
          />
        )}
      </Panel>

      <div className="grid">
        <WhatChangedPanel filters={filters} />

        <TrendPanel filters={filters} />

        <Panel
          title="Cost by practice"
          subtitle={isCompared(byPractice.data) ? 'the previous period faint · click a bar to filter by it' : 'click a bar to filter by it'}
          query={byPractice}
          isEmpty={(d) => d.rows.length === 0}
          span={6}
        >
          {(data) => (
            <Chart
              label="Cost by practice"
              option={barOption({
                categories: data.rows.map((r) => r.key),
                series: [
                  {
                    name: 'Cost',
                    values: data.rows.map((r) => r.cost_usd),
                    colour: SEMANTIC.input,
                    previous: isCompared(data) ? data.rows.map((r) => r.previous?.cost_usd ?? null) : undefined,
                  },
                ],
                valueFormatter: formatUsd,
                axisFormatter: METRICS.cost_usd.axis,
                horizontal: true,
              })}
              onSelect={(event) => select('practice', String(event.name))}
            />
          )}
        </Panel>

        <Panel
          title="Cost by model"
          subtitle="click a slice to filter by it"
          query={byModel}
          isEmpty={(d) => d.rows.length === 0}
          span={6}
        >
          {(data) => (
            <Chart
              label="Cost by model"
              option={donutOption({
                items: data.rows.map((r) => ({ name: r.key, value: r.cost_usd, colour: colour('model', r.key) })),
                valueFormatter: formatUsd,
              })}
              onSelect={(event) => select('model', String(event.name))}
            />
          )}
        </Panel>

        <Panel title="Top users by cost" query={topUsers} isEmpty={(d) => d.rows.length === 0} span={6} panelRef={topUsersPanel}>
          {(data) => (
            <DataTable
              caption="Top users by cost"
              rows={data.rows}
              rowKey={(r) => r.email}
              csvName="top-users"
              csvHref={exportCsvUrl('users', { ...filterParams(filters), sort: 'cost_usd', order: 'desc', limit: 10 })}
              columns={[
                {
                  key: 'user',
                  label: 'User',
                  value: (r) => r.email,
                  sortable: false,
                  render: (r) => (
                    <Link href={`/users/${encodeURIComponent(r.email)}${filterQuery}`} title={r.email}>
                      {r.full_name || userLabel(r.email)}
                    </Link>
                  ),
                },
                { key: 'practice', label: 'Practice', value: (r) => r.practice, sortable: false },
                { key: 'sessions', label: 'Sessions', value: (r) => r.sessions, numeric: true, sortable: false, render: (r) => formatCount(r.sessions) },
                { key: 'cost', label: 'Cost', value: (r) => r.cost_usd, numeric: true, sortable: false, render: (r) => formatUsd(r.cost_usd) },
              ]}
            />
          )}
        </Panel>

        <Panel
          title="When people work"
          subtitle={
            <>
              events by weekday and hour, UTC · <Link href={`/activity${filterQuery}`}>more on Activity</Link>
            </>
          }
          query={heatmap}
          isEmpty={(d) => d.cells.every((c) => c.events === 0)}
          span={6}
          panelRef={heatmapPanel}
        >
          {(data) => (
            <Chart
              label="Events by weekday and hour"
              height={250}
              option={weekHourOption({
                cells: data.cells.map((c) => ({ x: c.hour, y: c.weekday, value: c.events })),
                valueFormatter: formatExact,
                metricLabel: 'Events',
                theme,
                compact: true,
              })}
            />
          )}
        </Panel>

        <Panel
          title="What fails: API errors"
          subtitle={
            <>
              {summary.data && summary.data.api_errors > 0
                ? `failure rate ${formatPercent(summary.data.api_failure_rate, 2)} without the ${formatExact(summary.data.api_aborts)} aborted by the user (${formatPercent(summary.data.api_error_rate, 2)} including aborts) · `
                : ''}
              click one for its sessions and days · <Link href={`/reliability${filterQuery}`}>more on Reliability</Link>
            </>
          }
          query={byFailure}
          isEmpty={(d) => d.rows.length === 0}
          emptyText="No API errors for these filters."
          span={6}
          panelRef={statusPanel}
          actions={
            <Segmented
              label="Errors by"
              value={fails}
              onChange={setFails}
              options={[
                { value: 'error', label: 'Message' },
                { value: 'status_code', label: 'Status code' },
              ]}
            />
          }
        >
          {(data) => {
            const rows = data.rows.slice(0, 8);
            return (
              <Chart
                label={fails === 'error' ? 'API errors by message' : 'API errors by status code'}
                height={240}
                option={barOption({
                  categories: rows.map((r) => failureKeyLabel(fails, r.key)),
                  series: [
                    {
                      name: 'API errors',
                      values: rows.map((r) => r.api_errors),
                      colour: SEMANTIC.bad,
                      previous: isCompared(data) ? rows.map((r) => r.previous?.api_errors ?? 0) : undefined,
                    },
                  ],
                  valueFormatter: formatExact,
                  axisFormatter: formatCount,
                  horizontal: true,
                })}
                onSelect={(event) => {
                  const row = rows[event.dataIndex];
                  if (row) drillToReliability(fails, row.key);
                }}
              />
            );
          }}
        </Panel>

        <Panel
          title="What fails: tools"
          subtitle={
            <>
              success rate of tool runs, least reliable first · click one for its failures · <Link href={`/tools${filterQuery}`}>more on Tools</Link>
            </>
          }
          query={byTool}
          isEmpty={(d) => d.rows.every((r) => r.tool_success_rate === null)}
          span={6}
          panelRef={toolPanel}
        >
          {(data) => {
            const rows = data.rows
              .filter((r) => r.tool_success_rate !== null)
              .sort((a, b) => (a.tool_success_rate ?? 0) - (b.tool_success_rate ?? 0))
              .slice(0, 8);
            return (
              <Chart
                label="Tool success rate"
                height={240}
                option={barOption({
                  categories: rows.map((r) => r.key),
                  series: [
                    {
                      name: 'Success rate',
                      values: rows.map((r) => r.tool_success_rate),
                      colour: SEMANTIC.good,
                      previous: isCompared(data) ? rows.map((r) => r.previous?.tool_success_rate ?? null) : undefined,
                    },
                  ],
                  valueFormatter: (v) => formatPercent(v, 2),
                  axisFormatter: formatPercentAxis,
                  horizontal: true,
                  max: 1,
                  // Rates sit close to 100 %; starting the axis near the lowest shows the spread.
                  min: (extent) => Math.max(0, Math.floor(extent.min * 20 - 1) / 20),
                })}
                onSelect={(event) => drillToReliability('tool', String(event.name))}
              />
            );
          }}
        </Panel>
      </div>
    </div>
  );
}
