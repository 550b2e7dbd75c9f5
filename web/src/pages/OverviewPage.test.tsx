import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { ChartStub, chartClicks } from '../test/chartStub';
import { FACETS, metrics, summary } from '../test/fixtures';
import { mockApi } from '../test/mockApi';
import { renderWithQueries, setUrl } from '../test/render';
import OverviewPage from './OverviewPage';

vi.mock('../charts/Chart', () => ({ Chart: ChartStub, preloadCharts: () => undefined }));

const NBSP = '\u00a0';
const ALL = summary({
  events: 49_379,
  sessions: 500,
  users: 30,
  user_prompts: 3714,
  api_requests: 12_781,
  api_errors: 157,
  input_tokens: 4_000_000,
  output_tokens: 5_000_000,
  cache_read_tokens: 700_000_000,
  cache_creation_tokens: 50_000_000,
  cost_usd: 652.18,
  tool_success_rate: 0.9634,
});
const LAST_WEEK = summary({ events: 9000, sessions: 120, users: 25, user_prompts: 900, api_requests: 3000, api_errors: 30, cost_usd: 160, tool_success_rate: 0.95 });
const WEEK_BEFORE = summary({ events: 8000, sessions: 100, users: 25, user_prompts: 1000, api_requests: 3000, api_errors: 60, cost_usd: 128, tool_success_rate: 0.96 });

function serve() {
  return mockApi({
    '/api/v1/summary': (p) => {
      if (!p.get('from')) return ALL;
      return p.get('from') === '2026-01-26' ? LAST_WEEK : WEEK_BEFORE;
    },
    '/api/v1/breakdown': (p) => ({
      by: p.get('by'),
      rows: [
        { key: 'Data Engineering', ...metrics({ cost_usd: 400 }) },
        { key: 'ML Engineering', ...metrics({ cost_usd: 252.18 }) },
      ],
    }),
    '/api/v1/timeseries': (p) => ({
      bucket: p.get('bucket'),
      points: [{ t: '2026-01-26T00:00:00Z', ...metrics({ events: 10, cost_usd: 5 }) }],
      split: p.get('split'),
      series: [{ key: 'claude-opus-4-6', points: [{ t: '2026-01-26T00:00:00Z', ...metrics({ events: 10, cost_usd: 5 }) }] }],
    }),
    '/api/v1/heatmap': () => ({
      cells: Array.from({ length: 168 }, (_, i) => ({ weekday: Math.floor(i / 24), hour: i % 24, ...metrics({ events: i }) })),
    }),
    '/api/v1/users': () => ({
      total: 30,
      rows: [
        {
          email: 'ada@example.com',
          full_name: 'Ada Lovelace',
          practice: 'Data Engineering',
          level: 'L5',
          location: 'Poland',
          first_seen: '2026-01-03T08:00:00Z',
          last_seen: '2026-02-01T10:00:00Z',
          active_days: 20,
          ...metrics({ sessions: 40, cost_usd: 71.5 }),
        },
      ],
    }),
    '/api/v1/facets': () => FACETS,
  });
}

const kpi = (id: string) => document.querySelector(`[data-kpi="${id}"]`) as HTMLElement;
// Exact text, non-breaking spaces included (Testing Library's matchers fold them into spaces).
const kpiValue = (id: string) => kpi(id).querySelector('.kpi__value')?.textContent;
const kpiChange = (id: string) => kpi(id).querySelector('.kpi__change')?.textContent;

describe('Overview', () => {
  it('shows the key figures of the whole store without a comparison', async () => {
    const api = serve();
    setUrl('/');
    renderWithQueries(<OverviewPage />);
    await waitFor(() => expect(kpiValue('cost')).toBe('$652.18'));
    expect(kpiValue('tokens')).toBe('759M');
    expect(kpiValue('sessions')).toBe('500');
    expect(kpiValue('users')).toBe('30');
    expect(kpiValue('prompts')).toBe('3.7K');
    expect(kpiValue('tool_success')).toBe(`96.3${NBSP}%`);
    // 157 errors over 12,938 requests and errors
    expect(kpiValue('api_error_rate')).toBe(`1.21${NBSP}%`);
    expect(screen.getByText(/choose a period to compare/)).toBeInTheDocument();
    expect(kpiChange('cost')).toBeUndefined();
    // Without a period only one summary is asked for: there is nothing before all time.
    expect(api.callsTo('/api/v1/summary').every((p) => !p.get('from'))).toBe(true);
    expect(await screen.findByRole('link', { name: 'Ada Lovelace' })).toHaveAttribute('href', '/users/ada%40example.com');
  });

  it('compares a period with the one of equal length before it', async () => {
    const api = serve();
    setUrl('/?from=2026-01-26&to=2026-02-01');
    renderWithQueries(<OverviewPage />);
    await waitFor(() => expect(kpiChange('cost')).toContain('vs previous period'));
    expect(kpiValue('cost')).toBe('$160.00');
    expect(kpiChange('cost')).toBe(`▲ +25.0${NBSP}% vs previous period`);
    expect(kpiChange('sessions')).toBe(`▲ +20.0${NBSP}% vs previous period`);
    expect(kpiChange('prompts')).toBe(`▼ −10.0${NBSP}% vs previous period`);
    // Rates change in points; fewer errors is better, less tool success is worse.
    expect(kpi('api_error_rate').querySelector('.kpi__change')).toHaveAttribute('data-tone', 'good');
    expect(kpiChange('tool_success')).toBe(`▼ −1.0${NBSP}pt vs previous period`);
    expect(kpi('tool_success').querySelector('.kpi__change')).toHaveAttribute('data-tone', 'bad');
    const periods = api.callsTo('/api/v1/summary').map((p) => `${p.get('from')}..${p.get('to')}`);
    expect(periods).toContain('2026-01-19..2026-01-25');
  });

  it('filters by a practice when its bar is clicked', async () => {
    serve();
    setUrl('/?split=practice');
    renderWithQueries(<OverviewPage />);
    await screen.findByRole('img', { name: 'Cost by practice' });
    act(() => chartClicks.get('Cost by practice')!({ name: 'ML Engineering' }));
    const search = new URLSearchParams(window.location.search);
    expect(search.get('practice')).toBe('ML Engineering');
    expect(search.get('split')).toBe('practice');
  });

  it('asks for the over-time split the switch selects, and keeps it in the URL', async () => {
    const api = serve();
    setUrl('/');
    renderWithQueries(<OverviewPage />);
    await screen.findByRole('button', { name: 'By practice' });
    act(() => screen.getByRole('button', { name: 'By practice' }).click());
    await waitFor(() => expect(api.callsTo('/api/v1/timeseries').some((p) => p.get('split') === 'practice')).toBe(true));
    expect(new URLSearchParams(window.location.search).get('split')).toBe('practice');
    expect(screen.getByRole('button', { name: 'By practice' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('asks for only the fields its trend and heatmap draw', async () => {
    const api = serve();
    setUrl('/');
    renderWithQueries(<OverviewPage />);
    await waitFor(() => expect(api.callsTo('/api/v1/heatmap')).toHaveLength(1));
    expect(api.callsTo('/api/v1/heatmap')[0].get('metrics')).toBe('events');
    await waitFor(() => expect(api.callsTo('/api/v1/timeseries').length).toBeGreaterThan(0));
    const trend = api.callsTo('/api/v1/timeseries')[0].get('metrics')?.split(',');
    expect(trend).toEqual(['cache_creation_tokens', 'cache_read_tokens', 'cost_usd', 'events', 'input_tokens', 'output_tokens']);
  });
});
