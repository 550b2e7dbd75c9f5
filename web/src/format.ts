// Numbers, money, rates, durations and times as people read them. Times are always UTC, and say so.

const NBSP = '\u00a0';
export const MISSING = '–';

// 7 -> "07": clock fields, and minutes or seconds after a larger unit.
function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

// 950, 12.3K, 1.2M, 4.56B
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const abs = Math.abs(value);
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, suffix] of units) {
    // Rounding may carry into the next unit (999,960 -> "1000.0K"), so compare the rounded value.
    if (abs >= size * 0.9995) {
      const scaled = value / size;
      const digits = Math.abs(scaled) >= 100 ? 0 : 1;
      return `${trimZeros(scaled.toFixed(digits))}${suffix}`;
    }
  }
  return Number.isInteger(value) ? String(value) : trimZeros(value.toFixed(1));
}

// Thousands separators by hand rather than with Intl: a browser's first Intl formatter loads its
// locale data, which costs a cold page load tens of milliseconds before anything is drawn.
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// The figure rounded to hundredths, half up on the decimal a person sees (1.005 -> 1.01) as Intl
// does rather than on the binary double just below it: sign, grouped whole part, two decimals.
function hundredthsParts(value: number): { sign: string; whole: string; decimals: string } {
  const abs = Math.abs(value);
  const text = String(abs);
  const hundredths = Math.round(text.includes('e') ? abs * 100 : Number(`${text}e2`));
  return {
    sign: value < 0 && hundredths > 0 ? '-' : '',
    whole: groupThousands(String(Math.floor(hundredths / 100))),
    decimals: pad2(hundredths % 100),
  };
}

// $652.18, $12,345.67; amounts under a cent keep two significant digits ($0.0033).
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  if (value !== 0 && Math.abs(value) < 0.01) {
    const sign = value < 0 ? '-' : '';
    return `${sign}$${trimZeros(Math.abs(value).toPrecision(2))}`;
  }
  const { sign, whole, decimals } = hundredthsParts(value);
  return `${sign}$${whole}.${decimals}`;
}

// One request's cost, where cents are too coarse: $0.0710 (and $0.000012 below a hundredth of a cent).
export function formatUsdFine(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  if (value === 0 || Math.abs(value) < 0.0001 || Math.abs(value) >= 1) return formatUsd(value);
  return `$${value.toFixed(4)}`;
}

// $1.2M for chart axes, where width is scarce.
export function formatUsdShort(value: number): string {
  if (Math.abs(value) >= 1000) return `$${formatCount(value)}`;
  return formatUsd(value);
}

// `value` rounded to `digits` decimals, half up on the decimal a person sees (0.3655 -> 36.55 % ->
// "36.6" at one decimal) rather than on the binary double just below it, which toFixed rounds down.
function toFixedDecimal(value: number, digits: number): string {
  const text = String(Math.abs(value));
  if (text.includes('e')) return value.toFixed(digits);
  const rounded = Math.round(Number(`${text}e${digits}`)) / 10 ** digits;
  return `${value < 0 && rounded > 0 ? '-' : ''}${rounded.toFixed(digits)}`;
}

// A ratio (0..1) as a percentage: 0.934 -> "93.4 %". Rounded once, from the ratio itself.
export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return MISSING;
  return `${toFixedDecimal(ratio * 100, digits)}${NBSP}%`;
}

// Ratios on a chart axis: the axis chooses the decimals for all its ticks (see axisTickFormatter).
export function formatPercentAxis(ratio: number): string {
  return formatPercent(ratio, 0);
}

// Change from `previous` to `current` as a signed percentage; "new" when there was nothing before.
export function formatChange(current: number | null, previous: number | null): string {
  if (current === null || previous === null) return MISSING;
  if (previous === 0) return current === 0 ? `0.0${NBSP}%` : 'new';
  const change = (current - previous) / Math.abs(previous);
  const sign = change > 0 ? '+' : change < 0 ? '−' : '';
  return `${sign}${Math.abs(change * 100).toFixed(1)}${NBSP}%`;
}

