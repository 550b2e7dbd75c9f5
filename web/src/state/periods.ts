// Date-range presets and the comparison period. Presets count back from the last day that has
// data rather than from today, so that a dataset from last quarter still shows its last 7 days.

import { isDay } from './filters';

export type PresetId = 'all' | '1d' | '7d' | '14d' | '30d' | '90d';

export const PRESETS: { id: PresetId; label: string; days: number | null }[] = [
  { id: 'all', label: 'All time', days: null },
  { id: '1d', label: 'Last day', days: 1 },
  { id: '7d', label: 'Last 7 days', days: 7 },
  { id: '14d', label: 'Last 14 days', days: 14 },
  { id: '30d', label: 'Last 30 days', days: 30 },
  { id: '90d', label: 'Last 90 days', days: 90 },
];

const DAY_MS = 86_400_000;

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

// Days from `from` to `to`, both inclusive.
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

export function presetRange(id: PresetId, lastDay: string): { from: string | null; to: string | null } {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset || preset.days === null) return { from: null, to: null };
  return { from: addDays(lastDay, -(preset.days - 1)), to: lastDay };
}

export function matchPreset(from: string | null, to: string | null, lastDay: string | null): PresetId | 'custom' {
  if (!from && !to) return 'all';
  if (!lastDay) return 'custom';
  const match = PRESETS.find((p) => {
    const range = presetRange(p.id, lastDay);
    return p.days !== null && range.from === from && range.to === to;
  });
  return match ? match.id : 'custom';
}

// The period of equal length just before [from, to]. An open end takes the data's own first or
// last day; with neither end set the period is all the data and nothing precedes it.
export function previousPeriod(
  from: string | null,
  to: string | null,
  dataFirstDay: string | null,
  dataLastDay: string | null,
): { from: string; to: string } | null {
  if (!from && !to) return null;
  const start = from ?? dataFirstDay;
  const end = to ?? dataLastDay;
  if (!start || !end) return null;
  if (isDay(start) && isDay(end)) {
    const days = daysBetween(start, end);
    if (days < 1) return null;
    return { from: addDays(start, -days), to: addDays(start, -1) };
  }
  // Instants: from inclusive, to exclusive. A day bound mixed with an instant is read as the
  // start of that day (from) or the start of the next day (to).
  const startMs = isDay(start) ? Date.parse(`${start}T00:00:00Z`) : Date.parse(start);
  const endMs = isDay(end) ? Date.parse(`${end}T00:00:00Z`) + DAY_MS : Date.parse(end);
  const length = endMs - startMs;
  if (!(length > 0)) return null;
  return { from: new Date(startMs - length).toISOString(), to: new Date(startMs).toISOString() };
}

// The time bucket that gives a readable number of points for a range.
export function bucketForRange(
  from: string | null,
  to: string | null,
  dataFirstDay: string | null,
  dataLastDay: string | null,
): 'hour' | 'day' | 'week' {
  const start = from ?? dataFirstDay;
  const end = to ?? dataLastDay;
  if (!start || !end) return 'day';
  const startMs = Date.parse(isDay(start) ? `${start}T00:00:00Z` : start);
  const endMs = isDay(end) ? Date.parse(`${end}T00:00:00Z`) + DAY_MS : Date.parse(end);
  const days = (endMs - startMs) / DAY_MS;
  if (days <= 3) return 'hour';
  if (days <= 180) return 'day';
  return 'week';
}
