import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { Panel } from './Panel';
import type { QueryState } from './queryState';

function state<T>(overrides: Partial<QueryState<T>>): QueryState<T> {
  return { data: undefined, error: null, isPending: false, isFetching: false, refetch: vi.fn(), ...overrides };
}

const renderPanel = (query: QueryState<number[]>) =>
  render(
    <Panel title="Costs" query={query} isEmpty={(d) => d.length === 0} emptyText="Nothing here.">
      {(d) => <p>{d.length} rows</p>}
    </Panel>,
  );

describe('Panel', () => {
  it('shows a loading state until data arrives', () => {
    renderPanel(state({ isPending: true, isFetching: true }));
    const panel = screen.getByRole('region', { name: 'Costs' });
    expect(panel).toHaveAttribute('data-status', 'loading');
    expect(panel).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByRole('status')).toHaveTextContent('Loading');
  });

  it('waits without a busy state for figures not asked for yet', () => {
    renderPanel(state({ isPending: true, isFetching: false }));
    const panel = screen.getByRole('region', { name: 'Costs' });
    expect(panel).toHaveAttribute('data-status', 'deferred');
    expect(panel).toHaveAttribute('aria-busy', 'false');
    expect(panel).toHaveTextContent('Loads when scrolled into view.');
  });

  it('shows the error with a retry button', () => {
    const refetch = vi.fn();
    renderPanel(state({ error: new Error('unknown parameter "x"'), refetch }));
    expect(screen.getByRole('alert')).toHaveTextContent('unknown parameter "x"');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(refetch).toHaveBeenCalledOnce();
    expect(screen.getByRole('region', { name: 'Costs' })).toHaveAttribute('data-status', 'error');
  });

  it('says when there is nothing to show', () => {
    renderPanel(state({ data: [] }));
    expect(screen.getByText('Nothing here.')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Costs' })).toHaveAttribute('data-status', 'empty');
  });

  it('renders its content from the data, busy while a refetch runs', () => {
    renderPanel(state({ data: [1, 2, 3], isFetching: true }));
    expect(screen.getByText('3 rows')).toBeInTheDocument();
    const panel = screen.getByRole('region', { name: 'Costs' });
    expect(panel).toHaveAttribute('data-status', 'ready');
    expect(panel).toHaveAttribute('aria-busy', 'true');
  });
});
