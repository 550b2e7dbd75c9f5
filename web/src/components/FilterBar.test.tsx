import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { FACETS, summary } from '../test/fixtures';
import { mockApi } from '../test/mockApi';
import { renderWithQueries, setUrl } from '../test/render';
import { FilterBar } from './FilterBar';

function serve() {
  return mockApi({
    '/api/v1/facets': () => FACETS,
    '/api/v1/summary': () => summary({ events: 10 }, '2026-01-03T08:00:00Z', '2026-02-01T17:30:00Z'),
  });
}

const search = () => new URLSearchParams(window.location.search);

describe('FilterBar', () => {
  it('sets a preset range counted back from the last day with data', async () => {
    serve();
    setUrl('/models?practice=Data%20Engineering');
    renderWithQueries(<FilterBar />);
    const preset = screen.getByRole('combobox', { name: 'Date range preset' });
    await waitFor(() => expect(screen.getByRole('option', { name: 'Last 7 days' })).toBeEnabled());
    fireEvent.change(preset, { target: { value: '7d' } });
    expect(window.location.pathname).toBe('/models');
    expect(search().get('from')).toBe('2026-01-26');
    expect(search().get('to')).toBe('2026-02-01');
    expect(search().get('practice')).toBe('Data Engineering');
    expect(preset).toHaveValue('7d');

    fireEvent.change(preset, { target: { value: 'all' } });
    expect(search().get('from')).toBeNull();
    expect(search().get('to')).toBeNull();
  });

  it('shows a hand-set range as custom', async () => {
    serve();
    setUrl('/?from=2026-01-10&to=2026-01-12');
    renderWithQueries(<FilterBar />);
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Date range preset' })).toHaveValue('custom'));
    expect(screen.getByLabelText('From')).toHaveValue('2026-01-10');
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-01-20' } });
    expect(search().get('to')).toBe('2026-01-20');
  });

  it('adds and removes values from the facets, and resets the page offset', async () => {
    serve();
    setUrl('/sessions?offset=100&sort=cost_usd');
    renderWithQueries(<FilterBar />);
    const button = screen.getByRole('button', { name: /Practice/ });
    fireEvent.click(button);
    fireEvent.click(await screen.findByRole('checkbox', { name: 'ML Engineering' }));
    expect(search().get('practice')).toBe('ML Engineering');
    expect(search().get('offset')).toBeNull();
    expect(search().get('sort')).toBe('cost_usd');

    fireEvent.click(screen.getByRole('checkbox', { name: 'Data Engineering' }));
    expect(search().get('practice')).toBe('ML Engineering,Data Engineering');
    expect(button).toHaveTextContent('2 selected');

    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(search().get('practice')).toBeNull();
  });

  it('orders levels naturally and closes with Escape', async () => {
    serve();
    renderWithQueries(<FilterBar />);
    const button = screen.getByRole('button', { name: /Level/ });
    fireEvent.click(button);
    await screen.findByRole('checkbox', { name: 'L10' });
    const labels = screen.getAllByRole('checkbox').map((c) => c.closest('label')?.textContent);
    expect(labels).toEqual(['L1', 'L2', 'L10']);
    fireEvent.keyDown(screen.getByRole('checkbox', { name: 'L1' }), { key: 'Escape' });
    expect(screen.queryByRole('checkbox', { name: 'L1' })).toBeNull();
    expect(button).toHaveFocus();
  });

  it('clears every filter at once', async () => {
    serve();
    setUrl('/?from=2026-01-10&model=claude-opus-4-6&trend=tokens');
    renderWithQueries(<FilterBar />);
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(window.location.search).toBe('?trend=tokens');
  });

  it('offers the custom attributes the facets list, as attr.<key> parameters', async () => {
    mockApi({
      '/api/v1/facets': () => ({ ...FACETS, 'attr.team.id': ['infra', 'platform'], 'attr.cost_center': ['cc-42'] }),
      '/api/v1/summary': () => summary({ events: 10 }, '2026-01-03T08:00:00Z', '2026-02-01T17:30:00Z'),
    });
    setUrl('/sessions?offset=100');
    renderWithQueries(<FilterBar />);
    const team = await screen.findByRole('button', { name: /team\.id/ });
    fireEvent.click(team);
    fireEvent.click(await screen.findByRole('checkbox', { name: 'platform' }));
    expect(search().get('attr.team.id')).toBe('platform');
    expect(search().get('offset')).toBeNull();
    fireEvent.click(screen.getByRole('checkbox', { name: 'infra' }));
    expect(search().get('attr.team.id')).toBe('platform,infra');

    fireEvent.click(screen.getByRole('checkbox', { name: 'platform' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'infra' }));
    expect(search().has('attr.team.id')).toBe(false);
  });

  it('offers calendar presets and recent months by name, relative to the last day with data', async () => {
    serve();
    setUrl('/');
    renderWithQueries(<FilterBar />);
    const preset = screen.getByRole('combobox', { name: 'Date range preset' });
    await waitFor(() => expect(screen.getByRole('option', { name: 'Last month' })).toBeEnabled());
    fireEvent.change(preset, { target: { value: 'last-month' } });
    expect(search().get('from')).toBe('2026-01-01');
    expect(search().get('to')).toBe('2026-01-31');
    expect(preset).toHaveValue('last-month');
    // The data starts 2026-01-03: January is the only whole month before the last day's.
    expect(screen.getByRole('option', { name: 'January 2026' })).toBeInTheDocument();
    expect(screen.queryByRole('option', { name: 'December 2025' })).toBeNull();
    fireEvent.change(preset, { target: { value: 'this-quarter' } });
    expect(search().get('from')).toBe('2026-01-01');
    expect(search().get('to')).toBe('2026-02-01');
  });

  it('flags a start after the end at its field and sends no request for it', async () => {
    const api = serve();
    setUrl('/?from=2026-01-10&to=2026-01-12');
    renderWithQueries(<FilterBar />);
    await waitFor(() => expect(api.callsTo('/api/v1/facets').length).toBeGreaterThan(0));
    const calls = api.calls.length;
    const from = screen.getByLabelText('From');
    fireEvent.change(from, { target: { value: '2026-01-20' } });
    expect(from).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('alert')).toHaveTextContent('The start is after the end.');
    expect(from).toHaveAccessibleDescription(/The start is after the end/);
    expect(search().get('from')).toBe('2026-01-10');
    expect(api.calls.length).toBe(calls);

    // Fixing the end makes the range valid: both bounds go to the URL at once.
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-01-25' } });
    expect(from).not.toHaveAttribute('aria-invalid');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(search().get('from')).toBe('2026-01-20');
    expect(search().get('to')).toBe('2026-01-25');
  });

  it('asks the facets under the other filters and shows their counts when the server sends them', async () => {
    const api = mockApi({
      '/api/v1/facets': () => ({ ...FACETS, counts: { practice: { 'ML Engineering': 1234, 'Data Engineering': 56 } } }),
      '/api/v1/summary': () => summary({ events: 10 }, '2026-01-03T08:00:00Z', '2026-02-01T17:30:00Z'),
    });
    setUrl('/?model=claude-opus-4-6');
    renderWithQueries(<FilterBar />);
    // Closed lists need only the store's values: a filter change asks nothing more.
    await waitFor(() => expect(api.callsTo('/api/v1/facets')).toHaveLength(1));
    expect(api.callsTo('/api/v1/facets')[0].toString()).toBe('');
    fireEvent.click(screen.getByRole('button', { name: /Practice/ }));
    await waitFor(() => expect(api.callsTo('/api/v1/facets')[1]?.get('model')).toBe('claude-opus-4-6'));
    const option = await screen.findByRole('checkbox', { name: /ML Engineering/ });
    expect(option.closest('label')).toHaveTextContent('ML Engineering1.2K');
    expect(screen.getByLabelText('1,234 events')).toBeInTheDocument();

    // Without counts, none are shown.
    fireEvent.click(screen.getByRole('button', { name: /Level/ }));
    expect((await screen.findByRole('checkbox', { name: 'L1' })).closest('label')).toHaveTextContent(/^L1$/);
  });

  it('closes a filter popover when focus leaves it', async () => {
    serve();
    renderWithQueries(<FilterBar />);
    const practice = screen.getByRole('button', { name: /Practice/ });
    fireEvent.click(practice);
    const checkbox = await screen.findByRole('checkbox', { name: 'ML Engineering' });
    // Focus moving within the popover keeps it open.
    fireEvent.blur(checkbox, { relatedTarget: screen.getByRole('button', { name: 'Done' }) });
    expect(practice).toHaveAttribute('aria-expanded', 'true');
    fireEvent.blur(checkbox, { relatedTarget: screen.getByRole('button', { name: 'Clear filters' }) });
    expect(practice).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('checkbox', { name: 'ML Engineering' })).toBeNull();
  });

  it('flags a link whose start is after its end, and asks the API nothing under it', async () => {
    const api = serve();
    setUrl('/?from=2026-01-20&to=2026-01-10');
    renderWithQueries(<FilterBar />);
    expect(screen.getByRole('alert')).toHaveTextContent('The start is after the end.');
    expect(screen.getByLabelText('From')).toHaveAttribute('aria-invalid', 'true');
    // The data's extent and the store's values (no filters) are asked; nothing under the range.
    fireEvent.click(screen.getByRole('button', { name: /Practice/ }));
    await waitFor(() => expect(api.callsTo('/api/v1/summary').length).toBeGreaterThan(0));
    await waitFor(() => expect(api.callsTo('/api/v1/facets').length).toBeGreaterThan(0));
    expect([...api.callsTo('/api/v1/facets'), ...api.callsTo('/api/v1/summary')].every((p) => !p.has('from'))).toBe(true);
  });
});
