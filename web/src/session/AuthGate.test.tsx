import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';

import { CSRF_HEADER } from '../api/client';
import { OPEN_SESSION } from '../api/session';
import { useApi } from '../api/queries';
import { Panel } from '../components/Panel';
import { authServer, type TokenSpec } from '../test/authServer';
import { mockApi } from '../test/mockApi';
import { setUrl } from '../test/render';
import { AuthGate } from './AuthGate';
import { ScopeNotice } from './ScopeNotice';
import { SessionBadge } from './SessionBadge';
import { SessionProvider } from './SessionContext';
import { createSessionStore, type SessionStore } from './sessionStore';

const ADMIN = `cca_${'a'.repeat(64)}`;
const VIEWER = `cca_${'b'.repeat(64)}`;
const TOKENS: Record<string, TokenSpec> = {
  [ADMIN]: { name: 'ops-admin', role: 'admin' },
  [VIEWER]: { name: 'data-viewer', role: 'viewer', practices: ['Data Engineering', 'ML Engineering'] },
};

function SummaryPanel({ path }: { path: string }) {
  const query = useApi<{ events: number }>(path, { practice: new URLSearchParams(window.location.search).get('practice') });
  return <Panel title={path} query={query}>{(data) => <p>{`${path}: ${data.events} events`}</p>}</Panel>;
}

// The app's frame as far as signing in is concerned: the header's badge, the scope notice and
// three panels with requests of their own.
function Dashboard() {
  return (
    <div>
      <header>
        <SessionBadge />
      </header>
      <main>
        <ScopeNotice />
        <SummaryPanel path="/api/v1/summary" />
        <SummaryPanel path="/api/v1/breakdown" />
        <SummaryPanel path="/api/v1/heatmap" />
      </main>
    </div>
  );
}

let store: SessionStore | null = null;
afterEach(() => store?.dispose());

function serve(tokens: Record<string, TokenSpec>, options?: { failuresBeforeLimit?: number }) {
  const server = authServer(tokens, options);
  const data = (_: URLSearchParams, request: { url: URL }) => {
    const practice = request.url.searchParams.get('practice');
    const allowed = server.signedIn?.practices;
    if (practice && allowed?.length && !allowed.includes(practice)) {
      return [403, { error: { code: 'forbidden', message: `practice "${practice}" is outside this token's scope` } }];
    }
    return { events: 42 };
  };
  const api = mockApi({
    '/api/v1/session': server.session,
    '/api/v1/summary': server.guard(data),
    '/api/v1/breakdown': server.guard(data),
    '/api/v1/heatmap': server.guard(data),
  });
  return { server, api };
}

function start(url: string) {
  setUrl(url);
  store = createSessionStore();
  void store.load();
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  render(
    <QueryClientProvider client={queryClient}>
      <SessionProvider store={store}>
        <AuthGate>
          <Dashboard />
        </AuthGate>
      </SessionProvider>
    </QueryClientProvider>,
  );
  return queryClient;
}

const here = () => window.location.pathname + window.location.search;

async function signIn(token: string) {
  const user = userEvent.setup({ delay: null });
  await user.clear(await screen.findByLabelText('Access token'));
  await user.type(screen.getByLabelText('Access token'), token);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('open mode', () => {
  it('shows the dashboard as before: no sign-in page, no badge', async () => {
    const { api } = serve({});
    start('/teams?practice=Data%20Engineering');
    expect(await screen.findByText('/api/v1/summary: 42 events')).toBeInTheDocument();
    expect(screen.queryByRole('group', { name: 'Signed in' })).toBeNull();
    expect(screen.queryByLabelText('Access token')).toBeNull();
    expect(here()).toBe('/teams?practice=Data%20Engineering');
    expect(api.requests.every((r) => r.method === 'GET')).toBe(true);
  });
});

describe('asking who is signed in', () => {
  it('says when the server cannot tell, and asks again on Retry', async () => {
    let fail = true;
    mockApi({
      '/api/v1/session': () => (fail ? [503, { error: { code: 'unavailable', message: 'starting up' } }] : OPEN_SESSION),
      '/api/v1/summary': () => ({ events: 42 }),
      '/api/v1/breakdown': () => ({ events: 42 }),
      '/api/v1/heatmap': () => ({ events: 42 }),
    });
    start('/');
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not ask the server who is signed in. starting up');
    fail = false;
    await userEvent.setup().click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('/api/v1/summary: 42 events')).toBeInTheDocument();
  });
});

