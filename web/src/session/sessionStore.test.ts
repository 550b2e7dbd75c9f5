import { afterEach, describe, expect, it } from 'vitest';

import { ApiError, CSRF_HEADER, fetchJson, request } from '../api/client';
import { authServer } from '../test/authServer';
import { mockApi } from '../test/mockApi';
import { createSessionStore, needsSignIn, type SessionStore } from './sessionStore';

const ADMIN = 'cca_' + 'a'.repeat(64);
let store: SessionStore | null = null;

function newStore(): SessionStore {
  store = createSessionStore();
  return store;
}

afterEach(() => store?.dispose());

function serve(server: ReturnType<typeof authServer>) {
  return mockApi({
    '/api/v1/session': server.session,
    '/api/v1/summary': server.guard(() => ({ events: 7 })),
    '/api/v1/employees': server.guard(() => ({ ok: true })),
  });
}

describe('the session store', () => {
  it('reads open mode from a server without tokens, or without the session endpoint', async () => {
    serve(authServer({}));
    const s = newStore();
    expect(s.getState().phase).toBe('loading');
    await s.load();
    expect(s.getState()).toMatchObject({ phase: 'ready', session: { auth_required: false, signed_in: false } });
    expect(needsSignIn(s.getState())).toBe(false);

    mockApi({});
    await s.load();
    expect(s.getState()).toMatchObject({ phase: 'ready', session: { auth_required: false } });
  });

  it('says when the server cannot be asked', async () => {
    mockApi({ '/api/v1/session': () => [500, { error: { code: 'internal', message: 'store unreadable' } }] });
    const s = newStore();
    await s.load();
    expect(s.getState()).toMatchObject({ phase: 'failed', error: { status: 500, message: 'store unreadable' } });
  });

  it('signs in, then sends its CSRF token with state-changing requests only', async () => {
    const server = authServer({ [ADMIN]: { name: 'ops', role: 'admin' } });
    const api = serve(server);
    const s = newStore();
    await s.load();
    expect(needsSignIn(s.getState())).toBe(true);
    await s.signIn(ADMIN);
    expect(s.getState()).toMatchObject({ phase: 'ready', session: { signed_in: true, name: 'ops', role: 'admin' }, notice: null });
    await request('/api/v1/employees', { method: 'PUT', body: {} });
    await fetchJson('/api/v1/summary');
    const [put, get] = api.requests.slice(-2);
    expect(put.headers.get(CSRF_HEADER)).toBe(server.csrfToken);
    expect(get.headers.has(CSRF_HEADER)).toBe(false);
  });

  it('rejects a wrong token with the 401, stays signed out, and reports no lost session', async () => {
    serve(authServer({ [ADMIN]: { name: 'ops', role: 'admin' } }));
    const s = newStore();
    await s.load();
    const error = await s.signIn('cca_wrong').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401 });
    expect(s.getState()).toMatchObject({ phase: 'ready', session: { signed_in: false }, notice: null });
  });

  it('signs out with the CSRF token, and forgets it', async () => {
    const server = authServer({ [ADMIN]: { name: 'ops', role: 'admin' } });
    const api = serve(server);
    const s = newStore();
    await s.load();
    await s.signIn(ADMIN);
    await s.signOut();
    const del = api.requests.find((r) => r.method === 'DELETE');
    expect(del?.headers.get(CSRF_HEADER)).toBe(server.csrfToken);
    expect(server.signedIn).toBeNull();
    expect(s.getState()).toMatchObject({ phase: 'ready', session: { auth_required: true, signed_in: false }, notice: 'signed_out' });
    // Signed out, a state-changing request carries no stale token.
    await request('/api/v1/employees', { method: 'PUT', body: {} }).catch(() => undefined);
    expect(api.requests.at(-1)?.headers.has(CSRF_HEADER)).toBe(false);
  });

  it('expires the session on the first answer 401, once however many follow', async () => {
    const server = authServer({ [ADMIN]: { name: 'ops', role: 'admin' } });
    serve(server);
    const s = newStore();
    await s.load();
    await s.signIn(ADMIN);
    let changes = 0;
    s.subscribe(() => changes++);
    server.endSession();
    await Promise.allSettled([fetchJson('/api/v1/summary'), fetchJson('/api/v1/summary'), fetchJson('/api/v1/summary')]);
    expect(s.getState()).toMatchObject({ phase: 'ready', session: { signed_in: false, auth_required: true }, notice: 'expired' });
    expect(changes).toBe(1);
  });

  it('asks the server again when the live stream is refused, and expires only an ended session', async () => {
    const server = authServer({ [ADMIN]: { name: 'ops', role: 'admin' } });
    serve(server);
    const s = newStore();
    await s.load();
    await s.signIn(ADMIN);
    await s.recheck();
    expect(s.getState()).toMatchObject({ session: { signed_in: true } });
    server.endSession();
    await s.recheck();
    expect(s.getState()).toMatchObject({ session: { signed_in: false }, notice: 'expired' });
  });
});
