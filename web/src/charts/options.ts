// Option builders for the chart shapes the dashboard repeats. Pages pass rows the API returned;
// nothing here aggregates, it only lays figures out.

import {
  type AxisKind,
  axisTickFormatter,
  formatBucket,
  formatCount,
  formatDurationMs,
  formatDurationShort,
  formatHour,
  formatPercent,
  formatPercentAxis,
  formatUsd,
  formatUsdShort,
  WEEKDAYS,
} from '../format';
import type { Theme } from '../state/theme';
import { bandOf, bandSeriesId } from './chartTable';
import type { ChartOption } from './echarts';
import { SEMANTIC, SEQUENTIAL_DARK, SEQUENTIAL_LIGHT } from './palette';

export type ValueFormatter = (value: number) => string;

export interface SeriesData {
  name: string;
  values: (number | null)[];
  colour?: string;
  // The same figures over the previous period: a faint bar beside each bar (barOption), a dashed
  // line over the series (timeOption).
  previous?: (number | null)[];
}

export const PREVIOUS_SUFFIX = ', previous period';

// A range per time bucket (a forecast's interval, the band a value was expected in), shaded
// between its bounds; null where there is none.
export interface BandData {
  name: string;
  lo: (number | null)[];
  hi: (number | null)[];
  colour: string;
  opacity: number;
}

// A stretch of buckets to point out (an anomaly): a marker on the bucket `index` at `value`, and
// the buckets up to `lastIndex` shaded when it lasts longer than one.
export interface MarkerData {
  index: number;
  lastIndex: number;
  value: number;
  label: string;
}

// The band's lower bound, not drawn, with its width stacked on it and filled; the ids let the
// tooltip and the chart's table read the bounds back (bandSeriesId).
function bandSeries(band: BandData) {
  const common = {
    type: 'line',
    name: band.name,
    stack: `band:${band.name}`,
    // Stacked whatever the signs: a lower bound below zero still carries its width on top.
    stackStrategy: 'all',
    symbol: 'none',
    silent: true,
    // Under the figures drawn over it.
    z: 1,
    lineStyle: { opacity: 0 },
    itemStyle: { color: band.colour },
    legendIcon: 'roundRect',
  };
  const width = band.lo.map((lo, i) => {
    const hi = band.hi[i];
    return lo === null || hi === null || hi === undefined ? null : hi - lo;
  });
  return [
    { ...common, id: bandSeriesId(band.name, 'low'), data: band.lo },
    { ...common, id: bandSeriesId(band.name, 'width'), data: width, areaStyle: { color: band.colour, opacity: band.opacity } },
  ];
}

interface TooltipParam {
  seriesId?: string;
  seriesName?: string;
  value?: unknown;
  marker?: string;
  axisValueLabel?: string;
}

// An axis tooltip that writes each band as its bounds ("80 % interval: $9.00 – $17.20") and leaves
// out series without a value at the bucket (the history under a forecast, and the other way round).
function bandTooltipFormatter(format: ValueFormatter) {
  return (params: TooltipParam | TooltipParam[]) => {
    const list = Array.isArray(params) ? params : [params];
    const lines = [escapeHtml(list[0]?.axisValueLabel ?? '')];
    const lows = new Map<string, number>();
    for (const p of list) {
      if (typeof p.value !== 'number') continue;
      const band = bandOf(p.seriesId);
      if (band?.edge === 'low') {
        lows.set(band.band, p.value);
      } else if (band) {
        const low = lows.get(band.band);
        if (low !== undefined) lines.push(`${p.marker ?? ''}${escapeHtml(band.band)}: <b>${format(low)} – ${format(low + p.value)}</b>`);
      } else {
        lines.push(`${p.marker ?? ''}${escapeHtml(p.seriesName ?? '')}: <b>${format(p.value)}</b>`);
      }
    }
    return lines.join('<br/>');
  };
}

