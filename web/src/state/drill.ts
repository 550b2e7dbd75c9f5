// Drilling down: a click on a value narrows the filters to it and may open another page or change
// a page's own view, all in one step of the browser's history (Back undoes the whole click).

import { useCallback } from 'react';

import { hrefWith, navigate } from '../router';
import type { Bucket } from '../api/types';
import { ATTRIBUTE_PREFIX, type Filters, LIST_FILTER_KEYS, type ListFilterKey, withAttribute, withFilters } from './filters';
import { addDays } from './periods';

// The URL list form splits on commas, and so does the API: a value holding one cannot be a filter.
export function canFilterBy(value: string): boolean {
  return value.length > 0 && !value.includes(',');
}

export function filteredTo(filters: Filters, key: ListFilterKey, value: string): Filters {
  return { ...filters, [key]: [value] };
}

// `filters` narrowed to one value of a dimension the API names (`practice`, `attr.team.id`), or
// null when no filter can say it (event types, versions) or the value holds a comma.
export function filteredToDimension(filters: Filters, dimension: string, value: string): Filters | null {
  if (!canFilterBy(value)) return null;
  if ((LIST_FILTER_KEYS as readonly string[]).includes(dimension)) return filteredTo(filters, dimension as ListFilterKey, value);
  const attribute = dimension.startsWith(ATTRIBUTE_PREFIX) ? dimension.slice(ATTRIBUTE_PREFIX.length) : '';
  return attribute ? { ...filters, attributes: withAttribute(filters.attributes, attribute, [value]) } : null;
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

// The period of the buckets from `start` up to `end` (exclusive), as the filters write it: whole UTC
// days for days, instants for hours. An anomaly's time range.
export function bucketsPeriod(start: string, end: string, bucket: 'day' | 'hour'): { from: string; to: string } {
  if (bucket === 'hour') return { from: bucketPeriod(start, 'hour').from, to: bucketPeriod(end, 'hour').from };
  return { from: bucketPeriod(start, 'day').from, to: addDays(bucketPeriod(end, 'day').from, -1) };
}

// The sessions behind a time bucket: the bucket as the period, the rest of the filters kept (an
// error message or status code chosen stays), the sessions with the most API errors first.
export function sessionsOfBucketHref(filters: Filters, t: string, bucket: Bucket): string {
  return drillHref({ ...filters, ...bucketPeriod(t, bucket) }, { sort: 'api_errors', order: 'desc' }, '/sessions');
}
