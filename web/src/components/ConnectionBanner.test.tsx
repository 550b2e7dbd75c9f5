import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ApiError } from '../api/client';
import { resetConnectivity } from '../api/connectivity';
import { useApi } from '../api/queries';
import { ConnectionBanner } from './ConnectionBanner';
import { Panel } from './Panel';

// The server: down until `up` is set, then answering every path; `status` answers the API with an
// error instead.
const server = { up: false, status: 200 };

function stubServer() {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      if (!server.up) throw new TypeError('Failed to fetch');
      const url = new URL(String(input), 'http://localhost');
      if (url.pathname === '/health') return new Response('{"status":"ok"}', { status: 200 });
      if (server.status !== 200) {
        return new Response(JSON.stringify({ error: { code: 'bad_request', message: 'bucket must be hour, day or week' } }), { status: server.status });
      }
      return new Response(JSON.stringify({ value: url.pathname }), { status: 200 });
    }),
  );
}

function Figure({ path }: { path: string }) {
  const query = useApi<{ value: string }>(path);
  return (
    <Panel title={path} query={query}>
      {(data) => <p>figure {data.value}</p>}
    </Panel>
  );
}

function renderApp() {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: (failures, error) => !(error instanceof ApiError) && failures < 1, staleTime: Infinity } },
  });
  return render(
    <QueryClientProvider client={client}>
      <ConnectionBanner />
      <Figure path="/api/v1/summary" />
      <Figure path="/api/v1/breakdown" />
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  server.up = false;
  server.status = 200;
  resetConnectivity();
  stubServer();
});

afterEach(() => {
  vi.useRealTimers();
  resetConnectivity();
});

describe('ConnectionBanner', () => {
  it('shows one banner while the server is unreachable, counts down, and the panels recover by themselves', async () => {
    renderApp();
    await act(() => vi.advanceTimersByTimeAsync(0));

    const banners = screen.getAllByRole('status').filter((e) => e.classList.contains('connection-banner'));
    expect(banners).toHaveLength(1);
    expect(banners[0]).toHaveTextContent('Cannot reach the server — retrying in 2 s');
    // No error box per panel, and no raw exception text anywhere.
    expect(screen.queryByText(/Could not load this/)).toBeNull();
    expect(screen.queryByText(/Failed to fetch/)).toBeNull();
    expect(screen.getAllByText('Waiting for the server…')).toHaveLength(2);

    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(banners[0]).toHaveTextContent('retrying in 1 s');

    // The probe fails: the next waits longer.
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(document.querySelector('.connection-banner')).toHaveTextContent('retrying in 4 s');

    server.up = true;
    await act(() => vi.advanceTimersByTimeAsync(4000));
    expect(screen.queryByText(/Cannot reach the server/)).toBeNull();
    // No click: the failed queries are fetched again (well before any retry of their own).
    await act(() => vi.advanceTimersByTimeAsync(100));
    expect(screen.getByText('figure /api/v1/summary')).toBeInTheDocument();
    expect(screen.getByText('figure /api/v1/breakdown')).toBeInTheDocument();
  });

  it('leaves an API error to its panel, with the server’s message', async () => {
    server.up = true;
    server.status = 400;
    renderApp();
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(screen.queryByText(/Cannot reach the server/)).toBeNull();
    expect(screen.getAllByText('bucket must be hour, day or week')).toHaveLength(2);
  });
});
