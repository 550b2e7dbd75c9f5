// The session endpoints: who the browser is signed in as, signing in with a token, signing out.

import { ApiError, request } from './client';
import type { Session } from './types';

export const SESSION_URL = '/api/v1/session';

// What a server without access control (one older than the session endpoint) amounts to.
export const OPEN_SESSION: Session = {
  auth_required: false,
  signed_in: false,
  name: null,
  role: null,
  practices: [],
  csrf_token: null,
};

export async function getSession(): Promise<Session> {
  try {
    return normalise(await request<Partial<Session>>(SESSION_URL));
  } catch (error) {
    // A server without the endpoint has no access control: the dashboard works as it always did.
    if (error instanceof ApiError && error.status === 404) return OPEN_SESSION;
    throw error;
  }
}

// A wrong token answers 401 (raised, not reported as a lost session), too many failures 429.
export async function postSession(token: string): Promise<Session> {
  return normalise(await request<Partial<Session>>(SESSION_URL, { method: 'POST', body: { token }, unauthorizedExpected: true }));
}

// Ends the server's session; the answer says the browser is signed out.
export async function deleteSession(): Promise<Session> {
  return normalise(await request<Partial<Session>>(SESSION_URL, { method: 'DELETE', unauthorizedExpected: true }));
}

// Fields a server leaves out read as their open-mode values.
function normalise(body: Partial<Session>): Session {
  return {
    auth_required: body.auth_required === true,
    signed_in: body.signed_in === true,
    name: body.name ?? null,
    role: body.role ?? null,
    practices: Array.isArray(body.practices) ? body.practices : [],
    csrf_token: body.csrf_token ?? null,
  };
}
