import { act, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { reportReachable, reportUnreachable } from './api/connectivity';
import { FACETS, summary } from './test/fixtures';
import { mockApi } from './test/mockApi';
import { renderWithQueries, setUrl } from './test/render';

// One page, whose code never arrives: what a deploy since the tab opened, or a dropped connection,
// does to a lazy page chunk.
const attempts = vi.hoisted(() => ({ count: 0, deployed: false }));
vi.mock('./routes', async () => {
  const { lazyComponent } = await import('./lazyComponent');
  const page = lazyComponent<{ params: Record<string, string> }>(() => {
    attempts.count += 1;
    if (attempts.deployed) return Promise.resolve({ default: () => <h1>Overview</h1> });
    return Promise.reject<never>(new TypeError('Failed to fetch dynamically imported module: /assets/OverviewPage-x.js'));
  }, [1, 1]);
  return { NAV_PAGES: [{ path: '/', title: 'Overview', page }], DETAIL_PAGES: [] };
});

const { App } = await import('./App');

describe('App', () => {
  it('says in words that a page could not be loaded, after trying again, and offers a reload', async () => {
    mockApi({
      '/api/v1/facets': () => FACETS,
      '/api/v1/summary': () => summary({ events: 10 }, '2026-01-03T08:00:00Z', '2026-02-01T17:30:00Z'),
    });
    setUrl('/');
    renderWithQueries(<App />);
    const alert = await screen.findByText(/This page could not be loaded/, undefined, { timeout: 5000 });
    expect(attempts.count).toBe(3);
    expect(alert.closest('[role="alert"]')).not.toBeNull();
    expect(screen.queryByText(/Failed to fetch dynamically imported module/)).toBeNull();
    expect(screen.getByRole('button', { name: 'Reload the page' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();

    // The server comes back: the page is asked for again without a click.
    attempts.deployed = true;
    act(() => {
      reportUnreachable();
      reportReachable();
    });
    expect(await screen.findByRole('heading', { name: 'Overview' }, { timeout: 15_000 })).toBeInTheDocument();
    expect(screen.queryByText(/This page could not be loaded/)).toBeNull();
    // Its own limit covers both waits above (5 s and 15 s; the retries alone take 2.5 s), not
    // Vitest's default 5 s for the whole test, which a loaded machine overran.
  }, 25_000);
});
