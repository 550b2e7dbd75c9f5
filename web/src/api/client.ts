// Every request the dashboard makes goes through here. Every error, HTTP or network, becomes an
// ApiError with a message a person can act on; the API's own {"error": {"code", "message"}} body is
// used when present, as is the bare {"error": "message"} form. Two rules of the server's access control are kept here, in one place, so that
// no caller can forget them: a state-changing request carries the session's CSRF token, and an
// answer 401 (the session expired, its token was revoked) is reported to whoever signs the user in
// again.

import { reportReachable, reportUnreachable } from './connectivity';

export type QueryParams = Record<string, string | number | undefined | null>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  // From a 429's Retry-After header, when the server sent one in seconds.
  readonly retryAfterSeconds: number | null;

  constructor(status: number, code: string, message: string, retryAfterSeconds: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function apiUrl(path: string, params: QueryParams = {}): string {
  const search = new URLSearchParams();
  // Sorted, so that equal requests have equal URLs and share one cache entry.
  for (const key of Object.keys(params).sort()) {
    const value = params[key];
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

export const CSRF_HEADER = 'X-CSRF-Token';

// The signed-in session's CSRF token; null in open mode and when signed out.
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const unauthorizedListeners = new Set<(error: ApiError) => void>();

// `listener` hears of every answer 401 except those the caller expects (a wrong token at sign-in).
// Returns the function that stops it listening.
export function onUnauthorized(listener: (error: ApiError) => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  // Sent as JSON.
  body?: unknown;
  signal?: AbortSignal;
  // The caller handles a 401 itself (signing in with a wrong token is not a lost session).
  unauthorizedExpected?: boolean;
  // The body as text (a CSV export) rather than JSON.
  text?: boolean;
}

function parseRetryAfter(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value);
}

async function errorFrom(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = `${response.status} ${response.statusText}`.trim();
  try {
    const body = (await response.json()) as { error?: string | { code?: string; message?: string } };
    if (typeof body.error === 'string') {
      if (body.error) message = body.error;
    } else {
      if (body.error?.code) code = body.error.code;
      if (body.error?.message) message = body.error.message;
    }
  } catch {
    // Not JSON: keep the status line.
  }
  return new ApiError(response.status, code, message, parseRetryAfter(response.headers.get('Retry-After')));
}

// 502 or 504 without the API's own error body: a proxy in front of a server that does not answer.
function isGatewayFailure(status: number, code: string): boolean {
  return (status === 502 || status === 504) && code === `http_${status}`;
}

export async function request<T>(url: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: options.text ? 'text/csv, text/plain, */*' : 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  // The server refuses a cookie-authenticated POST, PUT or DELETE without it (cross-site request
  // forgery); GETs change nothing and need none.
  if (method !== 'GET' && csrfToken) headers[CSRF_HEADER] = csrfToken;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    reportUnreachable();
    throw new ApiError(0, 'network', 'The server cannot be reached.');
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (isGatewayFailure(response.status, error.code)) {
      // A reverse proxy answering for a server that is down: as unreachable as no answer at all.
      reportUnreachable();
      throw new ApiError(0, 'network', 'The server cannot be reached.');
    }
    reportReachable();
    if (error.status === 401 && !options.unauthorizedExpected) {
      for (const listener of [...unauthorizedListeners]) listener(error);
    }
    throw error;
  }
  reportReachable();
  // A deletion answers 204 with no body at all.
  if (response.status === 204) return undefined as T;
  try {
    return (options.text ? await response.text() : await response.json()) as T;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    // A proxy's HTML page, or a connection cut mid-answer: not a message for people.
    throw new ApiError(response.status, 'unreadable', 'The server sent an answer the dashboard cannot read.');
  }
}

export function fetchText(url: string, signal?: AbortSignal): Promise<string> {
  return request<string>(url, { signal, text: true });
}

export function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return request<T>(url, { signal });
}

// The request got no answer at all: the outage banner speaks for it, not each panel.
export function isNetworkError(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 0;
}

// The token signed in with does not reach this (its role lacks the right, or a practice lies
// outside its scope). A CSRF refusal is a 403 too, but says nothing about the token's scope.
export function isForbidden(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 403 && error.code !== 'csrf';
}
