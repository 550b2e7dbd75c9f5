import { useCallback } from 'react';

import { updateSearch, useLocation } from '../router';

// A page's own view choice (which metric a chart shows, a table's sort) kept in the URL beside
// the filters, so that a shared link opens the same view. Unknown values fall back to the default.
export function useViewParam<V extends string>(name: string, allowed: readonly V[], fallback: V): [V, (value: V) => void] {
  const { search } = useLocation();
  const raw = search.get(name);
  const value = raw !== null && (allowed as readonly string[]).includes(raw) ? (raw as V) : fallback;
  const setValue = useCallback(
    (next: V) => updateSearch({ [name]: next === fallback ? null : next }, { replace: true }),
    [name, fallback],
  );
  return [value, setValue];
}

// A non-negative integer parameter, such as a table's row offset.
export function useOffsetParam(name: string): [number, (value: number) => void] {
  const { search } = useLocation();
  const parsed = Number.parseInt(search.get(name) ?? '0', 10);
  const value = Number.isFinite(parsed) && parsed > 0 ? parsed : 0;
  const setValue = useCallback((next: number) => updateSearch({ [name]: next > 0 ? String(next) : null }), [name]);
  return [value, setValue];
}
