// The server's session endpoints as the access-control API describes them, for tests: tokens by
// name with a role and practices, one browser session held like a cookie, the CSRF rule, 401 for
// data without a session, and 429 after repeated wrong tokens.

import type { Role, Session } from '../api/types';
import type { MockRequest } from './mockApi';

export interface TokenSpec {
  name: string;
  role: Role;
  practices?: string[];
}

const CSRF = 'csrf-7f3a';

export function authServer(tokens: Record<string, TokenSpec>, { failuresBeforeLimit = 5 } = {}) {
  let signedIn: TokenSpec | null = null;
  let failures = 0;
  const error = (status: number, code: string, message: string) => [status, { error: { code, message } }];
  const session = (): Session => ({
    auth_required: Object.keys(tokens).length > 0,
    signed_in: signedIn !== null,
    name: signedIn?.name ?? null,
    role: signedIn?.role ?? null,
    practices: signedIn?.practices ?? [],
    csrf_token: signedIn ? CSRF : null,
  });
  return {
    csrfToken: CSRF,
    get signedIn() {
      return signedIn;
    },
    // The server forgets the session (it expired, or its token was revoked).
    endSession() {
      signedIn = null;
    },
    session: (_: URLSearchParams, request: MockRequest) => {
      if (request.method === 'GET') return session();
      if (request.method === 'POST') {
        if (failures >= failuresBeforeLimit) return error(429, 'rate_limited', 'too many failed sign-ins');
        const token = (request.body as { token?: string } | undefined)?.token ?? '';
        const spec = tokens[token];
        if (!spec) {
          failures++;
          return error(401, 'unauthorized', 'invalid token');
        }
        signedIn = spec;
        return session();
      }
      if (request.method === 'DELETE') {
        if (!signedIn) return error(401, 'unauthorized', 'no session');
        if (request.headers.get('X-CSRF-Token') !== CSRF) return error(403, 'csrf', 'missing or wrong X-CSRF-Token');
        signedIn = null;
        return session();
      }
      return error(405, 'method_not_allowed', request.method);
    },
    // Wraps a data endpoint: 401 without a session while tokens exist.
    guard:
      (handler: (params: URLSearchParams, request: MockRequest) => unknown) =>
      (params: URLSearchParams, request: MockRequest) =>
        Object.keys(tokens).length > 0 && !signedIn ? error(401, 'unauthorized', 'sign in first') : handler(params, request),
  };
}
