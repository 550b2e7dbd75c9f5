// Drilling down: a click on a value narrows the filters to it and may open another page or change
// a page's own view, all in one step of the browser's history (Back undoes the whole click).

import { useCallback } from 'react';

import { hrefWith, navigate } from '../router';
import { type Filters, type ListFilterKey, withFilters } from './filters';

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
