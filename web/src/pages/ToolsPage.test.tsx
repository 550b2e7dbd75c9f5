import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { ChartStub, chartOptions } from '../test/chartStub';
import { metrics, summary } from '../test/fixtures';
import { mockApi } from '../test/mockApi';
import { renderWithQueries, setUrl } from '../test/render';
import ToolsPage from './ToolsPage';

vi.mock('../charts/Chart', () => ({ Chart: ChartStub, preloadCharts: () => undefined }));

const NBSP = '\u00a0';

describe('ToolsPage', () => {
  it('compares each tool with the previous period: changes in the table, faint bars in the ranking', async () => {
    const api = mockApi({
      '/api/v1/summary': () => summary({ events: 10 }),
      '/api/v1/latency': () => ({ by: 'tool', rows: [] }),
      '/api/v1/breakdown': (p) =>
        p.get('by') === 'tool'
          ? {
              by: 'tool',
              rows: [
                {
                  key: 'Bash',
                  ...metrics({ tool_decisions: 120, tool_results: 100, tool_success_rate: 0.9 }),
                  previous: metrics({ tool_decisions: 80, tool_results: 80, tool_success_rate: 0.95 }),
                },
              ],
              previous_only: [],
              previous_range: { from: '2026-01-19T00:00:00Z', to: '2026-01-26T00:00:00Z' },
            }
          : { by: p.get('by'), rows: [] },
    });
    setUrl('/tools?from=2026-01-26&to=2026-02-01');
    renderWithQueries(<ToolsPage />);
    const table = await screen.findByRole('table', { name: 'Tools' });
    const header = [...table.querySelectorAll('th')].map((th) => th.textContent);
    const cells = [...within(table).getAllByRole('row')[1].querySelectorAll('td')].map((td) => td.textContent);
    expect(cells[header.indexOf('Decisions change')]).toBe('▲ +40');
    expect(cells[header.indexOf('Decisions change %')]).toBe(`▲ +50.0${NBSP}%`);
    expect(cells[header.indexOf('Success rate change (pt)')]).toBe(`▼ −5.0${NBSP}pt`);
    expect(api.callsTo('/api/v1/breakdown').find((p) => p.get('by') === 'tool')?.get('compare')).toBe('previous');
    await waitFor(() => expect(chartOptions.get('Tool usage ranking')).toBeDefined());
    const series = chartOptions.get('Tool usage ranking')!.series as { name: string; data: number[] }[];
    expect(series.map((s) => [s.name, s.data])).toEqual([
      ['Decisions', [120]],
      ['Decisions, previous period', [80]],
      ['Runs', [100]],
    ]);
  });
});
