// One hook per API answer. Query keys are the request URLs, so equal requests from different
// panels share one fetch and one cache entry.

import { keepPreviousData, useQueries, useQuery, type UseQueryResult } from '@tanstack/react-query';

import { combineQueries, type QueryState } from '../components/queryState';
import { type Filters, filterParams, isEmptyRange, type ListFilterKey } from '../state/filters';
import { apiUrl, fetchJson, type QueryParams } from './client';
import type {
  Alerts,
  Anomalies,
  Breakdown,
  Bucket,
  Budgets,
  CodeActivity,
  CodeBreakdown,
  CodeDimension,
  CodeTimeseries,
  CountMetric,
  Dimension,
  Distribution,
  DistributionOf,
  Employees,
  Facets,
  Forecast,
  Heatmap,
  InsightBucket,
  Latency,
  LatencyTimeseries,
  MetricName,
  Quality,
  RateMetric,
  ReportFormat,
  SessionDetail,
  SessionList,
  Summary,
  Timeseries,
  UserDetail,
  UserList,
} from './types';

// What a query tells the rest of the page about itself.
export interface ApiQueryMeta extends Record<string, unknown> {
  // Its panel explains a 403 in its own words (an answer only some roles get, whatever the
  // filters): the page-wide scope notice leaves it out.
  explainsForbidden?: boolean;
}

export function useApi<T>(path: string, params: QueryParams = {}, enabled = true, meta?: ApiQueryMeta): UseQueryResult<T> {
  const url = apiUrl(path, params);
  // A link whose start is after its end is flagged in the filter bar; every panel asking the API
  // would only get a 400 for it.
  const empty = isEmptyRange(params.from as string | undefined, params.to as string | undefined);
  return useQuery({
    queryKey: [url],
    queryFn: ({ signal }) => fetchJson<T>(url, signal),
    // A filter change keeps the previous figures on screen until the new ones arrive, instead of
    // flashing every panel back to its loading state.
    placeholderData: keepPreviousData,
    enabled: enabled && !empty,
    meta,
  });
}

export function useSummary(filters: Filters, enabled = true) {
  return useApi<Summary>('/api/v1/summary', filterParams(filters), enabled);
}

export function useBreakdown(by: Dimension, filters: Filters, sort: MetricName = 'events', limit?: number, enabled = true) {
  return useApi<Breakdown>('/api/v1/breakdown', { ...filterParams(filters), by, sort, limit }, enabled);
}

export function useBreakdownsPer(
  by: Dimension,
  per: ListFilterKey,
  values: string[],
  filters: Filters,
  sort: MetricName = 'events',
): QueryState<Breakdown[]> {
  return useQueries({
    queries: values.map((value) => {
      const url = apiUrl('/api/v1/breakdown', { ...filterParams({ ...filters, [per]: [value] }), by, sort });
      return {
        queryKey: [url],
        queryFn: ({ signal }: { signal: AbortSignal }) => fetchJson<Breakdown>(url, signal),
        placeholderData: keepPreviousData,
        enabled: !isEmptyRange(filters.from, filters.to),
      };
    }),
    combine: (results) => combineQueries(...results) as QueryState<Breakdown[]>,
  });
}

// `metrics` asks for only those fields of each metric set (a panel drawing one or two of them
// need not download twenty per point); the answer then carries no others, whatever its type says.
function metricsParam(metrics?: MetricName[]): string | undefined {
  return metrics ? [...metrics].sort().join(',') : undefined;
}

export function useTimeseries(bucket: Bucket, filters: Filters, split?: Dimension, splitLimit?: number, metrics?: MetricName[]) {
  return useApi<Timeseries>('/api/v1/timeseries', {
    ...filterParams(filters),
    bucket,
    split,
    split_limit: split ? splitLimit : undefined,
    metrics: metricsParam(metrics),
  });
}

export function useHeatmap(filters: Filters, metrics?: MetricName[], enabled = true) {
  return useApi<Heatmap>('/api/v1/heatmap', { ...filterParams(filters), metrics: metricsParam(metrics) }, enabled);
}

export function useLatency(by: 'model' | 'tool', filters: Filters) {
  return useApi<Latency>('/api/v1/latency', { ...filterParams(filters), by });
}