// Anomalies as markers on a series: a dot at each, a shaded span for those longer than a bucket.
function markerOptions(markers: MarkerData[]) {
  return {
    markPoint: {
      symbol: 'circle',
      symbolSize: 11,
      itemStyle: { color: SEMANTIC.bad, borderColor: '#ffffff', borderWidth: 1.5 },
      label: { show: false },
      data: markers.map((m) => ({ name: m.label, coord: [m.index, m.value], value: m.value })),
    },
    markArea: {
      silent: true,
      itemStyle: { color: SEMANTIC.bad, opacity: 0.12 },
      data: markers.filter((m) => m.lastIndex > m.index).map((m) => [{ xAxis: m.index }, { xAxis: m.lastIndex }]),
    },
  };
}

// The previous period's bars: the series' colour, faint, named so that the tooltip says which is which.
function ghostBars(s: SeriesData, stack: boolean) {
  return {
    type: 'bar',
    name: `${s.name}${PREVIOUS_SUFFIX}`,
    data: s.previous,
    stack: stack ? 'previous' : undefined,
    itemStyle: { color: s.colour, opacity: 0.3 },
    barMaxWidth: 36,
    emphasis: { focus: 'series' },
  };
}

const GRID = { left: 8, right: 16, top: 40, bottom: 8 };
const LEGEND = { top: 0, left: 0, type: 'scroll', right: 40, itemWidth: 14, itemHeight: 10 };

// Counts get whole-number ticks: half a session on an axis reads as a mistake.
function onlyIntegers(series: SeriesData[]): boolean {
  return series.every((s) => s.values.every((v) => v === null || Number.isInteger(v)));
}

// The formatters the dashboard writes axes with, and the kind of figure each writes. An axis given
// one of them writes all its ticks in one unit and precision chosen from the axis' extent
// (axisTickFormatter); any other formatter is used as given.
const AXIS_KINDS = new Map<ValueFormatter, AxisKind>([
  [formatCount, 'count'],
  [formatUsd, 'usd'],
  [formatUsdShort, 'usd'],
  [formatPercentAxis, 'percent'],
  [formatDurationShort, 'seconds'],
  [formatDurationMs, 'ms'],
]);

// The largest magnitude a value axis must reach: the largest value, or the largest stack; the
// previous period's figures, drawn on the same axis, count too.
export function axisExtent(series: SeriesData[], stack: boolean): number {
  const previous = series.filter((s) => s.previous).map((s) => ({ ...s, values: s.previous!, previous: undefined }));
  if (previous.length > 0) return Math.max(axisExtent(series.map((s) => ({ ...s, previous: undefined })), stack), axisExtent(previous, stack));
  if (!stack) return series.reduce((m, s) => s.values.reduce<number>((n, v) => Math.max(n, Math.abs(v ?? 0)), m), 0);
  const length = series.reduce((m, s) => Math.max(m, s.values.length), 0);
  let max = 0;
  for (let i = 0; i < length; i++) {
    let positive = 0;
    let negative = 0;
    for (const s of series) {
      const v = s.values[i] ?? 0;
      if (v > 0) positive += v;
      else negative -= v;
    }
    max = Math.max(max, positive, negative);
  }
  return max;
}

export function uniformAxisFormatter(
  formatter: ValueFormatter,
  series: SeriesData[],
  stack: boolean,
  options: { max?: number; logScale?: boolean } = {},
): ValueFormatter {
  const kind = AXIS_KINDS.get(formatter);
  // A log axis spans orders of magnitude on purpose: each tick keeps its own unit.
  if (!kind || options.logScale) return formatter;
  const max = options.max ?? axisExtent(series, stack);
  return axisTickFormatter(kind, max, onlyIntegers(series) ? 1 : 0);
}

// Labels of values spaced `step` apart up to `max` (a histogram's bin edges), all in one unit with
// one precision when `formatter` is one the dashboard knows; otherwise `formatter` itself.
export function uniformLabels(formatter: ValueFormatter, max: number, step: number): ValueFormatter {
  const kind = AXIS_KINDS.get(formatter);
  return kind ? axisTickFormatter(kind, max, 0, step) : formatter;
}

