// Date-range presets and the comparison period. Presets count back from the last day that has
// data rather than from today, so that a dataset from last quarter still shows its last 7 days.

import { isDay } from './filters';

export type RollingPresetId = 'all' | '1d' | '7d' | '14d' | '30d' | '90d';
export type CalendarPresetId = 'this-month' | 'last-month' | 'this-quarter' | 'last-quarter';
// A named month: `month-2025-11` is November 2025.
export type MonthPresetId = `month-${string}`;
export type PresetId = RollingPresetId | CalendarPresetId | MonthPresetId;

export const PRESETS: { id: RollingPresetId; label: string; days: number | null }[] = [
  { id: 'all', label: 'All time', days: null },
  { id: '1d', label: 'Last day', days: 1 },
  { id: '7d', label: 'Last 7 days', days: 7 },
  { id: '14d', label: 'Last 14 days', days: 14 },
  { id: '30d', label: 'Last 30 days', days: 30 },
  { id: '90d', label: 'Last 90 days', days: 90 },
];

export const CALENDAR_PRESETS: { id: CalendarPresetId; label: string }[] = [
  { id: 'this-month', label: 'This month' },
  { id: 'last-month', label: 'Last month' },
  { id: 'this-quarter', label: 'This quarter' },
  { id: 'last-quarter', label: 'Last quarter' },
];

// Named months offered: the twelve before the last day's own month (which "This month" covers),
// none before the data's first month.
const NAMED_MONTHS = 12;

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const DAY_MS = 86_400_000;

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

// Days from `from` to `to`, both inclusive.
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

// Months are counted from year 0 (year * 12 + month index), so that stepping back crosses years.
function monthIndex(day: string): number {
  return Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
}

function monthStart(index: number): string {
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

// The last day of month `index`, both in UTC.
function monthEnd(index: number): string {
  return addDays(monthStart(index + 1), -1);
}

export function monthLabel(index: number): string {
  return `${MONTH_NAMES[index % 12]} ${Math.floor(index / 12)}`;
}

function monthPresetId(index: number): MonthPresetId {
  return `month-${monthStart(index).slice(0, 7)}`;
}

// The named months to offer, newest first.
export function monthPresets(lastDay: string, firstDay: string | null): { id: MonthPresetId; label: string }[] {
  const current = monthIndex(lastDay);
  const first = firstDay ? monthIndex(firstDay) : current - NAMED_MONTHS;
  const months: { id: MonthPresetId; label: string }[] = [];
  for (let index = current - 1; index >= Math.max(first, current - NAMED_MONTHS); index--) {
    months.push({ id: monthPresetId(index), label: monthLabel(index) });
  }
  return months;
}

// A preset's days, both included, in UTC, counted from the last day that has data: a rolling
// preset ends on it, "This month" and "This quarter" run from their first day to it, and "Last
// month", "Last quarter" and a named month are whole calendar months.
export function presetRange(id: PresetId, lastDay: string): { from: string | null; to: string | null } {
  const month = monthIndex(lastDay);
  const quarter = month - (month % 3);
  switch (id) {
    case 'this-month':
      return { from: monthStart(month), to: lastDay };
    case 'last-month':
      return { from: monthStart(month - 1), to: monthEnd(month - 1) };
    case 'this-quarter':
      return { from: monthStart(quarter), to: lastDay };
    case 'last-quarter':
      return { from: monthStart(quarter - 3), to: monthEnd(quarter - 1) };
    default:
      break;
  }
  const named = /^month-(\d{4})-(\d{2})$/.exec(id);
  if (named) {
    const index = Number(named[1]) * 12 + Number(named[2]) - 1;
    return { from: monthStart(index), to: monthEnd(index) };
  }
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset || preset.days === null) return { from: null, to: null };
  return { from: addDays(lastDay, -(preset.days - 1)), to: lastDay };
}

// The preset a range is, if any: rolling ones first, then calendar ones, then named months (so
// that a range both "Last month" and "November 2025" reads as "Last month").
export function matchPreset(from: string | null, to: string | null, lastDay: string | null, firstDay: string | null = null): PresetId | 'custom' {
  if (!from && !to) return 'all';
  if (!lastDay) return 'custom';
  const candidates: PresetId[] = [
    ...PRESETS.filter((p) => p.days !== null).map((p) => p.id),
    ...CALENDAR_PRESETS.map((p) => p.id),
    ...monthPresets(lastDay, firstDay).map((p) => p.id),
  ];
  const match = candidates.find((id) => {
    const range = presetRange(id, lastDay);
    return range.from === from && range.to === to;
  });
  return match ?? 'custom';
}

// Why a custom range cannot be asked for, or null when it can. Bounds are `YYYY-MM-DD` as date
// inputs give them; empty means open.
export function rangeProblem(from: string, to: string): { field: 'from' | 'to'; message: string } | null {
  if (from && !isDay(from)) return { field: 'from', message: 'Enter a valid start date (YYYY-MM-DD).' };
  if (to && !isDay(to)) return { field: 'to', message: 'Enter a valid end date (YYYY-MM-DD).' };
  if (from && to && from > to) return { field: 'from', message: 'The start is after the end.' };
  return null;
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
