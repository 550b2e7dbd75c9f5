import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { CSRF_HEADER, setCsrfToken } from '../api/client';
import type { Anomaly, Budget, BudgetInput } from '../api/types';
import { chartTable } from '../charts/chartTable';
import type { ChartOption } from '../charts/echarts';
import { ScopeNotice } from '../session/ScopeNotice';
import { ChartStub, chartOptions } from '../test/chartStub';
import { FACETS, summary } from '../test/fixtures';
import { mockApi, type MockRequest } from '../test/mockApi';
import { renderWithQueries, setUrl } from '../test/render';
import InsightsPage from './InsightsPage';

vi.mock('../charts/Chart', () => ({ Chart: ChartStub, preloadCharts: () => undefined }));

const NBSP = '\u00a0';
const day = (d: number) => `2026-01-${String(d).padStart(2, '0')}T00:00:00Z`;

// Answers shaped as the Insights API (v1.3) describes them.
const forecast = (p: URLSearchParams) => ({
  metric: p.get('metric'),
  bucket: p.get('bucket'),
  horizon: Number(p.get('horizon')),
  method: 'seasonal_trend',
  season: 7,
  history: [
    { t: day(26), value: 10 },
    { t: day(27), value: 12.5 },
    { t: day(28), value: 11 },
  ],
  points: [
    { t: day(29), value: 13.1, lo80: 9, hi80: 17.2, lo95: 6.1, hi95: 20.3 },
    { t: day(30), value: 14, lo80: 9.5, hi80: 18.5, lo95: 6, hi95: 22 },
  ],
  backtest: { mase: 0.71, coverage80: 0.82, coverage95: 0.95, mae: 3.2, naive_mae: 4.5, origins: 21, forecasts: 294 },
  note: 'Three weeks of history: the season is fitted on two of them.',
});

const WEAK: Anomaly = { start: day(27), end: day(28), value: 2, expected: 10, lo: 6, hi: 14, score: 3.1, direction: 'down', contributors: [] };
const STRONG: Anomaly = {
  start: day(28),
  end: day(29),
  value: 80,
  expected: 10,
  lo: 5,
  hi: 15,
  score: 9.3,
  direction: 'up',
  contributors: [
    { by: 'practice', key: 'Data Engineering', value: 5, expected: 4, share: 0.02 },
    { by: 'practice', key: 'ML Engineering', value: 72, expected: 3, share: 0.98 },
  ],
};

const anomalies = (p: URLSearchParams) => ({
  metric: p.get('metric'),
  bucket: p.get('bucket'),
  by: p.get('by') ?? 'practice',
  series: [26, 27, 28, 29].map((d) => ({ t: day(d), value: d === 27 ? 2 : d === 28 ? 80 : 10, expected: 10, lo: 5, hi: 15 })),
  // Weakest first here: the page must not rely on the order.
  anomalies: [WEAK, STRONG],
});

const ML_MONTHLY: Budget = {
  id: 3,
  name: 'ML monthly',
  amount_usd: 500,
  period: 'month',
  filters: { practice: 'ML Engineering' },
  webhook: 'https://hooks.example.com/ml',
  period_start: '2026-01-01T00:00:00Z',
  period_end: '2026-02-01T00:00:00Z',
  spend_usd: 420,
  forecast_usd: 560,
  state: 'alarm',
  thresholds: [
    { percent: 80, basis: 'actual', state: 'alarm', fired_at: '2026-01-20T14:05:00Z' },
    { percent: 100, basis: 'forecast', state: 'alarm', fired_at: '2026-01-22T09:00:00Z' },
  ],
};

const DAILY: Budget = {
  id: 4,
  name: 'Everyone daily',
  amount_usd: 100,
  period: 'day',
  filters: {},
  webhook: null,
  period_start: '2026-01-31T00:00:00Z',
  period_end: '2026-02-01T00:00:00Z',
  spend_usd: 12.5,
  forecast_usd: 40,
  state: 'ok',
  thresholds: [{ percent: 90, basis: 'actual', state: 'ok', fired_at: null }],
};

