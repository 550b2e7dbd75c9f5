import { MISSING } from '../format';

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