// A histogram's bins as "lo–hi" labels, every edge in the unit of the largest and the precision of
// the bin width.
export function binLabels(bins: { lo: number; hi: number }[], formatter: ValueFormatter): string[] {
  const width = bins.length > 0 ? bins[0].hi - bins[0].lo : 0;
  const edge = uniformLabels(formatter, bins.at(-1)?.hi ?? 0, width);
  return bins.map((b) => `${edge(b.lo)}–${edge(b.hi)}`);
}

function axisTooltip(valueFormatter: ValueFormatter) {
  return {
    trigger: 'axis',
    axisPointer: { type: 'shadow' },
    valueFormatter: (value: unknown) => (typeof value === 'number' ? valueFormatter(value) : '–'),
  };
}

// Bars per category: one series, or several side by side (or stacked with `stack`).
export function barOption(options: {
  categories: string[];
  series: SeriesData[];
  valueFormatter: ValueFormatter;
  axisFormatter?: ValueFormatter;
  horizontal?: boolean;
  stack?: boolean;
  min?: number | ((extent: { min: number; max: number }) => number);
  max?: number;
  // For values spanning orders of magnitude (durations from milliseconds to minutes).
  logScale?: boolean;
}): ChartOption {
  const { categories, series, valueFormatter, horizontal = false, stack = false } = options;
  const axisFormatter = uniformAxisFormatter(options.axisFormatter ?? valueFormatter, series, stack, options);
  const categoryAxis = {
    type: 'category',
    data: categories,
    inverse: horizontal, // largest first, at the top
    axisTick: { alignWithLabel: true },
    // Horizontal bars: room for the longest model name (claude-sonnet-4-5-20250929) at 12 px.
    axisLabel: horizontal ? { width: 190, overflow: 'truncate' } : {},
  };
  const valueAxis = {
    type: options.logScale ? 'log' : 'value',
    min: options.min,
    max: options.max,
    minInterval: onlyIntegers(series) ? 1 : undefined,
    axisLabel: { formatter: (value: number) => axisFormatter(value), hideOverlap: true },
    splitLine: { lineStyle: { opacity: 0.4 } },
  };
  const legend = series.length > 1 || series.some((s) => s.previous);
  return {
    legend: legend ? LEGEND : undefined,
    grid: { ...GRID, top: legend ? 40 : 28, bottom: horizontal ? GRID.bottom : 24 },
    tooltip: axisTooltip(valueFormatter),
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: series.flatMap((s) => {
      const bars = {
        type: 'bar',
        name: s.name,
        data: s.values,
        stack: stack ? 'total' : undefined,
        itemStyle: s.colour ? { color: s.colour } : undefined,
        barMaxWidth: 36,
        emphasis: { focus: 'series' },
      };
      return s.previous ? [bars, ghostBars(s, stack)] : [bars];
    }),
  };
}

