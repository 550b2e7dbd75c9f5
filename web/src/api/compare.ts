// Comparison with the previous period: the API answers a summary, breakdown or time series asked
// with `compare=previous` with the same figures over the period of equal length that ends where
// the range begins (docs/api.md). Every page compares through these hooks, and reads the answers
// through `changesOf` and `previousOf`, so that the rule of when a comparison exists is kept once.

import { type Filters, filterParams } from '../state/filters';
import { isDay } from '../state/filters';
import { useDataExtent } from '../state/useFilters';
import type { QueryParams } from './client';
import { useApi } from './queries';
import type { Breakdown, Bucket, Dimension, MetricName, Metrics, Summary, Timeseries } from './types';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const BUCKET_MS: Record<Bucket, number> = { hour: HOUR_MS, day: DAY_MS, week: 7 * DAY_MS };

export interface CompareRange {
  from: string;
  to: string;
}

// The range a comparison is asked for: the API needs both ends, so an end the filters leave open
// takes the data's first or last day. All time (no end set) has nothing before it to compare with.
export function compareRange(filters: Filters, dataFirstDay: string | null, dataLastDay: string | null): CompareRange | null {
  if (!filters.from && !filters.to) return null;
  const from = filters.from ?? dataFirstDay;
  const to = filters.to ?? dataLastDay;
  return from && to ? { from, to } : null;
}

// The length of [from, to] in milliseconds: days are inclusive, instants end exclusively.
export function rangeLengthMs(range: CompareRange): number {
  const start = isDay(range.from) ? Date.parse(`${range.from}T00:00:00Z`) : Date.parse(range.from);
  const end = isDay(range.to) ? Date.parse(`${range.to}T00:00:00Z`) + DAY_MS : Date.parse(range.to);
  return end - start;
}

// A time series can be compared only when the period is a whole number of its buckets (the API
// answers 400 otherwise): always for days and hours between dates, for weeks a multiple of 7 days.
export function bucketsFit(range: CompareRange, bucket: Bucket): boolean {
  const length = rangeLengthMs(range);
  return length > 0 && length % BUCKET_MS[bucket] === 0;
}

// The range to compare under the current filters, or null when there is none.
export function useCompareRange(filters: Filters): CompareRange | null {
  const { firstDay, lastDay } = useDataExtent();
  return compareRange(filters, firstDay, lastDay);
}

// The request parameters of `filters`, asking for the previous period when `range` is given.
export function comparedParams(filters: Filters, range: CompareRange | null): QueryParams {
  return range ? { ...filterParams({ ...filters, ...range }), compare: 'previous' } : filterParams(filters);
}

function metricsParam(metrics?: MetricName[]): string | undefined {
  return metrics ? [...metrics].sort().join(',') : undefined;
}

export function useSummaryCompared(filters: Filters, enabled = true) {
  const range = useCompareRange(filters);
  return useApi<Summary>('/api/v1/summary', comparedParams(filters, range), enabled);
}

export function useBreakdownCompared(by: Dimension, filters: Filters, sort: MetricName = 'events', limit?: number, enabled = true) {
  const range = useCompareRange(filters);
  return useApi<Breakdown>('/api/v1/breakdown', { ...comparedParams(filters, range), by, sort, limit }, enabled);
}

export function useTimeseriesCompared(
  bucket: Bucket,
  filters: Filters,
  split?: Dimension,
  splitLimit?: number,
  metrics?: MetricName[],
  enabled = true,
) {
  const range = useCompareRange(filters);
  const fits = range !== null && bucketsFit(range, bucket);
  return useApi<Timeseries>(
    '/api/v1/timeseries',
    {
      ...comparedParams(filters, fits ? range : null),
      bucket,
      split,
      split_limit: split ? splitLimit : undefined,
      metrics: metricsParam(metrics),
    },
    enabled,
  );
}

// A metric set of nothing: what a key absent from one of the two periods counts there.
export function zeroMetrics(): Metrics {
  return {
    events: 0,
    sessions: 0,
    users: 0,
    user_prompts: 0,
    api_requests: 0,
    api_errors: 0,
    tool_decisions: 0,
    tool_results: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_creation_tokens: 0,
    cost_usd: 0,
    tool_accept_rate: null,
    tool_success_rate: null,
    api_error_rate: null,
    api_aborts: 0,
    api_failure_rate: null,
    cost_per_session: null,
    cost_per_1k_output_tokens: null,
    cache_hit_ratio: null,
    tokens_per_prompt: null,
  };
}

// One key of a breakdown in both periods: `new` had no events before, `gone` has none now.
export interface Change {
  key: string;
  current: Metrics;
  previous: Metrics;
  presence: 'both' | 'new' | 'gone';
}

// A compared breakdown's rows and its keys present only before, as one list (rows first, in the
// answer's order). Empty for an answer without a comparison.
export function changesOf(breakdown: Breakdown): Change[] {
  const changes: Change[] = [];
  for (const row of breakdown.rows) {
    if (!row.previous) return [];
    const { key, previous, ...current } = row;
    changes.push({ key, current, previous, presence: previous.events === 0 ? 'new' : 'both' });
  }
  for (const { key, previous } of breakdown.previous_only ?? []) {
    changes.push({ key, current: zeroMetrics(), previous: { ...zeroMetrics(), ...previous }, presence: 'gone' });
  }
  return changes;
}

// Whether an answer carries the previous period (a server asked for it, and could answer it).
export function isCompared(answer: { previous_range?: unknown } | undefined): boolean {
  return answer?.previous_range !== undefined;
}
