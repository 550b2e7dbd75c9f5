// The figures of a chart option as a table: what the chart's keyboard and screen-reader
// alternative shows, and the click event each element would send, so that choosing a row does
// what clicking that element does.

import type { ChartOption, ECElementEvent } from './echarts';

export interface ChartTableCell {
  text: string;
  // The event a click on this element sends; absent for an element there is nothing to click on.
  event?: Partial<ECElementEvent>;
}

export interface ChartTableRow {
  label: string;
  event?: Partial<ECElementEvent>;
  cells: ChartTableCell[];
}

export interface ChartTableData {
  rowHeader: string;
  columns: string[];
  rows: ChartTableRow[];
}

type Formatter = (value: number) => string;
type AnyRecord = Record<string, unknown>;

function asArray<T = AnyRecord>(value: unknown): T[] {
  if (Array.isArray(value)) return value as T[];
  return value === undefined || value === null ? [] : [value as T];
}

function formatterOf(...tooltips: unknown[]): Formatter {
  for (const tooltip of tooltips) {
    const valueFormatter = (tooltip as AnyRecord | undefined)?.valueFormatter;
    if (typeof valueFormatter === 'function') return valueFormatter as Formatter;
  }
  return (value) => String(value);
}

function cellText(value: unknown, format: Formatter): string {
  const raw = value !== null && typeof value === 'object' && 'value' in (value as AnyRecord) ? (value as AnyRecord).value : value;
  return typeof raw === 'number' && Number.isFinite(raw) ? format(raw) : '–';
}

function categoryAxis(option: AnyRecord): { data: string[]; name: string } | null {
  for (const key of ['xAxis', 'yAxis']) {
    const axis = asArray(option[key])[0];
    if (axis?.type === 'category' && Array.isArray(axis.data)) return { data: (axis.data as unknown[]).map(String), name: String(axis.name ?? '') };
  }
  return null;
}

// A band (a forecast's interval, the range a value was expected in) is drawn as two stacked lines:
// its lower bound, and its width filled on top of it (ECharts fills only between a series and the
// one stacked under it). Their ids say which is which, so that the tooltip and this table give the
// bounds themselves, never the width.
type BandEdge = 'low' | 'width';

export function bandSeriesId(band: string, edge: BandEdge): string {
  return `band-${edge}:${band}`;
}

export function bandOf(seriesId: unknown): { band: string; edge: BandEdge } | null {
  const match = typeof seriesId === 'string' ? /^band-(low|width):(.*)$/s.exec(seriesId) : null;
  return match ? { band: match[2], edge: match[1] as BandEdge } : null;
}

const TABULAR = new Set(['bar', 'line', 'pie', 'heatmap']);

// Whether chartTable can lay the chart out, without building the table.
export function hasChartTable(option: ChartOption): boolean {
  const series = asArray((option as AnyRecord).series);
  return series.length > 0 && series.every((s) => TABULAR.has(s.type as string));
}

export function chartTable(option: ChartOption): ChartTableData | null {
  const o = option as AnyRecord;
  const series = asArray(o.series);
  if (series.length === 0) return null;
  const kinds = new Set(series.map((s) => s.type));

  if (kinds.size === 1 && kinds.has('pie')) {
    const s = series[0];
    const format = formatterOf(s.tooltip, o.tooltip);
    const items = asArray(s.data);
    return {
      rowHeader: 'Name',
      columns: [String(s.name ?? 'Value')],
      rows: items.map((item, dataIndex) => {
        const event = { componentType: 'series', seriesType: 'pie', seriesIndex: 0, seriesName: s.name as string, name: String(item.name), value: item.value as number, dataIndex };
        return { label: String(item.name), event, cells: [{ text: cellText(item, format), event }] };
      }),
    };
  }

  if ([...kinds].every((k) => k === 'bar' || k === 'line')) {
    const axis = categoryAxis(o);
    if (!axis) return null;
    const formats = series.map((s) => formatterOf(s.tooltip, o.tooltip));
    const bands = series.map((s) => bandOf(s.id));
    const lows = new Map(series.flatMap((s, i) => (bands[i]?.edge === 'low' ? [[bands[i]!.band, asArray<unknown>(s.data)] as const] : [])));
    // A band's width series shows its upper bound: the lower bound plus the width.
    const valueAt = (seriesIndex: number, dataIndex: number): unknown => {
      const value = asArray<unknown>(series[seriesIndex].data)[dataIndex];
      const band = bands[seriesIndex];
      if (band?.edge !== 'width') return value;
      const low = lows.get(band.band)?.[dataIndex];
      return typeof value === 'number' && typeof low === 'number' ? low + value : null;
    };
    const columnName = (s: AnyRecord, i: number) => {
      const band = bands[i];
      if (band) return `${band.band} ${band.edge === 'low' ? 'low' : 'high'}`;
      return String(s.name ?? `Series ${i + 1}`);
    };
    return {
      rowHeader: axis.name || 'Category',
      columns: series.map(columnName),
      rows: axis.data.map((name, dataIndex) => {
        const cells = series.map((s, seriesIndex) => {
          const value = valueAt(seriesIndex, dataIndex);
          const event = { componentType: 'series', seriesType: s.type as string, seriesIndex, seriesName: s.name as string, name, value: value as number, dataIndex };
          return { text: cellText(value, formats[seriesIndex]), event };
        });
        return { label: name, event: cells[0]?.event, cells };
      }),
    };
  }

  if (kinds.size === 1 && kinds.has('heatmap')) {
    const s = series[0];
    // A heatmap's tooltip formats whole cells; its legend (visualMap) formats values.
    const format = formatterOf(s.tooltip, o.tooltip, { valueFormatter: asArray(o.visualMap)[0]?.formatter });
    const data = asArray<unknown[]>(s.data);
    if (s.coordinateSystem === 'calendar') {
      return {
        rowHeader: 'Day',
        columns: [String(s.name ?? 'Value')],
        rows: data.map((item, dataIndex) => {
          const event = { componentType: 'series', seriesType: 'heatmap', seriesIndex: 0, name: String(item[0]), value: item as never, dataIndex };
          return { label: String(item[0]), event, cells: [{ text: cellText(item[1], format), event }] };
        }),
      };
    }
    const x = asArray(o.xAxis)[0];
    const y = asArray(o.yAxis)[0];
    const xs = asArray<unknown>(x?.data).map(String);
    const ys = asArray<unknown>(y?.data).map(String);
    if (xs.length === 0 || ys.length === 0) return null;
    const cells = new Map<string, { value: unknown[]; dataIndex: number }>();
    data.forEach((item, dataIndex) => cells.set(`${item[0]}:${item[1]}`, { value: item, dataIndex }));
    return {
      rowHeader: String(y?.name ?? ''),
      columns: xs,
      rows: ys.map((label, yi) => ({
        label,
        cells: xs.map((_, xi) => {
          const cell = cells.get(`${xi}:${yi}`);
          if (!cell) return { text: '–' };
          const event = { componentType: 'series', seriesType: 'heatmap', seriesIndex: 0, seriesName: s.name as string, value: cell.value as never, dataIndex: cell.dataIndex };
          return { text: cellText(cell.value[2], format), event };
        }),
      })),
    };
  }
  return null;
}
