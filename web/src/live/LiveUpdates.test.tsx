import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { LiveUpdates } from './LiveUpdates';
import { REFRESH_DEBOUNCE_MS } from './liveUpdates';

type Listener = (event: Event) => void;

class FakeEventSource {
  static latest: FakeEventSource;
  readyState = 0;
  onopen: ((event: Event) => unknown) | null = null;
  onerror: ((event: Event) => unknown) | null = null;
  listeners: Listener[] = [];
  constructor(readonly url: string) {
    FakeEventSource.latest = this;
  }
  addEventListener(_type: string, listener: Listener) {
    this.listeners.push(listener);
  }
  close() {
    this.readyState = 2;
  }
}

// A query shown on screen and one only a deferred panel holds (disabled until scrolled to).
function Panels({ fetchShown, fetchDeferred }: { fetchShown: () => Promise<number>; fetchDeferred: () => Promise<number> }) {
  const shown = useQuery({ queryKey: ['shown'], queryFn: fetchShown });
  useQuery({ queryKey: ['deferred'], queryFn: fetchDeferred, enabled: false });
  return <p>figure {shown.data ?? '…'}</p>;
}

describe('LiveUpdates', () => {
  beforeEach(() => {
    vi.stubGlobal('EventSource', FakeEventSource);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the connection state and refetches the queries on screen after an update', async () => {
    let figure = 1;
    const fetchShown = vi.fn(async () => figure);
    const fetchDeferred = vi.fn(async () => 0);
    const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
    render(
      <QueryClientProvider client={client}>
        <LiveUpdates />
        <Panels fetchShown={fetchShown} fetchDeferred={fetchDeferred} />
      </QueryClientProvider>,
    );
    expect(await screen.findByText('figure 1')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Connecting');
    act(() => {
      FakeEventSource.latest.readyState = 1;
      FakeEventSource.latest.onopen?.(new Event('open'));
    });
    expect(screen.getByRole('status')).toHaveTextContent('Live');

    vi.useFakeTimers();
    figure = 2;
    act(() => {
      for (const listener of FakeEventSource.latest.listeners) listener(new MessageEvent('update', { data: '{}' }));
      vi.advanceTimersByTime(REFRESH_DEBOUNCE_MS);
    });
    vi.useRealTimers();
    expect(await screen.findByText('figure 2')).toBeInTheDocument();
    expect(fetchShown).toHaveBeenCalledTimes(2);
    expect(fetchDeferred).not.toHaveBeenCalled();

    act(() => {
      FakeEventSource.latest.readyState = 0;
      FakeEventSource.latest.onerror?.(new Event('error'));
    });
    expect(screen.getByRole('status')).toHaveTextContent('Reconnecting');
  });
});
