// How a change against the previous period is written, everywhere it appears: an absolute change
// signed and in the metric's own unit ("+$12.30", "−4", "+1.2 pt" for rates), a relative one as a
// signed percentage ("+25.0 %", "new" when there was nothing before), and on screen with an arrow
// as well as words, never colour alone.

import './compare.css';

import type { ReactNode } from 'react';

import { formatChange, formatPointChange, MISSING } from '../format';
import type { Column } from './DataTable';

export type DeltaKind = 'amount' | 'ratio';

// The relative change as a ratio (0.25 for +25 %); null when nothing came before or a side is missing.
export function relativeChange(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}

export function absoluteChange(current: number | null, previous: number | null): number | null {
  return current === null || previous === null ? null : current - previous;
}

// "+$12.30", "−4", "0": `format` writes the magnitude; ratios change in points.
export function formatDelta(
  current: number | null,
  previous: number | null,
  format: (value: number) => string,
  kind: DeltaKind = 'amount',
): string {
  if (kind === 'ratio') return formatPointChange(current, previous);
  const change = absoluteChange(current, previous);
  if (change === null) return MISSING;
  if (change === 0) return format(0);
  return `${change > 0 ? '+' : '−'}${format(Math.abs(change))}`;
}

// "+25.0 %", "−100.0 %", "new"; the same as the KPI cards write.
export function formatRelative(current: number | null, previous: number | null): string {
  return formatChange(current, previous);
}

// A headline figure's change, as a KPI card shows it: relative for amounts, in points for rates,
// with its direction; none when either side is missing.
export function headlineChange(
  current: number | null,
  previous: number | null,
  kind: DeltaKind,
): { change: string | undefined; direction: -1 | 0 | 1 } {
  if (current === null || previous === null) return { change: undefined, direction: 0 };
  return {
    change: kind === 'ratio' ? formatPointChange(current, previous) : formatRelative(current, previous),
    direction: current > previous ? 1 : current < previous ? -1 : 0,
  };
}

export function DeltaText({ current, previous, text }: { current: number | null; previous: number | null; text: string }) {
  const change = absoluteChange(current, previous);
  const direction = change === null || change === 0 ? '' : change > 0 ? 'up' : 'down';
  return (
    <span className="delta" data-direction={direction || undefined}>
      {direction ? <span aria-hidden="true">{direction === 'up' ? '▲ ' : '▼ '}</span> : null}
      {text}
    </span>
  );
}

// Two table columns for a metric's change: absolute and relative. Their CSV values are the raw
// numbers (the change, and the relative change as a ratio).
export function deltaColumns<R>(options: {
  key: string;
  label: string;
  current: (row: R) => number | null;
  previous: (row: R) => number | null | undefined;
  format: (value: number) => string;
  kind?: DeltaKind;
  // The two headers, when "<label> change" and "<label> change %" do not read well.
  labels?: [string, string];
}): Column<R>[] {
  const { key, label, current, format, kind = 'amount' } = options;
  const [absoluteLabel, relativeLabel] = options.labels ?? [
    kind === 'ratio' ? `${label} change (pt)` : `${label} change`,
    `${label} change %`,
  ];
  const previous = (row: R) => options.previous(row) ?? null;
  const cell = (row: R, text: string): ReactNode => <DeltaText current={current(row)} previous={previous(row)} text={text} />;
  const absolute: Column<R> = {
    key: `${key}_change`,
    label: absoluteLabel,
    value: (row) => {
      const change = absoluteChange(current(row), previous(row));
      return change === null ? null : kind === 'ratio' ? change * 100 : change;
    },
    numeric: true,
    render: (row) => cell(row, formatDelta(current(row), previous(row), format, kind)),
  };
  if (kind === 'ratio') return [absolute];
  return [
    absolute,
    {
      key: `${key}_change_pct`,
      label: relativeLabel,
      value: (row) => relativeChange(current(row), previous(row)),
      numeric: true,
      render: (row) => cell(row, formatRelative(current(row), previous(row))),
    },
  ];
}
