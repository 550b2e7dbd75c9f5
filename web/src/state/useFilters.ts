import { useCallback, useMemo } from 'react';

import { useSummary } from '../api/queries';
import type { Bucket } from '../api/types';
import { hrefWith, navigate, useLocation } from '../router';
import { type Filters, filtersFromSearch, type ListFilterKey, NO_FILTERS, selectValue, withFilters } from './filters';
import { bucketForRange } from './periods';

// Page parameters that index into filtered rows; a filter change makes them meaningless.
const RESET_ON_FILTER_CHANGE = ['offset'];

export function useFilters(): [Filters, (next: Filters) => void] {
  const { search, pathname } = useLocation();
  const searchText = search.toString();
  const filters = useMemo(() => filtersFromSearch(new URLSearchParams(searchText)), [searchText]);
  const setFilters = useCallback(
    (next: Filters) => {
      const params = withFilters(new URLSearchParams(window.location.search), next, RESET_ON_FILTER_CHANGE);
      navigate(hrefWith(pathname, params));
    },
    [pathname],
  );
  return [filters, setFilters];
}

// Links between pages carry the filters along, so that drilling down keeps the view's scope.
export function useFilterQuery(): string {
  const { search } = useLocation();
  const params = withFilters(new URLSearchParams(), filtersFromSearch(search));
  const query = params.toString();
  return query ? `?${query}` : '';
}

export function useSelectFilter(): (key: ListFilterKey, value: string) => void {
  const [filters, setFilters] = useFilters();
  return useCallback((key, value) => setFilters(selectValue(filters, key, value)), [filters, setFilters]);
}

// The data's first and last UTC day, whatever the filters: presets, comparisons and buckets use it.
export function useDataExtent(): { firstDay: string | null; lastDay: string | null } {
  const { data } = useSummary(NO_FILTERS);
  return { firstDay: data?.first_event?.slice(0, 10) ?? null, lastDay: data?.last_event?.slice(0, 10) ?? null };
}

export function useBucket(filters: Filters): Bucket {
  const { firstDay, lastDay } = useDataExtent();
  return bucketForRange(filters.from, filters.to, firstDay, lastDay);
}
