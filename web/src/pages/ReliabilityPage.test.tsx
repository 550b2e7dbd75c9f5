import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { ChartStub } from '../test/chartStub';
import { metrics, summary } from '../test/fixtures';
import { mockApi } from '../test/mockApi';
import { renderWithQueries, setUrl } from '../test/render';
import ReliabilityPage from './ReliabilityPage';

vi.mock('../charts/Chart', () => ({ Chart: ChartStub, preloadCharts: () => undefined }));

type Row = { key: string } & ReturnType<typeof metrics>;

function serve(eventTypes: Row[]) {
  return mockApi({
    '/api/v1/summary': () => summary({ events: 5000, api_requests: 1200, api_errors: 30 }),
    '/api/v1/timeseries': (p) => ({ bucket: p.get('bucket'), points: [], split: p.get('split'), series: [] }),
    '/api/v1/openapi.json': () => ({ components: { schemas: { Dimension: { enum: ['model', 'status_code', 'event_type', 'attempt'] } } } }),
    '/api/v1/breakdown': (p) => ({
      by: p.get('by'),
      rows: p.get('by') === 'event_type' ? eventTypes : [{ key: '529', ...metrics({ api_errors: 30 }) }],
    }),
  });
}

const kpi = (id: string) => document.querySelector(`[data-kpi="${id}"]`) as HTMLElement | null;
const kpiValue = (id: string) => kpi(id)?.querySelector('.kpi__value')?.textContent;

describe('ReliabilityPage', () => {
  it('counts the client-side failures by event name, with the filters applied', async () => {
    setUrl('/reliability?practice=Platform');
    const api = serve([
      { key: 'api_request', ...metrics({ events: 1200 }) },
      { key: 'user_prompt', ...metrics({ events: 300 }) },
      { key: 'api_retries_exhausted', ...metrics({ events: 1234, sessions: 4, users: 2 }) },
      { key: 'plugin_loaded', ...metrics({ events: 40 }) },
      { key: 'internal_error', ...metrics({ events: 7, sessions: 3, users: 1 }) },
    ]);
    renderWithQueries(<ReliabilityPage />);
    const panel = await screen.findByRole('region', { name: 'Client-side failures' });
    await waitFor(() => expect(panel).toHaveAttribute('data-status', 'ready'));
    expect(kpiValue('api_retries_exhausted')).toBe('1,234');
    expect(kpiValue('internal_error')).toBe('7');
    expect(panel).toHaveTextContent('API calls given up after every retry');
    expect(panel).toHaveTextContent('errors inside Claude Code');
    const asked = api.callsTo('/api/v1/breakdown').filter((p) => p.get('by') === 'event_type');
    expect(asked).toHaveLength(1);
    expect(asked[0].get('practice')).toBe('Platform');
  });

  it('shows 0 for a failure no matching event reported', async () => {
    setUrl('/reliability');
    serve([
      { key: 'api_request', ...metrics({ events: 1200 }) },
      { key: 'internal_error', ...metrics({ events: 2 }) },
    ]);
    renderWithQueries(<ReliabilityPage />);
    await waitFor(() => expect(kpiValue('internal_error')).toBe('2'));
    expect(kpiValue('api_retries_exhausted')).toBe('0');
  });
});
