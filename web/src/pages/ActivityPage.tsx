import { useMemo } from 'react';

import { METRICS } from '../api/metrics';
import { isCompared, useTimeseriesCompared } from '../api/compare';
import { useDistribution, useHeatmap, useTimeseries } from '../api/queries';
import type { Distribution, MetricName } from '../api/types';
import { Chart } from '../charts/Chart';
import type { ChartOption } from '../charts/echarts';
import { barOption, binLabels, timeOption, weekHourOption } from '../charts/options';
import { SEMANTIC, SEQUENTIAL_DARK, SEQUENTIAL_LIGHT } from '../charts/palette';
import { PageHeader } from '../components/PageHeader';
import { Panel } from '../components/Panel';
import { Segmented } from '../components/Segmented';
import {
  formatBucket,
  formatCount,
  formatDurationShort,
  formatExact,
  formatHour,
  formatPercent,
  formatUsdShort,
  WEEKDAYS,
} from '../format';
import type { Filters } from '../state/filters';
import { bucketForRange, daysBetween } from '../state/periods';
import { type Theme, useTheme } from '../state/theme';
import { useDataExtent, useFilters } from '../state/useFilters';
import { useViewParam } from '../state/useViewParam';

type HeatMetric = 'events' | 'sessions' | 'user_prompts' | 'cost_usd';
const HEAT_METRICS: { value: HeatMetric; label: string }[] = [
  { value: 'events', label: 'Events' },
  { value: 'sessions', label: 'Sessions' },
  { value: 'user_prompts', label: 'Prompts' },
  { value: 'cost_usd', label: 'Cost' },
];

// Hour-by-day cells for at most this many days: beyond it the cells get too small to click.
const MAX_DAYS_BY_HOUR = 92;

function dayHourOption(points: { t: string; value: number }[], label: string, format: (v: number) => string, theme: Theme): ChartOption {
  const days = [...new Set(points.map((p) => p.t.slice(0, 10)))];
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const max = points.reduce((m, p) => Math.max(m, p.value), 0);
  return {
    grid: { left: 8, right: 8, top: 28, bottom: 44 },
    tooltip: {
      trigger: 'item',
      formatter: (p: { value: [number, number, number] }) =>
        `${days[p.value[0]]} ${formatHour(p.value[1])} UTC<br/>${label}: <b>${format(p.value[2])}</b>`,
    },
    xAxis: { type: 'category', data: days.map((d) => formatBucket(`${d}T00:00:00Z`, 'day')), axisLabel: { hideOverlap: true } },
    yAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => formatHour(h)), inverse: true, axisLabel: { interval: 2 } },
    visualMap: {
      min: 0,
      max: Math.max(max, 1),
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 160,
      itemWidth: 10,
      formatter: (v: number) => format(v),
      inRange: { color: theme === 'dark' ? SEQUENTIAL_DARK : SEQUENTIAL_LIGHT },
    },
    series: [
      {
        type: 'heatmap',
        name: label,
        data: points.map((p) => [dayIndex.get(p.t.slice(0, 10)), new Date(p.t).getUTCHours(), p.value]),
      },
    ],
  };
}

function DayHourPanel({ filters, metric }: { filters: Filters; metric: HeatMetric }) {
  const { firstDay, lastDay } = useDataExtent();
  const [, setFilters] = useFilters();
  const theme = useTheme();
  const from = filters.from?.slice(0, 10) ?? firstDay;
  const to = filters.to?.slice(0, 10) ?? lastDay;
  const days = from && to ? daysBetween(from, to) : 0;
  const tooLong = days > MAX_DAYS_BY_HOUR;
  const query = useTimeseries('hour', filters);
  const info = METRICS[metric];
  const option = useMemo(
    () =>
      query.data && !tooLong
        ? dayHourOption(query.data.points.map((p) => ({ t: p.t, value: p[metric] })), info.label, info.exact, theme)
        : null,
    [query.data, metric, info, theme, tooLong],
  );
  return (
    <Panel
      title="Day by hour"
      subtitle="each cell one hour, UTC · click a cell to filter to that hour"
      query={query}
      isEmpty={(d) => tooLong || d.points.every((p) => p.events === 0)}
      emptyText={tooLong ? `Choose a period of at most ${MAX_DAYS_BY_HOUR} days to see single hours.` : undefined}
      span={12}
    >
      {(data) =>
        option && (
          <Chart
            label={`${info.label} by day and hour`}
            height={380}
            option={option}
            onSelect={(event) => {
              const [dayIdx, hour] = event.value as [number, number, number];
              const day = [...new Set(data.points.map((p) => p.t.slice(0, 10)))][dayIdx];
              const start = new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
              const end = new Date(start.getTime() + 3_600_000);
              setFilters({ ...filters, from: start.toISOString().replace('.000Z', 'Z'), to: end.toISOString().replace('.000Z', 'Z') });
            }}
          />
        )
      }
    </Panel>
  );
}