// Change between two ratios in percentage points: 0.912 -> 0.934 is "+2.2 pt".
export function formatPointChange(current: number | null, previous: number | null): string {
  if (current === null || previous === null) return MISSING;
  const points = (current - previous) * 100;
  const sign = points > 0.05 ? '+' : points < -0.05 ? '−' : '';
  return `${sign}${Math.abs(points).toFixed(1)}${NBSP}pt`;
}

// 850 ms, 4.2 s, 3 m 20 s, 1 h 05 m, 2 d 3 h
export function formatDurationMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return MISSING;
  if (Math.abs(ms) < 1000) return `${Math.round(ms)}${NBSP}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${trimZeros(seconds.toFixed(1))}${NBSP}s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes}${NBSP}m ${pad2(totalSeconds % 60)}${NBSP}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}${NBSP}h ${pad2(minutes % 60)}${NBSP}m`;
  return `${Math.floor(hours / 24)}${NBSP}d ${hours % 24}${NBSP}h`;
}

// Axis and bin labels, where width is scarce: 45s, 10m, 1.5h, 3d.
export function formatDurationShort(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'd'],
    [3600, 'h'],
    [60, 'm'],
  ];
  for (const [size, suffix] of units) {
    if (Math.abs(seconds) >= size) return `${trimZeros((seconds / size).toFixed(1))}${suffix}`;
  }
  return `${trimZeros(seconds.toFixed(1))}s`;
}

export function formatDurationS(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return MISSING;
  return formatDurationMs(seconds * 1000);
}

// An api_error's status code as stored: Claude Code sends the text "undefined" (or nothing) when the
// request got no HTTP response at all (a network failure, a timeout).
export function statusCodeLabel(code: string | null | undefined): string {
  return code === undefined || code === null || code === '' || code === 'undefined' ? 'no response' : code;
}

// "2026-01-02 02:41 UTC"
export function formatDateTime(iso: string | null | undefined, withZone = true): string {
  if (!iso) return MISSING;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return MISSING;
  const day = `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`;
  return `${day} ${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}${withZone ? ' UTC' : ''}`;
}

// "02:41:07.685" (UTC), for event timelines inside one session.
export function formatClock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return MISSING;
  return date.toISOString().slice(11, 23);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

// "Jan 2" (day bucket), "Jan 2 14:00" (hour bucket), "wk of Jan 2" (week bucket); UTC.
export function formatBucket(iso: string, bucket: 'hour' | 'day' | 'week'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return MISSING;
  const day = `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}`;
  if (bucket === 'hour') return `${day} ${pad2(date.getUTCHours())}:00`;
  if (bucket === 'week') return `wk of ${day}`;
  return day;
}

export function formatHour(hour: number): string {
  return `${pad2(hour)}:00`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return MISSING;
  if (bytes < 1024) return `${bytes}${NBSP}B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${trimZeros(value.toFixed(1))}${NBSP}${units[unit]}`;
}

const NATURAL_RUN = /\d+|\D+/g;

// Natural order, so that L2 sorts before L10: digit runs compare as numbers, the rest ignoring
// case. (localeCompare with `numeric` does the same, but its first call loads collation data,
// which a cold page load pays for in tens of milliseconds.)
export function compareNatural(a: string, b: string): number {
  const left = a.toLowerCase().match(NATURAL_RUN) ?? [];
  const right = b.toLowerCase().match(NATURAL_RUN) ?? [];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i];
    const y = right[i];
    if (x === y) continue;
    const numeric = /^\d/.test(x) && /^\d/.test(y);
    if (numeric && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return left.length - right.length;
}

// Exact figures for tooltips and tables: 1,234,567 and at most two decimals.
export function formatExact(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const { sign, whole, decimals } = hundredthsParts(value);
  return `${sign}${whole}${decimals === '00' ? '' : `.${decimals.replace(/0$/, '')}`}`;
}

