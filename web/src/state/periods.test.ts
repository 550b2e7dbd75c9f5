import { describe, expect, it } from 'vitest';

import { addDays, bucketForRange, daysBetween, matchPreset, monthPresets, presetRange, previousPeriod, rangeProblem } from './periods';

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

describe('calendar presets', () => {
  it('take the month and quarter of the last day with data, in UTC', () => {
    expect(presetRange('this-month', '2025-12-14')).toEqual({ from: '2025-12-01', to: '2025-12-14' });
    expect(presetRange('last-month', '2025-12-14')).toEqual({ from: '2025-11-01', to: '2025-11-30' });
    expect(presetRange('this-quarter', '2025-12-14')).toEqual({ from: '2025-10-01', to: '2025-12-14' });
    expect(presetRange('last-quarter', '2025-12-14')).toEqual({ from: '2025-07-01', to: '2025-09-30' });
  });

  it('cross year boundaries', () => {
    expect(presetRange('last-month', '2026-01-03')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(presetRange('this-quarter', '2026-01-03')).toEqual({ from: '2026-01-01', to: '2026-01-03' });
    expect(presetRange('last-quarter', '2026-01-03')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(presetRange('last-quarter', '2026-03-31')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(presetRange('last-quarter', '2026-04-01')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
  });

  it('know month lengths and leap years', () => {
    expect(presetRange('last-month', '2024-03-10')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(presetRange('last-month', '2025-03-10')).toEqual({ from: '2025-02-01', to: '2025-02-28' });
    expect(presetRange('month-2025-11', '2026-01-03')).toEqual({ from: '2025-11-01', to: '2025-11-30' });
  });

  it('name the recent months, newest first, from the data’s first month', () => {
    expect(monthPresets('2026-01-03', '2025-10-20')).toEqual([
      { id: 'month-2025-12', label: 'December 2025' },
      { id: 'month-2025-11', label: 'November 2025' },
      { id: 'month-2025-10', label: 'October 2025' },
    ]);
    expect(monthPresets('2026-01-03', null)).toHaveLength(12);
    expect(monthPresets('2026-01-03', null).at(-1)).toEqual({ id: 'month-2025-01', label: 'January 2025' });
    expect(monthPresets('2026-01-03', '2026-01-01')).toEqual([]);
  });

  it('are recognised from a range, the relative name first', () => {
    expect(matchPreset('2025-12-01', '2025-12-31', '2026-01-03', '2025-10-20')).toBe('last-month');
    expect(matchPreset('2025-11-01', '2025-11-30', '2026-01-03', '2025-10-20')).toBe('month-2025-11');
    expect(matchPreset('2025-10-01', '2025-12-31', '2026-01-03')).toBe('last-quarter');
    expect(matchPreset('2026-01-01', '2026-01-03', '2026-01-03')).toBe('this-month');
  });
});

describe('custom range validation', () => {
  it('flags an invalid date or a start after the end, and accepts open ends', () => {
    expect(rangeProblem('2026-01-10', '2026-01-05')).toEqual({ field: 'from', message: 'The start is after the end.' });
    expect(rangeProblem('2026-02-30', '')).toEqual({ field: 'from', message: 'Enter a valid start date (YYYY-MM-DD).' });
    expect(rangeProblem('', 'invalid')?.field).toBe('to');
    expect(rangeProblem('2026-01-05', '2026-01-05')).toBeNull();
    expect(rangeProblem('', '')).toBeNull();
    expect(rangeProblem('2026-01-05', '')).toBeNull();
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
