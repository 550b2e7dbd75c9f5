// The event filters (tool, status code, error message) as chips with a remove button. They are
// set by clicking what fails (Overview, Reliability), not chosen up front, and they change what
// every figure counts (only events carrying the attribute match), so the bar shows them apart.

import './compare.css';

import { errorLabel } from '../apiErrors';
import { statusCodeLabel } from '../format';
import { EVENT_FILTER_KEYS, type Filters } from '../state/filters';

const LABELS: Record<(typeof EVENT_FILTER_KEYS)[number], string> = {
  tool: 'Tool',
  status_code: 'Status code',
  error: 'Error',
};

const VALUE_LABELS: Record<(typeof EVENT_FILTER_KEYS)[number], (value: string) => string> = {
  tool: (v) => v,
  status_code: statusCodeLabel,
  error: errorLabel,
};

export function EventFilterChips({ filters, onChange }: { filters: Filters; onChange: (next: Filters) => void }) {
  const chips = EVENT_FILTER_KEYS.flatMap((key) => filters[key].map((value) => ({ key, value })));
  if (chips.length === 0) return null;
  return (
    <ul className="chips" aria-label="Event filters">
      {chips.map(({ key, value }) => {
        const text = `${LABELS[key]}: ${VALUE_LABELS[key](value)}`;
        return (
          <li key={`${key}\u0000${value}`} className="chip" title={`Only events with ${LABELS[key].toLowerCase()} ${value}`}>
            <span className="chip__text">{text}</span>
            <button
              type="button"
              className="chip__remove"
              aria-label={`Remove ${text}`}
              onClick={() => onChange({ ...filters, [key]: filters[key].filter((v) => v !== value) })}
            >
              ×
            </button>
          </li>
        );
      })}
    </ul>
  );
}