export function useLatencyTimeseries(
  of: 'api_request' | 'tool_result',
  bucket: Bucket,
  filters: Filters,
  measure: 'duration_ms' | 'ttft_ms' = 'duration_ms',
  enabled = true,
) {
  return useApi<LatencyTimeseries>('/api/v1/latency/timeseries', { ...filterParams(filters), of, bucket, measure }, enabled);
}

export function useDistribution(of: DistributionOf, filters: Filters) {
  return useApi<Distribution>('/api/v1/distribution', { ...filterParams(filters), of });
}

export interface PageRequest {
  sort: string;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export function useSessions(filters: Filters, page: PageRequest) {
  return useApi<SessionList>('/api/v1/sessions', { ...filterParams(filters), ...page });
}

export function useSession(id: string) {
  return useApi<SessionDetail>(`/api/v1/sessions/${encodeURIComponent(id)}`);
}

export function useUsers(filters: Filters, page: PageRequest, enabled = true) {
  return useApi<UserList>('/api/v1/users', { ...filterParams(filters), ...page }, enabled);
}

export function useUser(email: string, filters: Filters) {
  return useApi<UserDetail>(`/api/v1/users/${encodeURIComponent(email)}`, filterParams(filters));
}

export function useCode(filters: Filters) {
  return useApi<CodeActivity>('/api/v1/code', filterParams(filters));
}

export function useCodeBreakdown(by: CodeDimension, filters: Filters, enabled = true) {
  return useApi<CodeBreakdown>('/api/v1/code/breakdown', { ...filterParams(filters), by }, enabled);
}

export function useCodeTimeseries(bucket: Bucket, filters: Filters, enabled = true) {
  return useApi<CodeTimeseries>('/api/v1/code/timeseries', { ...filterParams(filters), bucket }, enabled);
}

// The values each filter can take. Without filters, every value in the store (what colours, the
// Teams matrix and the filter bar's closed lists use); with them, for each filter the values among
// the events that match the others (what an open list offers). With no filter set both are one
// request.
export function useFacets(filters?: Filters, enabled = true) {
  return useApi<Facets>('/api/v1/facets', filters ? filterParams(filters) : {}, enabled);
}

// How far a forecast looks ahead unless chosen otherwise (the API's own defaults, asked for by
// name so that every panel forecasting the same series shares one request).
export const DEFAULT_HORIZON: Record<InsightBucket, number> = { day: 14, hour: 48 };

export function useForecast(metric: CountMetric, bucket: InsightBucket, horizon: number, filters: Filters, enabled = true) {
  return useApi<Forecast>('/api/v1/forecast', { ...filterParams(filters), metric, bucket, horizon }, enabled);
}

// `by` names the dimension that explains each anomaly; without it the API picks the one that
// explains most.
export function useAnomalies(metric: CountMetric | RateMetric, bucket: InsightBucket, by: Dimension | undefined, filters: Filters, enabled = true) {
  return useApi<Anomalies>('/api/v1/anomalies', { ...filterParams(filters), metric, bucket, by }, enabled);
}

// The period's digest as a file (Markdown, printable HTML or JSON), under the filters given.
export function reportUrl(format: ReportFormat, params: QueryParams): string {
  return apiUrl('/api/v1/report', { ...params, format });
}

// The endpoints below describe the whole store and take no filters (an unknown parameter is a 400).

export function useQuality() {
  return useApi<Quality>('/api/v1/quality');
}

export function useEmployees() {
  return useApi<Employees>('/api/v1/employees');
}

export function exportCsvUrl(view: 'breakdown' | 'sessions' | 'users', params: QueryParams): string {
  return apiUrl('/api/v1/export.csv', { ...params, view });
}

// Budgets and their alerts span every practice: a token scoped to some practices is refused them
// (403) whatever the filters, and their panels say so themselves.
export const BUDGETS_URL = '/api/v1/budgets';
export const ALERTS_URL = '/api/v1/alerts';

export function useBudgets() {
  return useApi<Budgets>(BUDGETS_URL, {}, true, { explainsForbidden: true });
}

export function useAlerts(limit: number, offset: number) {
  return useApi<Alerts>(ALERTS_URL, { limit, offset }, true, { explainsForbidden: true });
}
