import { vi } from 'vitest';

// Routes a stubbed fetch by path. A handler gets the request's query parameters and returns the
// body (answered 200) or a [status, body] pair. Unrouted paths answer 404, as the API would.
type Handler = (params: URLSearchParams) => unknown;

export interface MockApi {
  calls: URL[];
  callsTo(path: string): URLSearchParams[];
}

export function mockApi(routes: Record<string, Handler>): MockApi {
  const calls: URL[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const url = new URL(String(input), 'http://localhost');
      calls.push(url);
      const handler = routes[url.pathname];
      if (!handler) {
        return new Response(JSON.stringify({ error: { code: 'not_found', message: `no route ${url.pathname}` } }), {
          status: 404,
        });
      }
      const answer = handler(url.searchParams);
      const [status, body] = Array.isArray(answer) && typeof answer[0] === 'number' ? answer : [200, answer];
      return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
    }),
  );
  return {
    calls,
    callsTo: (path) => calls.filter((u) => u.pathname === path).map((u) => u.searchParams),
  };
}
