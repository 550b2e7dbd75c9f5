import { afterEach, describe, expect, it, vi } from 'vitest';

import { ApiError, apiUrl, fetchJson } from './client';

afterEach(() => vi.unstubAllGlobals());

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

  it('falls back to the status line when the body is not JSON', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>oops</html>', { status: 502, statusText: 'Bad Gateway' })));
    await expect(fetchJson('/x')).rejects.toMatchObject({ status: 502, code: 'http_502', message: '502 Bad Gateway' });
  });

  it('reports an unreachable server', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(fetchJson('/x')).rejects.toMatchObject({ status: 0, code: 'network' });
  });
});
