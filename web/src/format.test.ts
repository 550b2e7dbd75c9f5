import { describe, expect, it } from 'vitest';

import {
  compareNatural,
  formatBucket,
  formatBytes,
  formatChange,
  formatClock,
  formatCount,
  formatDateTime,
  formatDurationMs,
  formatDurationShort,
  formatExact,
  formatPercent,
  formatPointChange,
  formatUsd,
  formatUsdFine,
  MISSING,
  statusCodeLabel,
} from './format';

const NBSP = '\u00a0';

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [950, '950'],
    [999, '999'],
    [1000, '1K'],
    [1234, '1.2K'],
    [12_345, '12.3K'],
    [123_456, '123K'],
    [1_200_000, '1.2M'],
    [999_960, '1M'], // rounds up into the next unit instead of printing "1000K"
    [4_560_000_000, '4.6B'],
    [-2500, '-2.5K'],
  ])('%d reads %s', (value, text) => {
    expect(formatCount(value)).toBe(text);
  });

  it('marks missing values', () => {
    expect(formatCount(null)).toBe(MISSING);
    expect(formatCount(Number.NaN)).toBe(MISSING);
  });
});

describe('formatUsd', () => {
  it.each([
    [652.18, '$652.18'],
    [0, '$0.00'],
    [12345.678, '$12,345.68'],
    [0.0033, '$0.0033'],
    [0.00012345, '$0.00012'],
    [0.5, '$0.50'],
    [1.005, '$1.01'],
    [-1234567.891, '-$1,234,567.89'],
    [999.995, '$1,000.00'],
  ])('%d reads %s', (value, text) => {
    expect(formatUsd(value)).toBe(text);
  });

  it('writes what Intl writes for amounts of a cent and more', () => {
    const intl = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let i = 0; i < 5000; i++) {
      const value = (random() < 0.2 ? -1 : 1) * (0.01 + random() * 10 ** Math.floor(random() * 9));
      const rounded = Math.round(value * 1000) / 1000;
      for (const v of [value, rounded]) expect(formatUsd(v), String(v)).toBe(intl.format(v));
    }
  });
});

describe('formatUsdFine', () => {
  it('keeps four decimals below a dollar', () => {
    expect(formatUsdFine(0.071)).toBe('$0.0710');
    expect(formatUsdFine(0.0033)).toBe('$0.0033');
    expect(formatUsdFine(2.5)).toBe('$2.50');
    expect(formatUsdFine(0.000012)).toBe('$0.000012');
    expect(formatUsdFine(0)).toBe('$0.00');
  });
});

describe('formatPercent', () => {
  it('writes ratios as percentages with a non-breaking space', () => {
    expect(formatPercent(0.934)).toBe(`93.4${NBSP}%`);
    expect(formatPercent(0.01234, 2)).toBe(`1.23${NBSP}%`);
    expect(formatPercent(1)).toBe(`100.0${NBSP}%`);
  });

  it('rounds half up on the decimal shown, once', () => {
    // 0.3655 * 100 is 36.550000000000004 and 36.55.toFixed(1) is "36.5": the double lies below.
    expect(formatPercent(0.3655)).toBe(`36.6${NBSP}%`);
    expect(formatPercent(0.36546)).toBe(`36.5${NBSP}%`);
    expect(formatPercent(0.00125, 1)).toBe(`0.1${NBSP}%`);
    expect(formatPercent(-0.0004, 1)).toBe(`0.0${NBSP}%`);
  });

  it('marks an undefined rate', () => {
    expect(formatPercent(null)).toBe(MISSING);
  });
});

describe('formatChange', () => {
  it('gives the signed relative change', () => {
    expect(formatChange(110, 100)).toBe(`+10.0${NBSP}%`);
    expect(formatChange(75, 100)).toBe(`−25.0${NBSP}%`);
    expect(formatChange(100, 100)).toBe(`0.0${NBSP}%`);
  });

  it('says "new" when nothing came before', () => {
    expect(formatChange(5, 0)).toBe('new');
    expect(formatChange(0, 0)).toBe(`0.0${NBSP}%`);
  });
});

