import { vi } from 'vitest';

// Routes a stubbed fetch by path. A handler gets the request's query parameters (and the request
// itself: method, headers, body) and returns the body (answered 200) or a [status, body] pair
// ([204] for no body).
// Unrouted paths answer 404, as the API would.
export interface MockRequest {
  url: URL;
  method: string;
  headers: Headers;
  body: unknown;
}

type Handler = (params: URLSearchParams, request: MockRequest) => unknown;

export interface MockApi {
  calls: URL[];
  requests: MockRequest[];
  callsTo(path: string): URLSearchParams[];
}

export function mockApi(routes: Record<string, Handler>): MockApi {
  const calls: URL[] = [];
  const requests: MockRequest[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = new URL(String(input), 'http://localhost');
      const request: MockRequest = {
        url,
        method: init.method ?? 'GET',
        headers: new Headers(init.headers),
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      };
      calls.push(url);
      requests.push(request);
      const handler = routes[url.pathname];
      if (!handler) {
        return new Response(JSON.stringify({ error: { code: 'not_found', message: `no route ${url.pathname}` } }), {
          status: 404,
        });
      }
      const answer = handler(url.searchParams, request);
      const [status, body] = Array.isArray(answer) && typeof answer[0] === 'number' ? answer : [200, answer];
      // A 204 has no body (a Response refuses one).
      if (status === 204) return new Response(null, { status });
      return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
    }),
  );
  return {
    calls,
    requests,
    callsTo: (path) => calls.filter((u) => u.pathname === path).map((u) => u.searchParams),
  };
}