const ALERTS = {
  total: 1,
  alerts: [
    {
      id: 11,
      budget_id: 3,
      budget: 'ML monthly',
      percent: 80,
      basis: 'actual',
      period_start: '2026-01-01T00:00:00Z',
      period_end: '2026-02-01T00:00:00Z',
      spend_usd: 401,
      forecast_usd: 540,
      amount_usd: 500,
      at: '2026-01-20T14:05:00Z',
      webhook: 'https://hooks.example.com/ml',
      status: 'pending',
      attempts: 3,
      last_attempt_at: '2026-01-20T14:20:00Z',
      last_error: 'connection refused',
      delivered_at: null,
    },
  ],
};

const error = (status: number, code: string, message: string) => [status, { error: { code, message } }];

// The API with budgets kept between requests. `onWrite` answers a POST or PUT before the store
// takes it (a refusal, say); undefined lets it through.
function serve({ onWrite, forbidden = false }: { onWrite?: (request: MockRequest) => unknown; forbidden?: boolean } = {}) {
  let budgets = [ML_MONTHLY, DAILY];
  const stored = (input: BudgetInput, id: number): Budget => ({
    ...DAILY,
    ...input,
    id,
    webhook: input.webhook ?? null,
    thresholds: input.thresholds.map((t) => ({ ...t, state: 'ok', fired_at: null })),
  });
  const refused = () => error(403, 'forbidden', 'a token scoped to some practices cannot see budgets');
  const api = mockApi({
    '/api/v1/forecast': forecast,
    '/api/v1/anomalies': anomalies,
    '/api/v1/facets': () => FACETS,
    '/api/v1/summary': () => summary({ events: 100, cost_usd: 52 }),
    '/api/v1/alerts': () => (forbidden ? refused() : ALERTS),
    '/api/v1/report': () => '# Report',
    '/api/v1/budgets': (_, request) => {
      if (forbidden) return refused();
      if (request.method === 'GET') return { budgets };
      const answer = onWrite?.(request);
      if (answer !== undefined) return answer;
      const budget = stored(request.body as BudgetInput, 9);
      budgets = [...budgets, budget];
      return [201, budget];
    },
    '/api/v1/budgets/3': (_, request) => {
      if (request.method === 'DELETE') {
        budgets = budgets.filter((b) => b.id !== 3);
        return [204];
      }
      const answer = onWrite?.(request);
      if (answer !== undefined) return answer;
      const budget = stored(request.body as BudgetInput, 3);
      budgets = budgets.map((b) => (b.id === 3 ? budget : b));
      return budget;
    },
  });
  return { ...api, writes: () => api.requests.filter((r) => r.method !== 'GET') };
}

const panel = (name: string) => screen.getByRole('region', { name });
const ready = (name: string) => waitFor(() => expect(panel(name)).toHaveAttribute('data-status', 'ready'));
type Series = { id?: string; name: string; data: unknown[]; markPoint?: { data: { coord: number[] }[] } };
const seriesOf = (option: ChartOption) => option.series as Series[];

