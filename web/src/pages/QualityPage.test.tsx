import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { ChartStub } from '../test/chartStub';
import { metrics } from '../test/fixtures';
import { mockApi } from '../test/mockApi';
import { renderWithQueries, setUrl } from '../test/render';
import QualityPage from './QualityPage';

vi.mock('../charts/Chart', () => ({ Chart: ChartStub, preloadCharts: () => undefined }));

const QUALITY = {
  totals: { accepted: 1210, duplicates: 0, rejected_events: 0, rejected_lines: 0 },
  ingests: [],
  rejected_by_reason: [],
  quarantine_sample: [],
};

describe('QualityPage', () => {
  it('lists the events beyond the original five by name with their counts, over the whole store', async () => {
    setUrl('/quality?practice=Platform');
    const api = mockApi({
      '/api/v1/quality': () => QUALITY,
      '/api/v1/breakdown': (p) => ({
        by: p.get('by'),
        rows: [
          { key: 'api_request', ...metrics({ events: 900 }) },
          { key: 'assistant_response', ...metrics({ events: 12, sessions: 3, users: 2 }) },
          { key: 'plugin_loaded', ...metrics({ events: 1500, sessions: 4, users: 2 }) },
          { key: 'user_prompt', ...metrics({ events: 300 }) },
        ],
      }),
    });
    renderWithQueries(<QualityPage />);
    const table = await screen.findByRole('table', { name: 'Other events by name' });
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => within(row).getAllByRole('cell').slice(0, 2).map((cell) => cell.textContent));
    expect(rows).toEqual([
      ['plugin_loaded', '1,500'],
      ['assistant_response', '12'],
    ]);
    // The page describes the whole store: the filters are not sent.
    expect(api.callsTo('/api/v1/breakdown')).toHaveLength(1);
    expect(api.callsTo('/api/v1/breakdown')[0].get('by')).toBe('event_type');
    expect(api.callsTo('/api/v1/breakdown')[0].has('practice')).toBe(false);
  });
});