function DistributionPanel({
  title,
  subtitle,
  distribution,
  format,
  span = 4,
}: {
  title: string;
  subtitle: string;
  distribution: ReturnType<typeof useDistribution>;
  // Short forms (10m, 1.5h): five statistics share a third of the page's width.
  format: (v: number) => string;
  span?: 4 | 6;
}) {
  return (
    <Panel title={title} subtitle={subtitle} query={distribution} isEmpty={(d) => d.count === 0} span={span}>
      {(d: Distribution) => (
        <>
          <dl className="stats">
            <div>
              <dt>Sessions</dt>
              <dd>{formatExact(d.count)}</dd>
            </div>
            <div>
              <dt>Mean</dt>
              <dd>{d.mean === null ? '–' : format(d.mean)}</dd>
            </div>
            <div>
              <dt>Median</dt>
              <dd>{d.p50 === null ? '–' : format(d.p50)}</dd>
            </div>
            <div>
              <dt>p90</dt>
              <dd>{d.p90 === null ? '–' : format(d.p90)}</dd>
            </div>
            <div>
              <dt>p99</dt>
              <dd>{d.p99 === null ? '–' : format(d.p99)}</dd>
            </div>
          </dl>
          <Chart
            label={title}
            height={200}
            option={barOption({
              categories: binLabels(d.bins, format),
              series: [{ name: 'Sessions', values: d.bins.map((b) => b.count), colour: SEMANTIC.input }],
              valueFormatter: formatExact,
              axisFormatter: formatCount,
            })}
          />
        </>
      )}
    </Panel>
  );
}

export default function ActivityPage() {
  const [filters, setFilters] = useFilters();
  const theme = useTheme();
  const [metric, setMetric] = useViewParam<HeatMetric>(
    'metric',
    HEAT_METRICS.map((m) => m.value),
    'events',
  );
  const { firstDay, lastDay } = useDataExtent();
  const heatmap = useHeatmap(filters);
  const perDay = useTimeseriesCompared(bucketForRange(filters.from, filters.to, firstDay, lastDay) === 'week' ? 'week' : 'day', filters);
  const durations = useDistribution('session_duration_s', filters);
  const prompts = useDistribution('session_prompts', filters);
  const costs = useDistribution('session_cost_usd', filters);
  const info = METRICS[metric as MetricName];

  const peaks = useMemo(() => {
    const cells = heatmap.data?.cells ?? [];
    const total = cells.reduce((sum, c) => sum + c[metric], 0);
    return cells
      .filter((c) => c[metric] > 0)
      .sort((a, b) => b[metric] - a[metric])
      .slice(0, 6)
      .map((c) => ({ ...c, value: c[metric], share: total > 0 ? c[metric] / total : null }));
  }, [heatmap.data, metric]);

  return (
    <div className="page">
      <PageHeader title="Activity">When people work with it, and what a session looks like. All times UTC.</PageHeader>
      <div className="grid">
        <Panel
          title="Weekday by hour"
          subtitle="UTC"
          query={heatmap}
          isEmpty={(d) => d.cells.every((c) => c.events === 0)}
          span={8}
          actions={<Segmented label="Heatmap metric" value={metric} onChange={setMetric} options={HEAT_METRICS} />}
        >
          {(data) => (
            <Chart
              label={`${info.label} by weekday and hour`}
              height={300}
              option={weekHourOption({
                cells: data.cells.map((c) => ({ x: c.hour, y: c.weekday, value: c[metric] })),
                valueFormatter: info.exact,
                metricLabel: info.label,
                theme,
              })}
            />
          )}
        </Panel>

        <Panel
          title="Peak hours"
          subtitle={`busiest weekday hours by ${info.label.toLowerCase()}`}
          query={heatmap}
          isEmpty={() => peaks.length === 0}
          span={4}
        >
          {() => (
            <ol className="peaks">
              {peaks.map((p) => (
                <li key={`${p.weekday}-${p.hour}`}>
                  <span className="peaks__when">
                    {WEEKDAYS[p.weekday]} {formatHour(p.hour)}–{formatHour((p.hour + 1) % 24)}
                  </span>
                  <span className="peaks__value">{info.format(p.value)}</span>
                  <span className="peaks__share">{formatPercent(p.share)}</span>
                </li>
              ))}
            </ol>
          )}
        </Panel>

        <DayHourPanel filters={filters} metric={metric} />

        <Panel
          title={perDay.data?.bucket === 'week' ? 'Sessions per week' : 'Sessions per day'}
          subtitle={`${isCompared(perDay.data) ? 'the previous period dashed · ' : ''}click a bar to filter to that day`}
          query={perDay}
          isEmpty={(d) => d.points.every((p) => p.sessions === 0)}
          span={12}
        >
          {(data) => (
            <Chart
              label="Sessions per day"
              height={240}
              option={timeOption({
                times: data.points.map((p) => p.t),
                bucket: data.bucket,
                kind: 'bar',
                series: [
                  {
                    name: 'Sessions',
                    values: data.points.map((p) => p.sessions),
                    colour: SEMANTIC.input,
                    previous: isCompared(data) ? data.points.map((p) => p.previous?.sessions ?? null) : undefined,
                  },
                ],
                valueFormatter: formatExact,
                axisFormatter: formatCount,
              })}
              onSelect={(event) => {
                const point = data.points[event.dataIndex];
                if (point && data.bucket === 'day') setFilters({ ...filters, from: point.t.slice(0, 10), to: point.t.slice(0, 10) });
              }}
            />
          )}
        </Panel>

        <DistributionPanel
          title="Session length"
          subtitle="first to last event"
          distribution={durations}
          format={formatDurationShort}
        />
        <DistributionPanel
          title="Prompts per session"
          subtitle="user prompts"
          distribution={prompts}
          format={(v) => formatCount(Math.round(v * 10) / 10)}
        />
        <DistributionPanel
          title="Cost per session"
          subtitle="sum of request costs"
          distribution={costs}
          format={formatUsdShort}
        />
      </div>
    </div>
  );
}
