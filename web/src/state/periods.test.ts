import { describe, expect, it } from 'vitest';

import { addDays, bucketForRange, daysBetween, matchPreset, presetRange, previousPeriod } from './periods';

describe('day arithmetic', () => {
  it('crosses month and year ends', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2026-01-01', '2026-01-31')).toBe(31);
    expect(daysBetween('2026-01-05', '2026-01-05')).toBe(1);
  });
});

describe('presets', () => {
  it('count back from the last day with data, both ends included', () => {
    expect(presetRange('7d', '2026-02-01')).toEqual({ from: '2026-01-26', to: '2026-02-01' });
    expect(presetRange('1d', '2026-02-01')).toEqual({ from: '2026-02-01', to: '2026-02-01' });
    expect(presetRange('all', '2026-02-01')).toEqual({ from: null, to: null });
  });

  it('are recognised from a range', () => {
    expect(matchPreset(null, null, '2026-02-01')).toBe('all');
    expect(matchPreset('2026-01-03', '2026-02-01', '2026-02-01')).toBe('30d');
    expect(matchPreset('2026-01-04', '2026-02-01', '2026-02-01')).toBe('custom');
    expect(matchPreset('2026-01-03', '2026-02-01', null)).toBe('custom');
  });
});

describe('previous period', () => {
  it('is the equal number of days just before', () => {
    expect(previousPeriod('2026-01-26', '2026-02-01', null, null)).toEqual({ from: '2026-01-19', to: '2026-01-25' });
    expect(previousPeriod('2026-01-10', '2026-01-10', null, null)).toEqual({ from: '2026-01-09', to: '2026-01-09' });
  });

  it('closes an open end with the data extent', () => {
    expect(previousPeriod('2026-01-20', null, '2026-01-01', '2026-01-29')).toEqual({ from: '2026-01-10', to: '2026-01-19' });
    expect(previousPeriod(null, '2026-01-10', '2026-01-01', '2026-01-29')).toEqual({ from: '2025-12-22', to: '2025-12-31' });
  });

  it('shifts instant ranges by their length', () => {
    expect(previousPeriod('2026-01-05T14:00:00Z', '2026-01-05T15:00:00Z', null, null)).toEqual({
      from: '2026-01-05T13:00:00.000Z',
      to: '2026-01-05T14:00:00.000Z',
    });
  });

  it('does not exist for all time or an empty range', () => {
    expect(previousPeriod(null, null, '2026-01-01', '2026-01-29')).toBeNull();
    expect(previousPeriod('2026-01-10', '2026-01-05', null, null)).toBeNull();
  });
});

describe('bucket for a range', () => {
  it('uses hours for a few days, days up to half a year, then weeks', () => {
    expect(bucketForRange('2026-01-01', '2026-01-03', null, null)).toBe('hour');
    expect(bucketForRange('2026-01-01', '2026-01-04', null, null)).toBe('day');
    expect(bucketForRange(null, null, '2025-01-01', '2025-12-31')).toBe('week');
    expect(bucketForRange('2026-01-05T14:00:00Z', '2026-01-05T15:00:00Z', null, null)).toBe('hour');
  });
});
