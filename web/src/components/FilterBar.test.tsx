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
});
