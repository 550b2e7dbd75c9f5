import { describe, expect, it } from 'vitest';

import { axisTickFormatter, formatCount, formatDurationShort, formatPercentAxis, formatUsd, formatUsdShort, niceInterval } from '../format';
import { axisExtent, barOption, binLabels, donutOption, timeOption, uniformAxisFormatter, uniformLabels } from './options';

const NBSP = '\u00a0';

// The ticks ECharts draws on an axis from 0 to `max`.
function ticks(max: number, minInterval = 0): number[] {
  const interval = niceInterval(max, minInterval);
  const out: number[] = [];
  for (let i = 0; i * interval <= max + interval - 1e-9; i++) out.push(Number((i * interval).toPrecision(12)));
  return out;
}

// A tick's unit suffix and decimals: equal on every tick of an axis.
function shape(text: string): string {
  return text.replace(/^-?\$?[\d,]+/, '#').replace(/\.\d+/, (d) => `.${'0'.repeat(d.length - 1)}`);
}

type AxisLabel = { formatter: (v: number) => string };

describe('axis ticks', () => {
  it('write $900 and $1,200 on one axis, not $900.00 beside $1.2K', () => {
    const option = barOption({
      categories: ['a', 'b'],
      series: [{ name: 'Cost', values: [900, 1150.37] }],
      valueFormatter: formatUsd,
      axisFormatter: formatUsdShort,
    });
    const format = ((option.yAxis as { axisLabel: AxisLabel }).axisLabel).formatter;
    expect([0, 300, 600, 900, 1200].map(format)).toEqual(['$0', '$300', '$600', '$900', '$1,200']);
  });

  it('choose one unit and one precision per axis, whatever its extent', () => {
    for (const max of [0.004, 0.9, 3.7, 12, 95, 950, 1150, 9_999, 12_345, 480_000, 1_500_000, 7.2e9]) {
      for (const kind of ['usd', 'count'] as const) {
        const format = axisTickFormatter(kind, max);
        const shapes = new Set(ticks(max).filter((t) => t !== 0).map((t) => shape(format(t))));
        expect(shapes.size, `${kind} up to ${max}: ${ticks(max).map(format).join(' ')}`).toBe(1);
      }
    }
    expect(ticks(1_500_000).map(axisTickFormatter('count', 1_500_000))).toEqual(['0', '300K', '600K', '900K', '1,200K', '1,500K']);
    expect(ticks(0.9).map(axisTickFormatter('usd', 0.9))).toEqual(['$0', '$0.20', '$0.40', '$0.60', '$0.80', '$1.00']);
  });

  it('write small rates with the decimals their ticks need', () => {
    const format = axisTickFormatter('percent', 0.0061);
    expect(ticks(0.0061).map(format)).toEqual(['0.0', '0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7'].map((t) => `${t}${NBSP}%`));
    expect(axisTickFormatter('percent', 0.93)(0.6)).toBe(`60${NBSP}%`);
  });

  it('write durations in one unit: milliseconds up to 10 s, then seconds', () => {
    expect(ticks(1500).map(axisTickFormatter('ms', 1500))).toEqual(['0', '300', '600', '900', '1,200', '1,500'].map((t) => (t === '0' ? '0' : `${t}${NBSP}ms`)));
    expect(ticks(27_000).map(axisTickFormatter('ms', 27_000))).toEqual(['0', `5${NBSP}s`, `10${NBSP}s`, `15${NBSP}s`, `20${NBSP}s`, `25${NBSP}s`, `30${NBSP}s`]);
    expect(ticks(400).map(axisTickFormatter('seconds', 400))).toEqual(['0', '100s', '200s', '300s', '400s']);
  });

  it('keep whole-number ticks for counts', () => {
    expect(ticks(3, 1).map(axisTickFormatter('count', 3, 1))).toEqual(['0', '1', '2', '3']);
  });

  it('measure stacked axes by their largest stack', () => {
    const series = [
      { name: 'a', values: [600, 100] },
      { name: 'b', values: [500, null] },
    ];
    expect(axisExtent(series, false)).toBe(600);
    expect(axisExtent(series, true)).toBe(1100);
    const option = timeOption({ times: ['2025-12-01T00:00:00Z', '2025-12-02T00:00:00Z'], bucket: 'day', series, stack: true, valueFormatter: formatCount, axisFormatter: formatCount });
    expect((option.yAxis as { axisLabel: AxisLabel }).axisLabel.formatter(1000)).toBe('1,000');
  });

  it('leave formatters it does not know, and log axes, as given', () => {
    const custom = (v: number) => `${v} things`;
    expect(uniformAxisFormatter(custom, [{ name: 'a', values: [5000] }], false)).toBe(custom);
    expect(uniformAxisFormatter(formatCount, [{ name: 'a', values: [5000] }], false, { logScale: true })).toBe(formatCount);
    expect(uniformAxisFormatter(formatPercentAxis, [{ name: 'a', values: [0.004] }], false)(0.001)).toBe(`0.1${NBSP}%`);
  });
});