// Values over time buckets, as lines or (stacked) bars.
export function timeOption(options: {
  times: string[];
  bucket: 'hour' | 'day' | 'week';
  series: SeriesData[];
  valueFormatter: ValueFormatter;
  axisFormatter?: ValueFormatter;
  kind?: 'line' | 'bar' | 'area';
  stack?: boolean;
  // The previous period's total (of a stacked chart) as one dashed line.
  previousTotal?: (number | null)[];
  // Lines with a point per bucket, so that a click can pick the bucket.
  points?: boolean;
  // Lines over the series, dashed and never stacked: figures a model gave rather than measured
  // (a forecast after stacked bars, the value expected).
  lines?: SeriesData[];
  // Shaded ranges under everything else.
  bands?: BandData[];
  // Buckets to point out, marked on the last series (the top of a stack).
  markers?: MarkerData[];
}): ChartOption {
  const { times, bucket, series, valueFormatter, kind = 'line', stack = false, lines = [], bands = [], markers = [] } = options;
  // The axis reaches the top of the stack and of every line and band drawn on it.
  const unstacked = [...lines, ...bands.map((b) => ({ name: b.name, values: b.hi }))];
  const max = Math.max(axisExtent(series, stack), axisExtent(unstacked, false));
  const axisFormatter = uniformAxisFormatter(options.axisFormatter ?? valueFormatter, series, stack, { max });
  // Each series' previous figures as a dashed line of its colour, not stacked.
  const overlays = [
    ...series
      .filter((s) => s.previous)
      .map((s) => ({ name: `${s.name}${PREVIOUS_SUFFIX}`, values: s.previous!, colour: s.colour })),
    ...(options.previousTotal ? [{ name: `Total${PREVIOUS_SUFFIX}`, values: options.previousTotal, colour: undefined }] : []),
  ];
  const legend = series.length + overlays.length + lines.length + bands.length > 1;
  const tooltip = { ...axisTooltip(valueFormatter), axisPointer: { type: kind === 'bar' ? 'shadow' : 'line' } };
  return {
    legend: legend ? LEGEND : undefined,
    grid: { ...GRID, top: legend ? 40 : 28 },
    tooltip: bands.length > 0 ? { ...tooltip, formatter: bandTooltipFormatter(valueFormatter) } : tooltip,
    xAxis: {
      type: 'category',
      data: times.map((t) => formatBucket(t, bucket)),
      boundaryGap: kind === 'bar',
      axisLabel: {},
    },
    yAxis: {
      type: 'value',
      minInterval: onlyIntegers(series) ? 1 : undefined,
      axisLabel: { formatter: (value: number) => axisFormatter(value), hideOverlap: true },
      splitLine: { lineStyle: { opacity: 0.4 } },
    },
    series: [
      ...series.map((s, i) => ({
        type: kind === 'bar' ? 'bar' : 'line',
        name: s.name,
        data: s.values,
        stack: stack ? 'total' : undefined,
        areaStyle: kind === 'area' ? { opacity: 0.85 } : undefined,
        lineStyle: kind === 'area' ? { width: 0.5 } : { width: 2 },
        symbol: options.points ? 'circle' : 'none',
        symbolSize: options.points ? 6 : undefined,
        smooth: false,
        barMaxWidth: 24,
        itemStyle: s.colour ? { color: s.colour } : undefined,
        emphasis: { focus: 'series' },
        ...(markers.length > 0 && i === series.length - 1 ? markerOptions(markers) : {}),
      })),
      ...overlays.map((o) => ({
        type: 'line',
        name: o.name,
        data: o.values,
        lineStyle: { width: 1.5, type: 'dashed', opacity: 0.8 },
        symbol: 'none',
        smooth: false,
        itemStyle: { color: o.colour ?? '#7f7f7f' },
        emphasis: { focus: 'series' },
      })),
      ...lines.map((l) => ({
        type: 'line',
        name: l.name,
        data: l.values,
        lineStyle: { width: 2, type: 'dashed' },
        symbol: 'none',
        smooth: false,
        itemStyle: l.colour ? { color: l.colour } : undefined,
        emphasis: { focus: 'series' },
      })),
      ...bands.flatMap(bandSeries),
    ],
  };
}

// A ring of shares, exact value and share in the tooltip.
export function donutOption(options: {
  items: { name: string; value: number; colour?: string }[];
  valueFormatter: ValueFormatter;
}): ChartOption {
  const { items, valueFormatter } = options;
  // Shares from the values themselves, rounded once: ECharts' `percent` is already rounded to two
  // decimals, and rounding that again to one shows 36.5 % for 36.546 %.
  const total = items.reduce((sum, item) => sum + Math.max(0, item.value), 0);
  const share = (value: number) => formatPercent(total > 0 ? value / total : null, 1);
  return {
    legend: { type: 'scroll', orient: 'vertical', right: 0, top: 'middle', itemWidth: 14, itemHeight: 10 },
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; value: number; marker: string }) =>
        `${p.marker}${escapeHtml(p.name)}<br/><b>${valueFormatter(p.value)}</b> (${share(p.value).replace('\u00a0', '&nbsp;')})`,
    },
    series: [
      {
        type: 'pie',
        radius: ['42%', '68%'],
        center: ['32%', '50%'],
        avoidLabelOverlap: true,
        itemStyle: { borderWidth: 2, borderColor: 'transparent' },
        label: { formatter: (p: { value: number }) => share(p.value), fontSize: 11 },
        // Read by the chart's table (chartTable); the tooltip above writes its own text.
        tooltip: { valueFormatter },
        data: items.map((item) => ({
          name: item.name,
          value: item.value,
          itemStyle: item.colour ? { color: item.colour } : undefined,
        })),
      },
    ],
  };
}