describe('Insights', () => {
  beforeEach(() => chartOptions.clear());
  afterEach(() => setCsrfToken(null));

  it('draws the forecast after the history with its 80 % and 95 % intervals, and words the backtest', async () => {
    const api = serve();
    setUrl('/insights?practice=ML%20Engineering');
    renderWithQueries(<InsightsPage />);
    await ready('Forecast');
    const asked = api.callsTo('/api/v1/forecast')[0];
    expect([asked.get('metric'), asked.get('bucket'), asked.get('horizon'), asked.get('practice')]).toEqual(['cost_usd', 'day', '14', 'ML Engineering']);

    // The bands are drawn as stacked widths; the chart's table gives their bounds.
    const table = chartTable(chartOptions.get('Cost forecast')!)!;
    expect(table.columns).toEqual(['Actual', 'Forecast', '95 % interval low', '95 % interval high', '80 % interval low', '80 % interval high']);
    const rows = table.rows.map((r) => [r.label, ...r.cells.map((c) => c.text)]);
    expect(rows).toEqual([
      ['Jan 26', '$10.00', '–', '–', '–', '–', '–'],
      ['Jan 27', '$12.50', '–', '–', '–', '–', '–'],
      ['Jan 28', '$11.00', '–', '–', '–', '–', '–'],
      ['Jan 29', '–', '$13.10', '$6.10', '$20.30', '$9.00', '$17.20'],
      ['Jan 30', '–', '$14.00', '$6.00', '$22.00', '$9.50', '$18.50'],
    ]);
    const bands = seriesOf(chartOptions.get('Cost forecast')!).filter((s) => s.id);
    expect(bands.map((s) => [s.id, s.data.slice(3)])).toEqual([
      ['band-low:95 % interval', [6.1, 6]],
      ['band-width:95 % interval', [20.3 - 6.1, 22 - 6]],
      ['band-low:80 % interval', [9, 9.5]],
      ['band-width:80 % interval', [17.2 - 9, 18.5 - 9.5]],
    ]);

    const forecastPanel = panel('Forecast');
    // Exact text, non-breaking spaces included (Testing Library's matchers fold them into spaces).
    const kpi = (id: string) => [...forecastPanel.querySelectorAll(`[data-kpi="${id}"] > div`)].map((d) => d.textContent);
    expect(kpi('forecast_accuracy')).toEqual(['Backtest error', 'MASE 0.71', `29${NBSP}% better than repeating last week`]);
    expect(kpi('forecast_coverage80')).toEqual(['80 % interval coverage', `82${NBSP}%`, 'of actual values fell inside']);
    expect(kpi('forecast_coverage95')).toEqual(['95 % interval coverage', `95${NBSP}%`, 'of actual values fell inside']);
    expect(forecastPanel).toHaveTextContent('Trend with a season of 7 days');
    expect(forecastPanel).toHaveTextContent('Three weeks of history: the season is fitted on two of them.');

    // Another metric, bucket and horizon are asked for and kept in the URL.
    fireEvent.change(within(forecastPanel).getByLabelText('Metric'), { target: { value: 'output_tokens' } });
    act(() => within(forecastPanel).getByRole('button', { name: 'Per hour' }).click());
    fireEvent.change(within(forecastPanel).getByLabelText('Horizon'), { target: { value: '168' } });
    await waitFor(() =>
      expect(api.callsTo('/api/v1/forecast').some((p) => p.get('metric') === 'output_tokens' && p.get('bucket') === 'hour' && p.get('horizon') === '168')).toBe(
        true,
      ),
    );
    const search = new URLSearchParams(window.location.search);
    expect([search.get('forecast_metric'), search.get('forecast_bucket'), search.get('horizon')]).toEqual(['output_tokens', 'hour', '168']);
  });

  it('says when the history is too short to backtest', async () => {
    mockApi({
      '/api/v1/forecast': (p) => ({ ...forecast(p), method: 'level', season: 0, backtest: null }),
      '/api/v1/anomalies': anomalies,
      '/api/v1/budgets': () => ({ budgets: [] }),
      '/api/v1/alerts': () => ({ alerts: [], total: 0 }),
      '/api/v1/summary': () => summary({ events: 1 }),
    });
    setUrl('/insights');
    renderWithQueries(<InsightsPage />);
    await ready('Forecast');
    expect(panel('Forecast')).toHaveTextContent('the history is too short to backtest');
    expect(panel('Forecast')).toHaveTextContent('Level only (the history is very short)');
    expect(panel('Forecast')).not.toHaveTextContent('MASE');
  });

  it('lists anomalies strongest first, and filters to a contributor over the anomaly’s day', async () => {
    const api = serve();
    setUrl('/insights?model=claude-opus-4-6&from=2026-01-01&to=2026-01-31');
    renderWithQueries(<InsightsPage />);
    await ready('Anomalies');
    const list = within(panel('Anomalies')).getByRole('list', { name: 'Anomalies, strongest first' });
    const items = within(list).getAllByRole('button', { expanded: false });
    expect(items.map((b) => b.textContent)).toEqual([
      '2026-01-28▲ above expected$80.00 against $10.00 expected ($5.00 – $15.00)score 9.3',
      '2026-01-27▼ below expected$2.00 against $10.00 expected ($6.00 – $14.00)score 3.1',
    ]);
    // The markers follow the anomalies: the strongest on Jan 28 (index 2), the other on Jan 27.
    const marked = seriesOf(chartOptions.get('Cost against the expected range')!)[0].markPoint!.data.map((m) => m.coord);
    expect(marked).toEqual([
      [2, 80],
      [1, 2],
    ]);

    // Enter opens the strongest one: what moved, the largest share first.
    items[0].focus();
    await userEvent.setup().keyboard('{Enter}');
    expect(items[0]).toHaveAttribute('aria-expanded', 'true');
    const contributors = within(list).getByRole('table');
    const rows = within(contributors)
      .getAllByRole('row')
      .slice(1)
      .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['ML Engineering Filter to this', '$72.00', '$3.00', `98.0${NBSP}%`],
      ['Data Engineering Filter to this', '$5.00', '$4.00', `2.0${NBSP}%`],
    ]);

    act(() => within(contributors).getByRole('button', { name: 'Filter to ML Engineering over 2026-01-28' }).click());
    const search = new URLSearchParams(window.location.search);
    expect(search.get('practice')).toBe('ML Engineering');
    expect([search.get('from'), search.get('to')]).toEqual(['2026-01-28', '2026-01-28']);
    // The other filters stay.
    expect(search.get('model')).toBe('claude-opus-4-6');
    await waitFor(() => expect(api.callsTo('/api/v1/anomalies').some((p) => p.get('practice') === 'ML Engineering' && p.get('from') === '2026-01-28')).toBe(true));
  });

  it('asks for the dimension chosen to explain the anomalies', async () => {
    const api = serve();
    setUrl('/insights');
    renderWithQueries(<InsightsPage />);
    await ready('Anomalies');
    expect(api.callsTo('/api/v1/anomalies')[0].has('by')).toBe(false);
    fireEvent.change(within(panel('Anomalies')).getByLabelText('Explain by'), { target: { value: 'model' } });
    await waitFor(() => expect(api.callsTo('/api/v1/anomalies').some((p) => p.get('by') === 'model')).toBe(true));
    expect(new URLSearchParams(window.location.search).get('explain_by')).toBe('model');
  });

  it('shows each budget’s spend, forecast, state and thresholds, and the alerts’ deliveries', async () => {
    serve();
    setUrl('/insights');
    renderWithQueries(<InsightsPage />);
    await ready('Budgets');
    const rows = within(panel('Budgets'))
      .getAllByRole('row')
      .slice(1)
      .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      [
        'ML monthlyEditDelete',
        'practice: ML Engineering',
        'Month: 2026-01-01 to 2026-01-31',
        `$420.00 of $500.00 (84${NBSP}%)`,
        `$560.00 (112${NBSP}%)`,
        'Alarm',
        '80 % of the amount by the spend: fired 2026-01-20 14:05 UTC100 % of the amount by the forecast: fired 2026-01-22 09:00 UTC',
      ],
      [
        'Everyone dailyEditDelete',
        'all spend',
        'Day: 2026-01-31',
        `$12.50 of $100.00 (13${NBSP}%)`,
        `$40.00 (40${NBSP}%)`,
        'OK',
        '90 % of the amount by the spend: not reached',
      ],
    ]);
    expect(within(panel('Budgets')).getByText('Alarm')).toHaveAttribute('data-state', 'alarm');

    await ready('Alerts');
    const alert = within(panel('Alerts')).getAllByRole('row')[1];
    expect([...alert.querySelectorAll('td')].map((td) => td.textContent)).toEqual([
      'ML monthly',
      '80 % of the amount by the spend',
      '2026-01-20 14:05 UTC',
      '$401.00 of $500.00',
      'Pending',
      '3',
      'connection refused',
    ]);
  });

  it('checks a new budget before sending it, and shows why the server refused it', async () => {
    const api = serve({ onWrite: (r) => ((r.body as BudgetInput).name === 'ML monthly' ? [400, { error: 'a budget named "ML monthly" exists' }] : undefined) });
    setCsrfToken('csrf-9');
    setUrl('/insights');
    renderWithQueries(<InsightsPage />);
    await ready('Budgets');
    act(() => screen.getByRole('button', { name: 'New budget' }).click());
    const form = screen.getByRole('form', { name: 'New budget' });
    const f = within(form);

    // Nothing named, no amount, a webhook that is not a web address, a threshold left empty.
    fireEvent.change(f.getByLabelText('Webhook (optional)'), { target: { value: 'hooks.example.com' } });
    act(() => f.getByRole('button', { name: 'Add a threshold' }).click());
    act(() => f.getByRole('button', { name: 'Create budget' }).click());
    expect(f.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');
    expect(f.getByLabelText('Name')).toHaveAccessibleDescription('Give the budget a name.');
    expect(f.getByLabelText('Amount (USD)')).toHaveAccessibleDescription('An amount in dollars, above 0.');
    expect(f.getByLabelText('Webhook (optional)')).toHaveAccessibleDescription('An http:// or https:// address, or nothing.');
    const third = f.getByRole('group', { name: 'Threshold 3' });
    expect(within(third).getByLabelText('Percent of the amount')).toHaveAccessibleDescription('A percentage of the amount, above 0.');
    expect(api.writes()).toHaveLength(0);

    // Fixed: the server is asked, with the session's CSRF token, and its refusal is shown as it says it.
    fireEvent.change(f.getByLabelText('Name'), { target: { value: 'ML monthly' } });
    fireEvent.change(f.getByLabelText('Amount (USD)'), { target: { value: '250' } });
    fireEvent.change(f.getByLabelText('Webhook (optional)'), { target: { value: 'https://hooks.example.com/ml' } });
    act(() => within(third).getByRole('button', { name: 'Remove' }).click());
    fireEvent.change(within(f.getByRole('group', { name: 'Threshold 2' })).getByLabelText('Reached by'), { target: { value: 'actual' } });
    act(() => f.getByRole('button', { name: /Practice/ }).click());
    const practice = await f.findByRole('checkbox', { name: 'ML Engineering' });
    act(() => practice.click());
    act(() => f.getByRole('button', { name: 'Create budget' }).click());
    expect(await f.findByRole('alert')).toHaveTextContent('The server did not take the budget. a budget named "ML monthly" exists');
    const [post] = api.writes();
    expect(post.method).toBe('POST');
    expect(post.headers.get(CSRF_HEADER)).toBe('csrf-9');
    expect(post.body).toEqual({
      name: 'ML monthly',
      amount_usd: 250,
      period: 'month',
      filters: { practice: 'ML Engineering' },
      thresholds: [
        { percent: 80, basis: 'actual' },
        { percent: 100, basis: 'actual' },
      ],
      webhook: 'https://hooks.example.com/ml',
    });

    // Renamed, it is taken: the form closes and the list shows it.
    fireEvent.change(f.getByLabelText('Name'), { target: { value: 'ML, second try' } });
    act(() => f.getByRole('button', { name: 'Create budget' }).click());
    await waitFor(() => expect(screen.queryByRole('form', { name: 'New budget' })).toBeNull());
    expect(await within(panel('Budgets')).findByText('ML, second try')).toBeInTheDocument();
  });

  it('edits a budget from its own figures and sends the whole budget again', async () => {
    const api = serve();
    setUrl('/insights');
    renderWithQueries(<InsightsPage />);
    await ready('Budgets');
    act(() => screen.getByRole('button', { name: 'Edit ML monthly' }).click());
    const f = within(screen.getByRole('form', { name: 'Edit budget ML monthly' }));
    expect(f.getByLabelText('Name')).toHaveValue('ML monthly');
    expect(f.getByLabelText('Webhook (optional)')).toHaveValue('https://hooks.example.com/ml');
    expect(f.getByRole('button', { name: /Practice/ })).toHaveTextContent('ML Engineering');
    fireEvent.change(f.getByLabelText('Amount (USD)'), { target: { value: '600' } });
    act(() => f.getByRole('button', { name: 'Save changes' }).click());
    await waitFor(() => expect(screen.queryByRole('form')).toBeNull());
    const [put] = api.writes();
    expect([put.method, put.url.pathname]).toEqual(['PUT', '/api/v1/budgets/3']);
    expect(put.body).toMatchObject({ name: 'ML monthly', amount_usd: 600, filters: { practice: 'ML Engineering' } });
    await waitFor(() => expect(within(panel('Budgets')).getAllByRole('row')[1]).toHaveTextContent('$600.00'));
  });

  it('deletes a budget only once asked again', async () => {
    const api = serve();
    setUrl('/insights');
    renderWithQueries(<InsightsPage />);
    await ready('Budgets');
    act(() => screen.getByRole('button', { name: 'Delete ML monthly' }).click());
    const confirm = screen.getByRole('group', { name: 'Delete ML monthly?' });
    expect(within(confirm).getByRole('button', { name: 'Keep' })).toHaveFocus();
    act(() => within(confirm).getByRole('button', { name: 'Keep' }).click());
    expect(screen.queryByRole('group', { name: 'Delete ML monthly?' })).toBeNull();
    expect(api.writes()).toHaveLength(0);

    act(() => screen.getByRole('button', { name: 'Delete ML monthly' }).click());
    act(() => within(screen.getByRole('group', { name: 'Delete ML monthly?' })).getByRole('button', { name: 'Delete' }).click());
    await waitFor(() => expect(within(panel('Budgets')).queryByText('ML monthly')).toBeNull());
    expect(api.writes().map((r) => [r.method, r.url.pathname])).toEqual([['DELETE', '/api/v1/budgets/3']]);
    expect(within(panel('Budgets')).getByText('Everyone daily')).toBeInTheDocument();
  });

  it('tells a token scoped to some practices, calmly, that budgets need one that sees them all', async () => {
    serve({ forbidden: true });
    setUrl('/insights');
    renderWithQueries(
      <>
        <ScopeNotice />
        <InsightsPage />
      </>,
    );
    await waitFor(() => expect(panel('Budgets')).toHaveAttribute('data-status', 'forbidden'));
    await waitFor(() => expect(panel('Alerts')).toHaveAttribute('data-status', 'forbidden'));
    for (const name of ['Budgets', 'Alerts']) {
      expect(panel(name)).toHaveTextContent('they need a token that sees every practice');
      expect(within(panel(name)).queryByRole('alert')).toBeNull();
    }
    expect(screen.queryByRole('button', { name: 'New budget' })).toBeNull();
    // No page-wide scope notice: clearing the filters would not change this.
    expect(document.querySelector('[data-scope-notice]')).toBeNull();
    await ready('Forecast');
  });

  it('offers the period’s report as Markdown, JSON and a printable page, under the filters', async () => {
    const api = serve();
    setUrl('/insights?practice=ML%20Engineering&to=2026-01-31');
    renderWithQueries(<InsightsPage />);
    await ready('Report');
    // An open start takes the data's first day.
    const html = within(panel('Report')).getByRole('link', { name: 'Open HTML' });
    expect(html).toHaveAttribute('target', '_blank');
    expect(html).toHaveAttribute('href', '/api/v1/report?format=html&from=2026-01-03&practice=ML+Engineering&to=2026-01-31');

    const saved: { name?: string; file?: Blob } = {};
    URL.createObjectURL = vi.fn((file: Blob) => {
      saved.file = file;
      return 'blob:report';
    });
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.name = this.download;
    });
    act(() => within(panel('Report')).getByRole('button', { name: 'Download Markdown' }).click());
    await waitFor(() => expect(saved.name).toBe('ccanalytics-report-2026-01-03_2026-01-31.md'));
    expect(saved.file?.type).toBe('text/markdown;charset=utf-8');
    expect(api.callsTo('/api/v1/report')[0].toString()).toBe('format=md&from=2026-01-03&practice=ML+Engineering&to=2026-01-31');
  });
});
