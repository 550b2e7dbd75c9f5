import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { ChartStub, chartClicks } from '../test/chartStub';
import { FACETS, metrics, summary } from '../test/fixtures';
import { mockApi } from '../test/mockApi';
import { renderWithQueries, setUrl } from '../test/render';
import TeamsPage from './TeamsPage';

vi.mock('../charts/Chart', () => ({ Chart: ChartStub, preloadCharts: () => undefined }));

function serve() {
  return mockApi({
    '/api/v1/facets': () => ({ ...FACETS, 'attr.team.id': ['infra', 'platform'] }),
    '/api/v1/summary': () => summary({ events: 10, users: 2 }, '2026-01-03T08:00:00Z', '2026-02-01T17:30:00Z'),
    '/api/v1/breakdown': (p) => ({
      by: p.get('by'),
      rows:
        p.get('by') === 'attr.team.id'
          ? [
              { key: 'platform', ...metrics({ cost_usd: 30 }) },
              { key: 'infra', ...metrics({ cost_usd: 12 }) },
            ]
          : [{ key: 'Poland', ...metrics({ cost_usd: 42 }) }],
    }),
    '/api/v1/timeseries': (p) => ({ bucket: p.get('bucket'), points: [] }),
    '/api/v1/employees': () => ({ total: 0, rows: [] }),
  });
}

describe('TeamsPage', () => {
  it('groups by location, or by a custom attribute the facets list', async () => {
    const api = serve();
    setUrl('/teams');
    renderWithQueries(<TeamsPage />);
    await screen.findByRole('img', { name: 'Cost by location' });
    const groupBy = await screen.findByRole('combobox', { name: 'Group by' });
    await waitFor(() => expect(screen.getByRole('option', { name: 'team.id' })).toBeInTheDocument());
    fireEvent.change(groupBy, { target: { value: 'attr.team.id' } });
    expect(new URLSearchParams(window.location.search).get('group')).toBe('attr.team.id');
    await screen.findByRole('img', { name: 'Cost by team.id' });
    expect(api.callsTo('/api/v1/breakdown').some((p) => p.get('by') === 'attr.team.id')).toBe(true);

    // A bar filters by its value; a second click on it widens again.
    act(() => chartClicks.get('Cost by team.id')!({ name: 'platform' }));
    expect(new URLSearchParams(window.location.search).get('attr.team.id')).toBe('platform');
    act(() => chartClicks.get('Cost by team.id')!({ name: 'platform' }));
    expect(new URLSearchParams(window.location.search).has('attr.team.id')).toBe(false);
  });
});
