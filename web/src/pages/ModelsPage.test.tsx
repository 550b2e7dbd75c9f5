import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { ChartStub } from '../test/chartStub';
import { metrics, summary } from '../test/fixtures';
import { mockApi } from '../test/mockApi';
import { renderWithQueries, setUrl } from '../test/render';
import ModelsPage from './ModelsPage';

vi.mock('../charts/Chart', () => ({ Chart: ChartStub, preloadCharts: () => undefined }));

const NBSP = '\u00a0';
const latencyRow = (key: string, p95: number, p99: number) => ({ key, count: 100, mean: p95 / 3, p50: p95 / 4, p90: p95 / 2, p95, p99, max: p99 * 2 });

function serve() {
  return mockApi({
    '/api/v1/summary': () => summary({ events: 100 }),
    '/api/v1/breakdown': (p) => ({
      by: 'model',
      sort: 'cost_usd',
      rows: [
        { key: 'claude-opus-4-6', ...metrics({ events: 60, api_requests: 50, cost_usd: 300 }), previous: metrics({ events: 40, api_requests: 30, cost_usd: 200 }) },
        { key: 'claude-haiku-4-5', ...metrics({ events: 40, api_requests: 45, cost_usd: 20 }), previous: metrics({ events: 50, api_requests: 50, cost_usd: 25 }) },
      ],
      previous_only: [],
      ...(p.get('compare') === 'previous' ? { previous_range: { from: '2026-01-19T00:00:00Z', to: '2026-01-26T00:00:00Z' } } : {}),
    }),
    '/api/v1/latency': () => ({ by: 'model', rows: [latencyRow('claude-opus-4-6', 41_000, 88_500), latencyRow('claude-haiku-4-5', 9_000, 120_000)] }),
  });
}

const tableRows = () =>
  within(screen.getByRole('table', { name: 'Models' }))
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell'));

describe('ModelsPage', () => {
  it('shows p95 and p99 latency per model, sortable, and exports them in its CSV', async () => {
    serve();
    setUrl('/models');
    renderWithQueries(<ModelsPage />);
    await screen.findByRole('table', { name: 'Models' });
    await waitFor(() => expect(screen.getByRole('columnheader', { name: /p95 latency/ })).toBeInTheDocument());
    const header = [...screen.getByRole('table', { name: 'Models' }).querySelectorAll('th')].map((th) => th.textContent);
    await waitFor(() => expect(tableRows()[0][header.indexOf('p95 latency (ms)')].textContent).toBe('41,000'));
    expect(tableRows()[0][header.indexOf('p99 latency (ms)')].textContent).toBe('88,500');
    // Sorting by p99, largest first, puts haiku (120 s) before opus.
    fireEvent.click(within(screen.getByRole('columnheader', { name: /p99 latency/ })).getByRole('button'));
    expect(tableRows()[0][0].textContent).toBe('claude-haiku-4-5');
    // Without a period there is no comparison, so no change columns.
    expect(header).not.toContain('Cost change');

    let blob: Blob | undefined;
    URL.createObjectURL = vi.fn((b: Blob) => {
      blob = b;
      return 'blob:csv';
    });
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    // The first line says the period and filters; the header follows.
    const [, csvHeader, first] = (await blob!.text()).split('\r\n');
    expect(csvHeader.split(',').slice(-3)).toEqual(['p50 latency (ms)', 'p95 latency (ms)', 'p99 latency (ms)']);
    expect(first.split(',').slice(-3)).toEqual(['2250', '9000', '120000']);
  });

  it('compares each model with the previous period when a period is chosen', async () => {
    const api = serve();
    setUrl('/models?from=2026-01-26&to=2026-02-01');
    renderWithQueries(<ModelsPage />);
    await waitFor(() => expect(screen.getByRole('columnheader', { name: /Cost change %/ })).toBeInTheDocument());
    expect(api.callsTo('/api/v1/breakdown').every((p) => p.get('compare') === 'previous')).toBe(true);
    const header = [...screen.getByRole('table', { name: 'Models' }).querySelectorAll('th')].map((th) => th.textContent);
    const opus = tableRows()[0];
    expect(opus[header.indexOf('Cost change')].textContent).toBe('▲ +$100.00');
    expect(opus[header.indexOf('Cost change %')].textContent).toBe(`▲ +50.0${NBSP}%`);
  });
});