describe('signing in', () => {
  it('shows the sign-in page first, keeping the address wanted, and goes there once signed in', async () => {
    const { api } = serve(TOKENS);
    start('/teams?practice=Data%20Engineering');
    const field = await screen.findByLabelText('Access token');
    expect(here()).toBe(`/signin?next=${encodeURIComponent('/teams?practice=Data%20Engineering')}`);
    expect(field).toHaveAttribute('type', 'password');
    expect(field).toHaveAttribute('autocomplete', 'off');
    expect(screen.getByRole('form', { name: 'Sign in' })).toBeInTheDocument();
    // No data is asked for before signing in.
    expect(api.calls.map((u) => u.pathname)).toEqual(['/api/v1/session']);

    await signIn(ADMIN);
    expect(await screen.findByText('/api/v1/summary: 42 events')).toBeInTheDocument();
    expect(here()).toBe('/teams?practice=Data%20Engineering');
    const post = api.requests.find((r) => r.method === 'POST');
    expect(post?.body).toEqual({ token: ADMIN });
  });

  it('says a wrong token is not valid, in an alert tied to the field, and keeps the page', async () => {
    serve(TOKENS);
    start('/');
    await signIn('cca_0000');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This token is not valid.');
    const field = screen.getByLabelText('Access token');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field.getAttribute('aria-describedby')).toContain(alert.id);
    expect(field).toHaveFocus();
    expect(here()).toBe('/signin');
  });

  it('says so after too many attempts', async () => {
    serve(TOKENS, { failuresBeforeLimit: 2 });
    start('/');
    await signIn('cca_1');
    await screen.findByText(/not valid/);
    await signIn('cca_2');
    await signIn(ADMIN);
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many failed sign-ins from this address.');
    expect(screen.queryByText('/api/v1/summary: 42 events')).toBeNull();
  });

  it('asks for a token before sending an empty one', async () => {
    const { api } = serve(TOKENS);
    start('/');
    await screen.findByLabelText('Access token');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Enter an access token.');
    expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('works by keyboard alone: the field has focus, Enter signs in', async () => {
    serve(TOKENS);
    start('/');
    const field = await screen.findByLabelText('Access token');
    expect(field).toHaveFocus();
    const user = userEvent.setup({ delay: null });
    await user.keyboard(`${ADMIN}{Enter}`);
    expect(await screen.findByText('/api/v1/summary: 42 events')).toBeInTheDocument();
    expect(here()).toBe('/');
  });

  it('leaves the sign-in address when there is nothing to sign in to', async () => {
    serve({});
    start('/signin?next=%2Fmodels');
    await screen.findByText('/api/v1/summary: 42 events');
    expect(here()).toBe('/models');
  });
});

describe('signed in', () => {
  it('shows who, the role and the scope; signing out sends the CSRF token and drops every cached answer', async () => {
    const { server, api } = serve(TOKENS);
    const queryClient = start('/models');
    await signIn(VIEWER);
    await screen.findByText('/api/v1/summary: 42 events');
    const badge = screen.getByRole('group', { name: 'Signed in' });
    expect(badge).toHaveTextContent('data-viewer');
    expect(badge).toHaveTextContent('viewer');
    expect(badge).toHaveTextContent('Data Engineering, ML Engineering');
    expect(queryClient.getQueryCache().getAll().length).toBeGreaterThan(0);

    await userEvent.setup().click(within(badge).getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByLabelText('Access token')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('You have signed out.');
    expect(here()).toBe('/signin');
    const del = api.requests.find((r) => r.method === 'DELETE');
    expect(del?.headers.get(CSRF_HEADER)).toBe(server.csrfToken);
    expect(server.signedIn).toBeNull();
    expect(queryClient.getQueryCache().getAll()).toHaveLength(0);
  });

  it('says "all practices" for an unscoped token', async () => {
    serve(TOKENS);
    start('/');
    await signIn(ADMIN);
    const badge = await screen.findByRole('group', { name: 'Signed in' });
    expect(badge).toHaveTextContent('ops-admin');
    expect(badge).toHaveTextContent('admin');
    expect(badge).toHaveTextContent('all practices');
  });

  it('goes to the sign-in page once when the session ends, not one error per panel', async () => {
    const { server } = serve(TOKENS);
    const queryClient = start('/');
    await signIn(ADMIN);
    await screen.findByText('/api/v1/heatmap: 42 events');
    server.endSession();
    // The next refresh: every panel's request answers 401.
    await act(() => queryClient.invalidateQueries());
    expect(await screen.findByLabelText('Access token')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Your session has ended');
    expect(screen.queryByText(/Could not load this/)).toBeNull();
    expect(screen.queryAllByRole('alert')).toHaveLength(0);
    expect(here()).toBe('/signin');
    await waitFor(() => expect(queryClient.getQueryCache().getAll()).toHaveLength(0));

    // Signing in again returns to where the session ended.
    setUrl('/signin?next=%2Freliability');
    await signIn(ADMIN);
    await screen.findByText('/api/v1/heatmap: 42 events');
    expect(here()).toBe('/reliability');
  });

  it('keeps the address where the session ended', async () => {
    const { server } = serve(TOKENS);
    const queryClient = start('/');
    await signIn(ADMIN);
    await screen.findByText('/api/v1/summary: 42 events');
    act(() => window.history.pushState(null, '', '/tools?model=claude-opus-4-6'));
    server.endSession();
    await act(() => queryClient.invalidateQueries());
    await screen.findByLabelText('Access token');
    expect(here()).toBe(`/signin?next=${encodeURIComponent('/tools?model=claude-opus-4-6')}`);
  });

  it("says once that the token's scope does not cover a request, and panels say it quietly", async () => {
    serve(TOKENS);
    start('/?practice=Backend%20Engineering');
    await signIn(VIEWER);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("Your token's scope does not cover this request.");
    expect(alert).toHaveTextContent('practice "Backend Engineering" is outside this token\'s scope');
    expect(alert).toHaveTextContent('data-viewer (viewer, Data Engineering, ML Engineering)');
    await waitFor(() => expect(screen.getAllByText("Outside your token's scope.")).toHaveLength(3));
    expect(screen.getAllByRole('alert')).toHaveLength(1);

    // Clearing the filters asks again, within the scope.
    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Clear the filters' }));
    expect(here()).toBe('/');
  });
});