// Axis ticks: every tick of one axis is written in one unit with one precision, chosen from the
// axis' extent, so that "$900.00" never stands beside "$1.2K" nor "950" beside "1K".
export type AxisKind = 'count' | 'usd' | 'percent' | 'seconds' | 'ms';

// The tick interval ECharts chooses for a value axis from 0 to `max` (its `nice` rounding of a
// fifth of the span to 1, 2, 3 or 5 times a power of ten), at least `minInterval`.
export function niceInterval(max: number, minInterval = 0, splitNumber = 5): number {
  const span = Math.abs(max) / splitNumber;
  if (!(span > 0) || !Number.isFinite(span)) return Math.max(1, minInterval);
  const exponent = Math.floor(Math.log10(span));
  const power = 10 ** exponent;
  const f = span / power;
  const nf = f < 1.5 ? 1 : f < 2.5 ? 2 : f < 4 ? 3 : f < 7 ? 5 : 10;
  const interval = Number((nf * power).toFixed(Math.max(0, -exponent)));
  return Math.max(interval, minInterval);
}

// Decimals that write every multiple of `step` exactly (0.2 -> 1, 0.05 -> 2, 5 -> 0).
function decimalsFor(step: number): number {
  if (!(step > 0)) return 0;
  return Math.max(0, Math.min(6, Math.ceil(-Math.log10(step) - 1e-9)));
}

const SCALES: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

// The largest unit in which the axis' top tick reads 10 or more: 0 … 5,000 stays plain, 0 … 20K
// goes to thousands.
function scaleFor(top: number): [number, string] {
  for (const scale of SCALES) if (Math.abs(top) / scale[0] >= 10) return scale;
  return [1, ''];
}

const DURATION_UNITS: [number, string][] = [
  [86_400, 'd'],
  [3600, 'h'],
  [60, 'm'],
];

// Milliseconds as formatDurationMs writes them: "500 ms", "1.5 s", "2 m".
const MS_UNITS: [number, string][] = [
  [3_600_000, `${NBSP}h`],
  [60_000, `${NBSP}m`],
  [1000, `${NBSP}s`],
];

// One formatter for every tick of an axis from 0 (or its minimum) to `max`.
// `step`, when given, is the spacing of the values written (a histogram's bin width) and sets the
// decimals instead of the axis' own interval.
export function axisTickFormatter(kind: AxisKind, max: number, minInterval = 0, step?: number): (value: number) => string {
  const interval = step && step > 0 ? step : niceInterval(max, minInterval);
  const top = Math.ceil(Math.abs(max) / interval) * interval;
  if (kind === 'percent') {
    const digits = decimalsFor(interval * 100);
    return (value) => `${toFixedDecimal(value * 100, digits)}${NBSP}%`;
  }
  let size: number;
  let suffix: string;
  if (kind === 'ms') [size, suffix] = MS_UNITS.find(([unit]) => top / unit >= 10) ?? [1, `${NBSP}ms`];
  else if (kind === 'seconds') [size, suffix] = DURATION_UNITS.find(([unit]) => top / unit >= 10) ?? [1, 's'];
  else [size, suffix] = scaleFor(top);
  // Whole dollars, or cents: "$0.20", never "$0.2".
  const fine = decimalsFor(interval / size);
  const digits = kind === 'usd' && size === 1 && fine === 1 ? 2 : fine;
  const prefix = kind === 'usd' ? '$' : '';
  return (value) => {
    // Zero reads the same in every unit: "0", not "0K" or "0.0 s".
    if (value === 0) return `${prefix}0`;
    const text = toFixedDecimal(Math.abs(value) / size, digits);
    const [whole, decimals] = text.split('.');
    const sign = value < 0 && Number(text) !== 0 ? '-' : '';
    return `${sign}${prefix}${groupThousands(whole)}${decimals ? `.${decimals}` : ''}${suffix}`;
  };
}
