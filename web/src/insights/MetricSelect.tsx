import { METRICS } from '../api/metrics';
import type { MetricName } from '../api/types';

// A choice of one metric, by its label.
export function MetricSelect<M extends MetricName>({ label, metrics, value, onChange }: {
  label: string;
  metrics: readonly M[];
  value: M;
  onChange: (metric: M) => void;
}) {
  return (
    <label className="field">
      <span className="field__label">{label}</span>
      <select value={value} onChange={(event) => onChange(event.target.value as M)}>
        {metrics.map((m) => (
          <option key={m} value={m}>
            {METRICS[m].label}
          </option>
        ))}
      </select>
    </label>
  );
}
