import type { Metrics } from '../api/types';
import { MISSING } from '../format';
import { type DeltaKind, headlineChange } from './Delta';

export type Better = 'up' | 'down' | 'neither';

interface KpiCardProps {
  id: string;
  label: string;
  value: string;
  // The change against the previous period, already formatted; absent when there is none.
  change?: string;
  direction?: -1 | 0 | 1;
  better?: Better;
  hint?: string;
}

// One headline figure. A change is drawn with an arrow and words, never by colour alone; colour
// marks it good or bad only where a direction is clearly better.
export function KpiCard({ id, label, value, change, direction = 0, better = 'neither', hint }: KpiCardProps) {
  let tone = 'neutral';
  if (direction !== 0 && better !== 'neither') {
    tone = (direction > 0) === (better === 'up') ? 'good' : 'bad';
  }
  const arrow = direction > 0 ? '▲' : direction < 0 ? '▼' : '';
  return (
    <div className="kpi" data-kpi={id}>
      <div className="kpi__label">{label}</div>
      <div className="kpi__value">{value}</div>
      {change && change !== MISSING ? (
        <div className="kpi__change" data-tone={tone}>
          <span aria-hidden="true">{arrow} </span>
          {change}
          <span className="kpi__hint"> vs previous period</span>
        </div>
      ) : hint ? (
        <div className="kpi__change kpi__hint">{hint}</div>
      ) : null}
    </div>
  );
}

// A headline figure of a metric set, compared with the previous period's when there is one.
export interface KpiDefinition {
  id: string;
  label: string;
  value: (m: Metrics) => number | null;
  format: (v: number | null) => string;
  kind: DeltaKind;
  better: Better;
  hint?: string;
}

// A row of headline figures. `hidden` blanks the figures that mean nothing under the current
// filters; `hint` words a card's note (by default the definition's own).
export function KpiRow({ kpis, current, previous, hidden = () => false, hint = (kpi) => kpi.hint }: {
  kpis: KpiDefinition[];
  current: Metrics;
  previous?: Metrics;
  hidden?: (kpi: KpiDefinition) => boolean;
  hint?: (kpi: KpiDefinition, hidden: boolean) => string | undefined;
}) {
  return (
    <div className="kpis">
      {kpis.map((kpi) => {
        const blank = hidden(kpi);
        const value = blank ? null : kpi.value(current);
        const { change, direction } = headlineChange(value, previous && !blank ? kpi.value(previous) : null, kpi.kind);
        return (
          <KpiCard
            key={kpi.id}
            id={kpi.id}
            label={kpi.label}
            value={kpi.format(value)}
            change={change}
            direction={direction}
            better={kpi.better}
            hint={hint(kpi, blank)}
          />
        );
      })}
    </div>
  );
}
