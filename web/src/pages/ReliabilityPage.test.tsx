import { act, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { ChartStub, chartClicks, chartOptions } from '../test/chartStub';
import { metrics, summary } from '../test/fixtures';
import { mockApi } from '../test/mockApi';
import { renderWithQueries, setUrl } from '../test/render';
import ReliabilityPage from './ReliabilityPage';

vi.mock('../charts/Chart', () => ({ Chart: ChartStub, preloadCharts: () => undefined }));

type Row = { key: string } & ReturnType<typeof metrics>;

const RANGE = { from: '2026-01-19T00:00:00Z', to: '2026-01-26T00:00:00Z' };
const DAYS = ['2026-01-26T00:00:00Z', '2026-01-27T00:00:00Z'];

// Answers as docs/api.md describes them; with compare=previous, each metric set gains `previous`.
function serve(eventTypes: Row[] = []) {
  const compared = (p: URLSearchParams) => p.get('compare') === 'previous';
  const rows = (p: URLSearchParams, list: { key: string; now: Parameters<typeof metrics>[0]; before?: Parameters<typeof metrics>[0] }[]) => ({
    by: p.get('by'),
    rows: list.map((r) => ({ key: r.key, ...metrics(r.now), ...(compared(p) ? { previous: metrics(r.before ?? {}) } : {}) })),
    ...(compared(p) ? { previous_only: [], previous_range: RANGE } : {}),
  });
  return mockApi({
    // 1,200 requests and 30 errors, 18 of them aborted: 12 failures over 1,212 (0.99 %); 2.44 % raw.
    '/api/v1/summary': (p) => ({
      ...summary({ events: 5000, api_requests: 1200, api_errors: 30, api_aborts: 18, tool_results: 400, tool_success_rate: 0.95 }),
      ...(compared(p) ? { previous: metrics({ api_requests: 1000, api_errors: 20, api_aborts: 0 }), previous_range: RANGE } : {}),
    }),
    '/api/v1/timeseries': (p) => {
      const point = (t: string, i: number) => ({
        t,
        ...metrics({ api_requests: 100, api_errors: 10 + i, api_aborts: 5, tool_results: 50, tool_success_rate: 0.9 }),
        ...(compared(p) ? { previous: metrics({ api_requests: 100, api_errors: 2, tool_results: 50, tool_success_rate: 0.8 }) } : {}),
      });
      return {
        bucket: p.get('bucket'),
        points: DAYS.map(point),
        split: p.get('split'),
        series: [{ key: 'undefined', points: DAYS.map(point) }],
        ...(compared(p) ? { previous_range: RANGE } : {}),
      };
    },
    '/api/v1/latency/timeseries': (p) => ({
      of: p.get('of'),
      bucket: p.get('bucket'),
      measure: p.get('measure'),
      points: DAYS.map((t, i) => ({ t, count: i === 0 ? 10 : 0, mean: i === 0 ? 900 : null, p50: i === 0 ? 800 : null, p90: null, p95: i === 0 ? 4200 : null, p99: null, max: null })),
    }),
    '/api/v1/breakdown': (p) => {
      switch (p.get('by')) {
        case 'event_type':
          return { by: 'event_type', rows: eventTypes };
        case 'error':
          return rows(p, [
            { key: 'Request was aborted.', now: { api_errors: 18, sessions: 9, users: 4 }, before: {} },
            { key: 'Overloaded, try again', now: { api_errors: 7, sessions: 3, users: 2 }, before: { api_errors: 10 } },
            { key: 'Internal server error', now: { api_errors: 5, sessions: 2, users: 1 }, before: { api_errors: 10 } },
          ]);
        case 'status_code':
          return rows(p, [
            { key: 'undefined', now: { api_errors: 20, api_aborts: 18 }, before: { api_errors: 5 } },
            { key: '529', now: { api_errors: 10 }, before: { api_errors: 15 } },
          ]);
        case 'tool':
          return rows(p, [
            { key: 'Read', now: { tool_results: 300, tool_success_rate: 0.99 }, before: { tool_results: 100, tool_success_rate: 1 } },
            { key: 'Bash', now: { tool_results: 100, tool_success_rate: 0.8 }, before: { tool_results: 100, tool_success_rate: 0.9 } },
            { key: 'Edit', now: { tool_results: 10, tool_success_rate: 1 } },
          ]);
        default:
          return rows(p, [{ key: 'claude-opus-4-6', now: { api_requests: 1200, api_errors: 30, api_aborts: 18 } }]);
      }
    },
  });
}

const NBSP = '\u00a0';
const kpi = (id: string) => document.querySelector(`[data-kpi="${id}"]`) as HTMLElement | null;
const kpiValue = (id: string) => kpi(id)?.querySelector('.kpi__value')?.textContent;

describe('ReliabilityPage', () => {
  beforeEach(() => {
    chartClicks.clear();
    chartOptions.clear();
  });

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

  it('leads with the failure rate without aborts, the raw rate and the aborts beside it', async () => {
    setUrl('/reliability?from=2026-01-26&to=2026-02-01');
    serve();
    renderWithQueries(<ReliabilityPage />);
    await waitFor(() => expect(kpiValue('api_failure_rate')).toBe(`0.99${NBSP}%`));
    expect(kpiValue('api_error_rate')).toBe(`2.44${NBSP}%`);
    expect(kpi('api_error_rate')).toHaveTextContent('including aborts');
    expect(kpiValue('api_aborts')).toBe('18');
    expect(kpiValue('tool_failure_rate')).toBe(`5.00${NBSP}%`);
    // Against 20 failures over 1,020 before (1.96 %): fewer failures reads as better.
    expect(kpi('api_failure_rate')?.querySelector('.kpi__change')).toHaveAttribute('data-tone', 'good');
  });

  it('explains errors by message, aborts marked, and filters by a message or status code clicked', async () => {
    setUrl('/reliability?from=2026-01-26&to=2026-02-01');
    serve();
    renderWithQueries(<ReliabilityPage />);
    const messages = await screen.findByRole('table', { name: 'API errors by message' });
    const cells = (table: HTMLElement) =>
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(cells(messages)[0]).toEqual(['Request was aborted.aborted by the user', '18', `60.0${NBSP}%`, '▲ +18', '▲ new', '9', '4']);
    // A message holding a comma cannot be a filter (lists are comma-separated): no button.
    expect(within(messages).queryByRole('button', { name: 'Overloaded, try again' })).toBeNull();
    act(() => within(messages).getByRole('button', { name: 'Internal server error' }).click());
    expect(new URLSearchParams(window.location.search).get('error')).toBe('Internal server error');

    const codes = await screen.findByRole('table', { name: 'API errors by status code' });
    expect(cells(codes)[0].slice(0, 3)).toEqual(['no response', '20', '18']);
    act(() => within(codes).getByRole('button', { name: 'no response' }).click());
    const search = new URLSearchParams(window.location.search);
    expect(search.get('status_code')).toBe('undefined');
    expect(search.get('error')).toBe('Internal server error');
  });

  it('ranks tools by failed runs and filters by the tool clicked', async () => {
    setUrl('/reliability?from=2026-01-26&to=2026-02-01');
    serve();
    renderWithQueries(<ReliabilityPage />);
    await waitFor(() => expect(screen.getByRole('region', { name: 'Tools by failures' })).toHaveAttribute('data-status', 'ready'));
    const option = chartOptions.get('Tools by failures') as { yAxis: { data: string[] }; series: { name: string; data: unknown[] }[] };
    // Bash 20 failed of 100, Read 3 of 300; Edit never failed.
    expect(option.yAxis.data).toEqual(['Bash', 'Read']);
    expect(option.series.map((s) => [s.name, s.data])).toEqual([
      ['Failed runs', [20, 3]],
      ['Failed runs, previous period', [10, 0]],
    ]);
    act(() => chartClicks.get('Tools by failures')!({ name: 'Bash', dataIndex: 0 }));
    expect(new URLSearchParams(window.location.search).get('tool')).toBe('Bash');
  });

  it('draws the failure rate, the raw rate, latency and tool failures per day', async () => {
    setUrl('/reliability?from=2026-01-26&to=2026-02-01');
    const api = serve();
    renderWithQueries(<ReliabilityPage />);
    await waitFor(() => expect(chartOptions.get('API failure rate over time')).toBeDefined());
    await waitFor(() => expect(screen.getByRole('region', { name: 'Failure rate over time' })).toHaveTextContent('previous period dashed'));
    type Series = { name: string; data: (number | null)[] };
    const series = (label: string) => (chartOptions.get(label)!.series as Series[]).map((s) => [s.name, s.data.map((v) => (v === null ? null : Math.round(v * 10000) / 10000))]);
    // Day 1: 5 failures (10 errors, 5 aborted) over 105; 10 errors over 110.
    expect(series('API failure rate over time')).toEqual([
      ['Failure rate', [0.0476, 0.0566]],
      ['Error rate including aborts', [0.0909, 0.0991]],
      ['Failure rate, previous period', [0.0196, 0.0196]],
    ]);
    await waitFor(() => expect(chartOptions.get('API request latency over time')).toBeDefined());
    expect(series('API request latency over time')).toEqual([
      ['p50', [800, null]],
      ['p95', [4200, null]],
    ]);
    expect(series('Tool failure rate over time')[0]).toEqual(['Tool failure rate', [0.1, 0.1]]);
    const latency = api.callsTo('/api/v1/latency/timeseries')[0];
    expect([latency.get('of'), latency.get('bucket'), latency.get('measure'), latency.get('from')]).toEqual(['api_request', 'day', 'duration_ms', '2026-01-26']);
  });

  it('opens the sessions of the day clicked, the most API errors first, keeping the error filter', async () => {
    setUrl('/reliability?from=2026-01-26&to=2026-02-01&status_code=529');
    serve();
    renderWithQueries(<ReliabilityPage />);
    // A status code filter keeps api_error events alone: the trend counts them instead of a rate,
    // and the rates are not shown.
    await waitFor(() => expect(chartOptions.get('Chosen API errors over time')).toBeDefined());
    await waitFor(() => expect(kpiValue('api_errors')).toBe('30'));
    expect(kpiValue('api_failure_rate')).toBe('–');
    expect(kpi('api_failure_rate')).toHaveTextContent('not under a status code or message filter');
    act(() => chartClicks.get('Chosen API errors over time')!({ dataIndex: 1 }));
    expect(window.location.pathname).toBe('/sessions');
    const search = new URLSearchParams(window.location.search);
    expect(Object.fromEntries(search)).toEqual({ from: '2026-01-27', to: '2026-01-27', status_code: '529', sort: 'api_errors', order: 'desc' });
  });
});
