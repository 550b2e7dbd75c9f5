// Answers shaped as docs/api.md describes them, for component tests.

import { zeroMetrics } from '../api/compare';
import type { Metrics, Summary } from '../api/types';

// A metric set whose rates follow from its counts, as the API computes them.
export function metrics(counts: Partial<Metrics> = {}): Metrics {
  const m: Metrics = {
    ...zeroMetrics(),
    ...counts,
  };
  const requestsAndErrors = m.api_requests + m.api_errors;
  if (counts.api_error_rate === undefined) m.api_error_rate = requestsAndErrors > 0 ? m.api_errors / requestsAndErrors : null;
  const failures = m.api_errors - m.api_aborts;
  if (counts.api_failure_rate === undefined) m.api_failure_rate = m.api_requests + failures > 0 ? failures / (m.api_requests + failures) : null;
  if (counts.cost_per_session === undefined) m.cost_per_session = m.sessions > 0 ? m.cost_usd / m.sessions : null;
  return m;
}

export function summary(counts: Partial<Metrics>, first = '2026-01-03T08:00:00Z', last = '2026-02-01T17:30:00Z'): Summary {
  return { ...metrics(counts), first_event: first, last_event: last };
}

export const FACETS = {
  practice: ['Backend Engineering', 'Data Engineering', 'ML Engineering'],
  level: ['L1', 'L10', 'L2'],
  location: ['Germany', 'Poland'],
  model: ['claude-haiku-4-5', 'claude-opus-4-6'],
  email: ['ada@example.com', 'bo@example.com'],
  terminal: ['vscode'],
};