describe('formatPointChange', () => {
  it('gives the difference of two ratios in percentage points', () => {
    expect(formatPointChange(0.934, 0.912)).toBe(`+2.2${NBSP}pt`);
    expect(formatPointChange(0.9, 0.95)).toBe(`−5.0${NBSP}pt`);
    expect(formatPointChange(0.5, 0.5)).toBe(`0.0${NBSP}pt`);
  });
});

describe('formatDurationMs', () => {
  it.each([
    [850, `850${NBSP}ms`],
    [4200, `4.2${NBSP}s`],
    [5000, `5${NBSP}s`],
    [200_000, `3${NBSP}m 20${NBSP}s`],
    [3_900_000, `1${NBSP}h 05${NBSP}m`],
    [2 * 86_400_000 + 3 * 3_600_000, `2${NBSP}d 3${NBSP}h`],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDurationMs(ms)).toBe(text);
  });
});

describe('formatDurationShort', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [600, '10m'],
    [5400, '1.5h'],
    [3 * 86_400, '3d'],
  ])('%d s reads %s', (seconds, text) => {
    expect(formatDurationShort(seconds)).toBe(text);
  });
});

describe('times', () => {
  it('writes instants in UTC and says so', () => {
    expect(formatDateTime('2026-01-02T02:41:00.685Z')).toBe('2026-01-02 02:41 UTC');
    expect(formatDateTime('2026-01-02T00:30:00+01:00')).toBe('2026-01-01 23:30 UTC');
    expect(formatDateTime('2026-01-02T00:05:00Z', false)).toBe('2026-01-02 00:05');
    expect(formatDateTime('not a time')).toBe(MISSING);
  });

  it('labels buckets by their size', () => {
    expect(formatBucket('2026-01-02T00:00:00Z', 'day')).toBe('Jan 2');
    expect(formatBucket('2026-01-02T14:00:00Z', 'hour')).toBe('Jan 2 14:00');
    expect(formatBucket('2025-12-29T00:00:00Z', 'week')).toBe('wk of Dec 29');
  });

  it('writes clock times to the millisecond', () => {
    expect(formatClock('2026-01-02T02:41:00.685Z')).toBe('02:41:00.685');
  });
});

describe('other formats', () => {
  it('writes exact figures with grouping', () => {
    expect(formatExact(1234567)).toBe('1,234,567');
    expect(formatExact(0.125)).toBe('0.13');
    const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
    for (const value of [0, 0.5, 0.05, 0.1, 1.005, -2.345, 999.999, 12345.6789, 1e9 + 0.25]) {
      expect(formatExact(value), String(value)).toBe(intl.format(value));
    }
    expect(formatExact(-0.004)).toBe('0');
  });

  it('writes sizes in binary units', () => {
    expect(formatBytes(512)).toBe(`512${NBSP}B`);
    expect(formatBytes(57 * 1024 * 1024)).toBe(`57${NBSP}MB`);
  });

  it('orders levels naturally', () => {
    expect(['L10', 'L2', 'L1'].sort(compareNatural)).toEqual(['L1', 'L2', 'L10']);
    expect(['b', 'A', 'a10', 'a9b', 'a9', '10', '9', ''].sort(compareNatural)).toEqual(['', '9', '10', 'A', 'a9', 'a9b', 'a10', 'b']);
    expect(compareNatural('Senior', 'senior')).toBe(0);
  });

  it('orders as localeCompare with numeric collation does, for ASCII names and levels', () => {
    const words = ['L1', 'L10', 'L2', 'l3', 'Staff', 'staff 2', 'Staff 10', 'ML Engineering', 'ml-ops', 'x1y2', 'x1y10', 'x01', 'a', 'B'];
    const expected = [...words].sort((a, b) => a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : 1));
    expect([...words].sort((a, b) => compareNatural(a, b) || (a < b ? -1 : 1))).toEqual(expected);
  });
});

describe('statusCodeLabel', () => {
  it('reads a missing or "undefined" status code as no response', () => {
    expect(statusCodeLabel('undefined')).toBe('no response');
    expect(statusCodeLabel(undefined)).toBe('no response');
    expect(statusCodeLabel(null)).toBe('no response');
    expect(statusCodeLabel('')).toBe('no response');
    expect(statusCodeLabel('429')).toBe('429');
  });
});