describe('histogram labels', () => {
  it('write every bin edge in the unit of the largest and the precision of the bin width', () => {
    const usd = uniformLabels(formatUsdShort, 1250, 250);
    expect([0, 250, 500, 750, 1000, 1250].map(usd)).toEqual(['$0', '$250', '$500', '$750', '$1,000', '$1,250']);
    const seconds = uniformLabels(formatDurationShort, 7200, 900);
    expect([2700, 3600, 4500].map(seconds)).toEqual(['45m', '60m', '75m']);
    const custom = (v: number) => `${v}!`;
    expect(uniformLabels(custom, 10, 1)).toBe(custom);
    expect(binLabels([{ lo: 0, hi: 1800 }, { lo: 1800, hi: 3600 }, { lo: 3600, hi: 5400 }], formatDurationShort)).toEqual(['0–30m', '30m–60m', '60m–90m']);
  });
});

describe('donut tooltip', () => {
  type Tooltip = { formatter: (p: { name: string; value: number; marker: string }) => string };
  type Label = { formatter: (p: { value: number }) => string };

  it('rounds the share once, from the values', () => {
    const option = donutOption({
      items: [
        { name: 'opus', value: 36.55 },
        { name: 'sonnet', value: 63.45 },
      ],
      valueFormatter: formatUsd,
    });
    const tooltip = (option.tooltip as Tooltip).formatter({ name: 'opus', value: 36.55, marker: '' });
    expect(tooltip).toContain('(36.6&nbsp;%)');
    const series = (option.series as { label: Label }[])[0];
    expect(series.label.formatter({ value: 36.55 })).toBe(`36.6${NBSP}%`);
  });
});

describe('time charts with bands and markers', () => {
  const option = timeOption({
    times: ['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z'],
    bucket: 'day',
    series: [{ name: 'Cost', values: [10, 30, null] }],
    lines: [{ name: 'Forecast', values: [null, null, 12] }],
    bands: [{ name: '80 % interval', lo: [null, null, -1.5], hi: [null, null, 20_000], colour: '#0072B2', opacity: 0.2 }],
    markers: [{ index: 1, lastIndex: 2, value: 30, label: 'Above expected: $30.00' }],
    valueFormatter: formatUsd,
  });
  type Series = { id?: string; name: string; data: unknown[]; stack?: string; stackStrategy?: string; markPoint?: unknown; markArea?: unknown };
  const series = option.series as Series[];

  it('stacks a band’s width on its lower bound, whatever the sign of the bound', () => {
    expect(series.map((s) => [s.id, s.name, s.data, s.stack, s.stackStrategy])).toEqual([
      [undefined, 'Cost', [10, 30, null], undefined, undefined],
      [undefined, 'Forecast', [null, null, 12], undefined, undefined],
      ['band-low:80 % interval', '80 % interval', [null, null, -1.5], 'band:80 % interval', 'all'],
      ['band-width:80 % interval', '80 % interval', [null, null, 20_001.5], 'band:80 % interval', 'all'],
    ]);
  });

  it('writes its axis for the top of the bands, not only of the series', () => {
    const tick = (option.yAxis as { axisLabel: { formatter: (v: number) => string } }).axisLabel.formatter;
    expect(tick(5000)).toBe('$5K');
  });

  it('writes a band in the tooltip as its bounds, and leaves out series without a value there', () => {
    const formatter = (option.tooltip as { formatter: (params: unknown) => string }).formatter;
    const text = formatter([
      { axisValueLabel: 'Jan 3', seriesName: 'Cost', value: undefined, marker: '●' },
      { seriesName: 'Forecast', value: 12, marker: '●' },
      { seriesId: 'band-low:80 % interval', seriesName: '80 % interval', value: -1.5, marker: '■' },
      { seriesId: 'band-width:80 % interval', seriesName: '80 % interval', value: 20_001.5, marker: '■' },
    ]);
    expect(text).toBe('Jan 3<br/>●Forecast: <b>$12.00</b><br/>■80 % interval: <b>-$1.50 – $20,000.00</b>');
  });

  it('marks each anomaly on the top series, and shades those longer than a bucket', () => {
    expect(series[0].markPoint).toMatchObject({ data: [{ name: 'Above expected: $30.00', coord: [1, 30] }] });
    expect(series[0].markArea).toMatchObject({ data: [[{ xAxis: 1 }, { xAxis: 2 }]] });
  });
});
