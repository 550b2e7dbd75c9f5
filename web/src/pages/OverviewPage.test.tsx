import { act, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { ChartStub, chartClicks, chartOptions } from '../test/chartStub';
import type { Metrics } from '../api/types';
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
const LAST_WEEK = summary({ events: 9000, sessions: 120, users: 25, user_prompts: 900, api_requests: 3000, api_errors: 30, api_aborts: 10, cost_usd: 160, tool_success_rate: 0.95 });
const WEEK_BEFORE = metrics({ events: 8000, sessions: 100, users: 25, user_prompts: 1000, api_requests: 3000, api_errors: 60, api_aborts: 0, cost_usd: 128, tool_success_rate: 0.96 });
const PREVIOUS_RANGE = { from: '2026-01-19T00:00:00Z', to: '2026-01-26T00:00:00Z' };

// A breakdown answer; asked with compare=previous, each row carries `previous` and the answer the
// keys present only before, as docs/api.md describes.
function breakdown(p: URLSearchParams, rows: { key: string; now: Partial<Metrics>; before?: Partial<Metrics> }[], gone: { key: string; before: Partial<Metrics> }[] = []) {
  const compared = p.get('compare') === 'previous';
  return {
    by: p.get('by'),
    sort: p.get('sort'),
    rows: rows.map((r) => ({ key: r.key, ...metrics(r.now), ...(compared ? { previous: metrics(r.before ?? {}) } : {}) })),
    ...(compared ? { previous_only: gone.map((g) => ({ key: g.key, previous: metrics(g.before) })), previous_range: PREVIOUS_RANGE } : {}),
  };
}

function serve(more: Record<string, (p: URLSearchParams) => unknown> = {}) {
  return mockApi({
    ...more,
    '/api/v1/summary': (p) => {
      if (!p.get('from')) return ALL;
      return p.get('compare') === 'previous' ? { ...LAST_WEEK, previous: WEEK_BEFORE, previous_range: PREVIOUS_RANGE } : LAST_WEEK;
    },
    '/api/v1/breakdown': (p) => {
      if (p.get('by') === 'email') {
        return breakdown(p, [
          { key: 'ada@example.com', now: { events: 50, cost_usd: 90 }, before: { events: 20, cost_usd: 30 } },
          { key: 'bo@example.com', now: { events: 5, cost_usd: 10 }, before: { events: 9, cost_usd: 12 } },
        ]);
      }
      if (p.get('by') === 'status_code') {
        return breakdown(p, [
          { key: 'undefined', now: { events: 80, api_errors: 80 }, before: { events: 30, api_errors: 30 } },
          { key: '429', now: { events: 20, api_errors: 20 } },
        ]);
      }
      return breakdown(
        p,
        [
          // Grew by 100, appeared (+52.18 from nothing), shrank by 10: ranked by the size of the change.
          { key: 'Data Engineering', now: { events: 90, cost_usd: 400 }, before: { events: 60, cost_usd: 300 } },
          { key: 'ML Engineering', now: { events: 40, cost_usd: 252.18 }, before: { events: 40, cost_usd: 262.18 } },
          { key: 'Platform', now: { events: 4, cost_usd: 52.18 } },
        ],
        [{ key: 'Security', before: { events: 30, cost_usd: 75 } }],
      );
    },
    '/api/v1/timeseries': (p) => {
      const compared = p.get('compare') === 'previous';
      const point = (cost: number, before: number) => ({
        t: '2026-01-26T00:00:00Z',
        ...metrics({ events: 10, cost_usd: cost }),
        ...(compared ? { previous: metrics({ events: 8, cost_usd: before }) } : {}),
      });
      return {
        bucket: p.get('bucket'),
        points: [point(5, 4)],
        split: p.get('split'),
        series: [{ key: 'claude-opus-4-6', points: [point(5, 4)] }],
        ...(compared ? { previous_range: PREVIOUS_RANGE } : {}),
      };
    },
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
  beforeEach(() => {
    chartClicks.clear();
    chartOptions.clear();
  });

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
    // 157 errors over 12,938 requests and errors, none of them aborted
    expect(kpiValue('api_failure_rate')).toBe(`1.21${NBSP}%`);
    expect(screen.getByText(/choose a period to compare/)).toBeInTheDocument();
    expect(kpiChange('cost')).toBeUndefined();
    // Without a period nothing is compared: there is nothing before all time.
    expect(api.callsTo('/api/v1/summary').every((p) => !p.get('from') && !p.get('compare'))).toBe(true);
    expect(screen.getByRole('region', { name: 'What changed' })).toHaveTextContent('Choose a period to see what changed');
    expect(api.callsTo('/api/v1/breakdown').every((p) => !p.get('compare'))).toBe(true);
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
    // Rates change in points; fewer failures is better, less tool success is worse.
    // 20 failures (30 errors, 10 aborted) over 3,020 against 60 over 3,060.
    expect(kpiValue('api_failure_rate')).toBe(`0.66${NBSP}%`);
    expect(kpi('api_failure_rate').querySelector('.kpi__change')).toHaveAttribute('data-tone', 'good');
    expect(kpiChange('tool_success')).toBe(`▼ −1.0${NBSP}pt vs previous period`);
    expect(kpi('tool_success').querySelector('.kpi__change')).toHaveAttribute('data-tone', 'bad');
    // One request answers both periods.
    const compared = api.callsTo('/api/v1/summary').filter((p) => p.get('compare') === 'previous');
    expect(compared.map((p) => `${p.get('from')}..${p.get('to')}`)).toEqual(['2026-01-26..2026-02-01']);
    expect(screen.getByRole('region', { name: 'Key figures' })).toHaveTextContent('2026-01-19 to 2026-01-26 (exclusive)');
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

  it('ranks what changed by practice and drills into the users behind a practice', async () => {
    const api = serve();
    setUrl('/?from=2026-01-26&to=2026-02-01');
    renderWithQueries(<OverviewPage />);
    const panel = await screen.findByRole('region', { name: 'What changed' });
    await waitFor(() => expect(panel).toHaveAttribute('data-status', 'ready'));
    const table = () => within(panel).getByRole('table');
    const rows = () =>
      within(table())
        .getAllByRole('row')
        .slice(1)
        .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    // Largest absolute change first; a practice that disappeared and one that appeared included.
    expect(rows()).toEqual([
      ['Data Engineering', '$300.00', '$400.00', '▲ +$100.00', `▲ +33.3${NBSP}%`],
      ['Securitygone', '$75.00', '$0.00', '▼ −$75.00', `▼ −100.0${NBSP}%`],
      ['Platformnew', '$0.00', '$52.18', '▲ +$52.18', '▲ new'],
      ['ML Engineering', '$262.18', '$252.18', '▼ −$10.00', `▼ −3.8${NBSP}%`],
    ]);
    // The ranking shares the cost-by-practice panel's request.
    const byPractice = api.callsTo('/api/v1/breakdown').filter((p) => p.get('by') === 'practice');
    expect(new Set(byPractice.map((p) => p.toString())).size).toBe(1);
    expect(byPractice[0].get('compare')).toBe('previous');

    act(() => within(panel).getByRole('button', { name: 'Data Engineering' }).click());
    const search = new URLSearchParams(window.location.search);
    expect(search.get('practice')).toBe('Data Engineering');
    expect(search.get('changed_by')).toBe('email');
    await waitFor(() =>
      expect(api.callsTo('/api/v1/breakdown').some((p) => p.get('by') === 'email' && p.get('practice') === 'Data Engineering' && p.get('compare') === 'previous')).toBe(true),
    );
    await waitFor(() => expect(rows()[0][0]).toBe('ada@example.com'));
    expect(rows()[0].slice(3)).toEqual(['▲ +$60.00', `▲ +200.0${NBSP}%`]);
    expect(within(panel).getByRole('button', { name: 'User' })).toHaveAttribute('aria-pressed', 'true');
    // Back returns to the practices in one step.
    act(() => window.history.back());
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('practice')).toBeNull());
  });

  it('ranks by another metric the switch selects, kept in the URL', async () => {
    serve();
    setUrl('/?from=2026-01-26&to=2026-02-01&changed_metric=events');
    renderWithQueries(<OverviewPage />);
    const panel = await screen.findByRole('region', { name: 'What changed' });
    await waitFor(() => expect(panel).toHaveAttribute('data-status', 'ready'));
    const first = within(panel).getAllByRole('row')[1];
    // Events: Data Engineering +30, Security −30 (tie, by name), Platform +4; ML Engineering unchanged.
    expect(first).toHaveTextContent('Data Engineering');
    expect(within(panel).getAllByRole('row')).toHaveLength(4);
  });

  it('draws the previous period as ghost bars and a dashed total', async () => {
    serve();
    setUrl('/?from=2026-01-26&to=2026-02-01');
    renderWithQueries(<OverviewPage />);
    await waitFor(() => expect(screen.getByRole('region', { name: 'Cost by practice' })).toHaveTextContent('previous period faint'));
    type Series = { name: string; data: unknown[]; lineStyle?: { type?: string } };
    const series = (label: string) => (chartOptions.get(label)!.series as Series[]).map((s) => [s.name, s.data]);
    expect(series('Cost by practice')).toEqual([
      ['Cost', [400, 252.18, 52.18]],
      ['Cost, previous period', [300, 262.18, 0]],
    ]);
    await waitFor(() => expect(screen.getByRole('region', { name: 'Cost over time' })).toHaveTextContent('previous period dashed'));
    const trend = chartOptions.get('cost over time by model')!.series as Series[];
    expect(trend.map((s) => [s.name, s.data, s.lineStyle?.type])).toEqual([
      ['claude-opus-4-6', [5], undefined],
      ['Total, previous period', [4], 'dashed'],
    ]);
  });

  it('opens Reliability on the API errors of the status code clicked', async () => {
    serve();
    setUrl('/?practice=ML%20Engineering&fails=status_code');
    renderWithQueries(<OverviewPage />);
    await screen.findByRole('img', { name: 'API errors by status code' });
    act(() => chartClicks.get('API errors by status code')!({ name: 'no response', dataIndex: 0 }));
    expect(window.location.pathname).toBe('/reliability');
    const search = new URLSearchParams(window.location.search);
    expect(search.get('status_code')).toBe('undefined');
    expect(search.get('practice')).toBe('ML Engineering');
    // The Overview's own view does not follow to another page.
    expect(search.get('fails')).toBeNull();
  });

  it('draws the cost forecast after the last bucket and marks anomalies, the forecast switched off and on', async () => {
    const point = (t: string, value: number) => ({ t, value, lo80: value - 2, hi80: value + 2, lo95: value - 4, hi95: value + 4 });
    const api = serve({
      '/api/v1/forecast': (p) => ({
        metric: 'cost_usd',
        bucket: p.get('bucket'),
        horizon: Number(p.get('horizon')),
        method: 'level',
        season: 0,
        history: [{ t: '2026-01-26T00:00:00Z', value: 5 }],
        points: [point('2026-01-27T00:00:00Z', 6), point('2026-01-28T00:00:00Z', 7)],
        backtest: null,
      }),
      '/api/v1/anomalies': (p) => ({
        metric: 'cost_usd',
        bucket: p.get('bucket'),
        by: 'model',
        series: [{ t: '2026-01-26T00:00:00Z', value: 5, expected: 1, lo: 0, hi: 2 }],
        anomalies: [{ start: '2026-01-26T00:00:00Z', end: '2026-01-27T00:00:00Z', value: 5, expected: 1, lo: 0, hi: 2, score: 6, direction: 'up', contributors: [] }],
      }),
    });
    setUrl('/?from=2026-01-26&to=2026-02-01');
    renderWithQueries(<OverviewPage />);
    const panel = await screen.findByRole('region', { name: 'Cost over time' });
    await waitFor(() => expect(panel).toHaveTextContent('then the forecast with its 80 % and 95 % intervals, an anomaly marked'));
    expect(within(panel).getByRole('link', { name: 'more on Insights' })).toHaveAttribute('href', '/insights?from=2026-01-26&to=2026-02-01');
    type Series = { name: string; data: unknown[]; markPoint?: { data: { coord: number[] }[] } };
    const trend = () => chartOptions.get('cost over time by model')!;
    const names = () => (trend().series as Series[]).map((s) => s.name);
    const days = () => (trend().xAxis as { data: string[] }).data;
    // The previous period's dashed total stays; the forecast follows the last bucket.
    expect(names()).toEqual(['claude-opus-4-6', 'Total, previous period', 'Forecast', '95 % interval', '95 % interval', '80 % interval', '80 % interval']);
    expect(days()).toEqual(['Jan 26', 'Jan 27', 'Jan 28']);
    expect((trend().series as Series[])[2].data).toEqual([null, 6, 7]);
    // The anomaly sits on top of the day's stack.
    expect((trend().series as Series[])[0].markPoint!.data.map((m) => m.coord)).toEqual([[0, 5]]);
    const asked = api.callsTo('/api/v1/forecast')[0];
    expect([asked.get('metric'), asked.get('bucket'), asked.get('horizon'), asked.get('from'), asked.get('to')]).toEqual([
      'cost_usd',
      'day',
      '14',
      '2026-01-26',
      '2026-02-01',
    ]);

    const toggle = within(panel).getByRole('button', { name: 'Forecast' });
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    act(() => toggle.click());
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    expect(new URLSearchParams(window.location.search).get('forecast')).toBe('off');
    await waitFor(() => expect(names()).toEqual(['claude-opus-4-6', 'Total, previous period']));
    expect(days()).toEqual(['Jan 26']);
    expect((trend().series as Series[])[0].markPoint!.data).toHaveLength(1);
    expect(panel).not.toHaveTextContent('forecast with');

    act(() => toggle.click());
    await waitFor(() => expect(names()).toContain('Forecast'));
    expect(new URLSearchParams(window.location.search).get('forecast')).toBeNull();
  });

  it('forecasts cost only', async () => {
    const api = serve();
    setUrl('/?trend=tokens');
    renderWithQueries(<OverviewPage />);
    const panel = await screen.findByRole('region', { name: 'Tokens over time' });
    await waitFor(() => expect(panel).toHaveAttribute('data-status', 'ready'));
    expect(within(panel).queryByRole('button', { name: 'Forecast' })).toBeNull();
    expect(api.callsTo('/api/v1/forecast')).toHaveLength(0);
    expect(api.callsTo('/api/v1/anomalies')).toHaveLength(0);
  });
});
