import { afterEach, describe, expect, it, vi } from 'vitest';

import { mockApi } from '../test/mockApi';
import { getConnectivity } from './connectivity';
import { ApiError, apiUrl, CSRF_HEADER, fetchJson, isForbidden, onUnauthorized, request, setCsrfToken } from './client';

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('apiUrl', () => {
  it('sorts parameters and leaves out empty ones, so equal requests share a URL', () => {
    expect(apiUrl('/api/v1/breakdown', { sort: 'cost_usd', by: 'model', practice: undefined, limit: null, email: '' })).toBe(
      '/api/v1/breakdown?by=model&sort=cost_usd',
    );
    expect(apiUrl('/api/v1/summary', { practice: 'A,B' })).toBe('/api/v1/summary?practice=A%2CB');
    expect(apiUrl('/api/v1/facets')).toBe('/api/v1/facets');
  });
});

describe('fetchJson', () => {
  it('returns the parsed body', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{"events": 3}', { status: 200 })));
    await expect(fetchJson('/api/v1/summary')).resolves.toEqual({ events: 3 });
  });

  it("raises the API's own error code and message", async () => {
    const body = JSON.stringify({ error: { code: 'bad_parameter', message: 'unknown parameter "colour"' } });
    vi.stubGlobal('fetch', vi.fn(async () => new Response(body, { status: 400, statusText: 'Bad Request' })));
    const error = await fetchJson('/api/v1/summary?colour=red').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'bad_parameter', message: 'unknown parameter "colour"' });
  });

  it('reads an error body that is the message alone', async () => {
    const body = JSON.stringify({ error: 'amount_usd must be above 0' });
    vi.stubGlobal('fetch', vi.fn(async () => new Response(body, { status: 400, statusText: 'Bad Request' })));
    await expect(fetchJson('/api/v1/budgets')).rejects.toMatchObject({ status: 400, code: 'http_400', message: 'amount_usd must be above 0' });
  });

  it('falls back to the status line when the body is not JSON', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>oops</html>', { status: 500, statusText: 'Internal Server Error' })));
    await expect(fetchJson('/x')).rejects.toMatchObject({ status: 500, code: 'http_500', message: '500 Internal Server Error' });
  });

  it("reads a proxy's 502 or 504 as an unreachable server", async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>oops</html>', { status: 502, statusText: 'Bad Gateway' })));
    await expect(fetchJson('/x')).rejects.toMatchObject({ status: 0, code: 'network' });
    expect(getConnectivity().reachable).toBe(false);
  });

  it('reports an unreachable server', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(fetchJson('/x')).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('says an unreadable answer in words, not as the parser’s exception', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>proxy</html>', { status: 200 })));
    const error = await fetchJson('/api/v1/summary').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe('The server sent an answer the dashboard cannot read.');
  });

  it('tells the connectivity store when the server stops and starts answering', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValueOnce(new TypeError('Failed to fetch')).mockResolvedValue(new Response('{}')));
    await fetchJson('/api/v1/summary').catch(() => undefined);
    expect(getConnectivity().reachable).toBe(false);
    await fetchJson('/api/v1/summary');
    expect(getConnectivity()).toEqual({ reachable: true, retryAt: null, attempts: 0 });
  });

  it("reads a 429's Retry-After in seconds", async () => {
    const body = JSON.stringify({ error: { code: 'rate_limited', message: 'too many failed sign-ins' } });
    vi.stubGlobal('fetch', vi.fn(async () => new Response(body, { status: 429, headers: { 'Retry-After': '42' } })));
    await expect(fetchJson('/x')).rejects.toMatchObject({ status: 429, code: 'rate_limited', retryAfterSeconds: 42 });
    // An HTTP date is not a count of seconds: no figure rather than a wrong one.
    vi.stubGlobal('fetch', vi.fn(async () => new Response(body, { status: 429, headers: { 'Retry-After': 'Wed, 21 Oct 2026 07:28:00 GMT' } })));
    await expect(fetchJson('/x')).rejects.toMatchObject({ status: 429, retryAfterSeconds: null });
  });
});

describe('request', () => {
  it('resolves a 204 without reading a body', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })));
    await expect(request('/api/v1/budgets/3', { method: 'DELETE' })).resolves.toBeUndefined();
    expect(getConnectivity().reachable).toBe(true);
  });
});

describe('the CSRF token', () => {
  const routes = { '/api/v1/employees': () => ({ ok: true }), '/api/v1/summary': () => ({ events: 1 }) };

  it('goes with every POST, PUT and DELETE of a session, and with no GET', async () => {
    const api = mockApi(routes);
    setCsrfToken('csrf-123');
    await request('/api/v1/employees', { method: 'PUT', body: { rows: [] } });
    await request('/api/v1/employees', { method: 'POST', body: {} });
    await request('/api/v1/employees', { method: 'DELETE' });
    await fetchJson('/api/v1/summary');
    expect(api.requests.map((r) => [r.method, r.headers.get(CSRF_HEADER)])).toEqual([
      ['PUT', 'csrf-123'],
      ['POST', 'csrf-123'],
      ['DELETE', 'csrf-123'],
      ['GET', null],
    ]);
    expect(api.requests[0].headers.get('Content-Type')).toBe('application/json');
    expect(api.requests[0].body).toEqual({ rows: [] });
  });

  it('is not sent when there is no session (open mode, signed out)', async () => {
    const api = mockApi(routes);
    setCsrfToken('old');
    setCsrfToken(null);
    await request('/api/v1/employees', { method: 'PUT', body: {} });
    expect(api.requests[0].headers.has(CSRF_HEADER)).toBe(false);
  });
});

describe('answers 401', () => {
  const unauthorized = () => [401, { error: { code: 'unauthorized', message: 'sign in' } }];

  it('are reported to the listeners, then raised', async () => {
    mockApi({ '/api/v1/summary': unauthorized });
    const heard: ApiError[] = [];
    const stop = onUnauthorized((e) => heard.push(e));
    await expect(fetchJson('/api/v1/summary')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    stop();
    await expect(fetchJson('/api/v1/summary')).rejects.toMatchObject({ status: 401 });
    expect(heard.map((e) => e.message)).toEqual(['sign in']);
  });

  it('that the caller expects (a wrong token at sign-in) are not reported', async () => {
    mockApi({ '/api/v1/session': unauthorized });
    const listener = vi.fn();
    const stop = onUnauthorized(listener);
    await expect(request('/api/v1/session', { method: 'POST', body: { token: 'x' }, unauthorizedExpected: true })).rejects.toMatchObject({
      status: 401,
    });
    stop();
    expect(listener).not.toHaveBeenCalled();
  });

  it('are not reported for other failures', async () => {
    mockApi({ '/api/v1/summary': () => [403, { error: { code: 'forbidden', message: 'not your practice' } }] });
    const listener = vi.fn();
    const stop = onUnauthorized(listener);
    await expect(fetchJson('/api/v1/summary')).rejects.toMatchObject({ status: 403 });
    stop();
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('isForbidden', () => {
  it("is a 403 about the token's rights, not a CSRF refusal", () => {
    expect(isForbidden(new ApiError(403, 'forbidden', 'x'))).toBe(true);
    expect(isForbidden(new ApiError(403, 'csrf', 'x'))).toBe(false);
    expect(isForbidden(new ApiError(401, 'unauthorized', 'x'))).toBe(false);
    expect(isForbidden(new Error('x'))).toBe(false);
  });
});