export interface HeatCell {
  x: number;
  y: number;
  value: number;
}

// Weekday (rows, Monday on top) by hour (columns), UTC.
export function weekHourOption(options: {
  cells: HeatCell[];
  valueFormatter: ValueFormatter;
  metricLabel: string;
  theme: Theme;
  compact?: boolean;
}): ChartOption {
  const { cells, valueFormatter, metricLabel, theme, compact = false } = options;
  const max = cells.reduce((m, c) => Math.max(m, c.value), 0);
  const hours = Array.from({ length: 24 }, (_, h) => formatHour(h));
  return {
    grid: { left: 8, right: 8, top: 28, bottom: compact ? 8 : 48 },
    tooltip: {
      trigger: 'item',
      formatter: (p: { value: [number, number, number] }) =>
        `${WEEKDAYS[p.value[1]]} ${hours[p.value[0]]}–${formatHour((p.value[0] + 1) % 24)} UTC<br/>` +
        `${escapeHtml(metricLabel)}: <b>${valueFormatter(p.value[2])}</b>`,
    },
    xAxis: { type: 'category', data: hours, splitArea: { show: false }, axisLabel: { interval: compact ? 5 : 1 } },
    yAxis: { type: 'category', data: WEEKDAYS, inverse: true },
    visualMap: {
      min: 0,
      max: Math.max(max, 1),
      calculable: false,
      show: !compact,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 160,
      itemWidth: 10,
      formatter: (value: number) => valueFormatter(value),
      inRange: { color: theme === 'dark' ? SEQUENTIAL_DARK : SEQUENTIAL_LIGHT },
    },
    series: [
      {
        type: 'heatmap',
        name: metricLabel,
        data: cells.map((c) => [c.x, c.y, c.value]),
        itemStyle: { borderWidth: 1, borderColor: theme === 'dark' ? '#0d1117' : '#ffffff' },
        emphasis: { itemStyle: { borderColor: theme === 'dark' ? '#ffffff' : '#000000', borderWidth: 1 } },
      },
    ],
  };
}

// A contribution-style calendar of days with activity.
export function calendarOption(options: {
  days: { date: string; value: number }[];
  from: string;
  to: string;
  valueFormatter: ValueFormatter;
  metricLabel: string;
  theme: Theme;
}): ChartOption {
  const { days, from, to, valueFormatter, metricLabel, theme } = options;
  const max = days.reduce((m, d) => Math.max(m, d.value), 0);
  // Cells as large as the weeks of the range allow in a half-width panel.
  const weeks = Math.ceil((Date.parse(to) - Date.parse(from)) / (7 * 86_400_000)) + 2;
  const cell = Math.max(8, Math.min(30, Math.floor(540 / weeks)));
  const empty = theme === 'dark' ? '#1a2330' : '#eef2f6';
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { value: [string, number] }) =>
        `${p.value[0]}<br/>${escapeHtml(metricLabel)}: <b>${valueFormatter(p.value[1])}</b>`,
    },
    visualMap: {
      min: 0,
      max: Math.max(max, 1),
      show: false,
      inRange: { color: (theme === 'dark' ? SEQUENTIAL_DARK : SEQUENTIAL_LIGHT).slice(1) },
    },
    calendar: {
      range: [from, to],
      top: 36,
      left: 40,
      cellSize: [cell, cell],
      dayLabel: { firstDay: 1, nameMap: 'en' },
      monthLabel: { nameMap: 'en' },
      yearLabel: { show: false },
      itemStyle: { color: empty, borderWidth: 2, borderColor: theme === 'dark' ? '#161b22' : '#ffffff' },
      splitLine: { show: false },
    },
    series: [{ type: 'heatmap', coordinateSystem: 'calendar', data: days.map((d) => [d.date, d.value]) }],
  };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
