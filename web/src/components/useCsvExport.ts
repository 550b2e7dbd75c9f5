import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';

import { apiUrl } from '../api/client';
import type { Summary } from '../api/types';
import { useFilters } from '../state/useFilters';
import { csvPeriod, csvPreamble, exportFileName } from './csv';

// A view's rows either follow the filters (most tables) or describe the whole store (Data quality).
export type CsvScope = 'filters' | 'store';

// The file name and first line of an export of the current view. The data's first and last day
// (for a period left open) are read from the cache the filter bar fills, when the export is made:
// no table asks for them itself.
export function useCsvExport(scope: CsvScope): (name: string, title: string) => { fileName: string; preamble: string } {
  const [filters] = useFilters();
  const client = useQueryClient();
  return useCallback(
    (name, title) => {
      if (scope === 'store') return { fileName: exportFileName(name, null), preamble: csvPreamble(title, null, null) };
      const summary = client.getQueryData<Summary>([apiUrl('/api/v1/summary')]);
      const period = csvPeriod(filters, summary?.first_event?.slice(0, 10) ?? null, summary?.last_event?.slice(0, 10) ?? null);
      return { fileName: exportFileName(name, period), preamble: csvPreamble(title, filters, period) };
    },
    [scope, filters, client],
  );
}
