// Drilling down: a click on a value narrows the filters to it and may open another page or change
// a page's own view, all in one step of the browser's history (Back undoes the whole click).

import { useCallback } from 'react';

import { hrefWith, navigate } from '../router';
import type { Bucket } from '../api/types';
import { type Filters, type ListFilterKey, withFilters } from './filters';
import { addDays } from './periods';

// The URL list form splits on commas, and so does the API: a value holding one cannot be a filter.
export function canFilterBy(value: string): boolean {
  return value.length > 0 && !value.includes(',');
}

export function filteredTo(filters: Filters, key: ListFilterKey, value: string): Filters {
  return { ...filters, [key]: [value] };
}

// Navigates to `pathname` (the current page by default) with `filters` and the view parameters in
// `view` set (null removes one). Page offsets are reset as by any filter change.
export function drillHref(filters: Filters, view: Record<string, string | null> = {}, pathname = window.location.pathname): string {
  const current = new URLSearchParams(window.location.search);
  // Another page's view starts fresh; this page keeps its own choices.
  const base = pathname === window.location.pathname ? current : new URLSearchParams();
  const params = withFilters(base, filters, ['offset']);
  for (const [key, value] of Object.entries(view)) {
    if (value === null) params.delete(key);
    else params.set(key, value);
  }
  return hrefWith(pathname, params);
}

export function useDrill(): (filters: Filters, view?: Record<string, string | null>, pathname?: string) => void {
  return useCallback((filters, view, pathname) => navigate(drillHref(filters, view, pathname)), []);
}

// The period of one time bucket, as the filters write it: a day or a week as UTC days (both ends
// included), an hour as instants (the end exclusive).
export function bucketPeriod(t: string, bucket: Bucket): { from: string; to: string } {
  const start = new Date(t);
  if (bucket === 'hour') {
    return { from: start.toISOString().replace('.000Z', 'Z'), to: new Date(start.getTime() + 3_600_000).toISOString().replace('.000Z', 'Z') };
  }
  const day = start.toISOString().slice(0, 10);
  return { from: day, to: bucket === 'week' ? addDays(day, 6) : day };
}

// The sessions behind a time bucket: the bucket as the period, the rest of the filters kept (an
// error message or status code chosen stays), the sessions with the most API errors first.
export function sessionsOfBucketHref(filters: Filters, t: string, bucket: Bucket): string {
  return drillHref({ ...filters, ...bucketPeriod(t, bucket) }, { sort: 'api_errors', order: 'desc' }, '/sessions');
}
