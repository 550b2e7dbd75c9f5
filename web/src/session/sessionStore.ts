// Who the dashboard is signed in as, shared by the whole app. The session is asked for once at
// start; signing in, signing out and any answer 401 (an expired session, a revoked token) change
// it here and nowhere else. The client's CSRF token follows it.

import { ApiError, onUnauthorized, setCsrfToken } from '../api/client';
import { deleteSession, getSession, postSession } from '../api/session';
import type { Session } from '../api/types';

// Why the sign-in page is shown, when it is not the first visit.
export type SignInNotice = 'expired' | 'signed_out';

export type SessionState =
  | { phase: 'loading' }
  | { phase: 'failed'; error: ApiError }
  | { phase: 'ready'; session: Session; notice: SignInNotice | null };

export interface SessionApi {
  getSession: () => Promise<Session>;
  postSession: (token: string) => Promise<Session>;
  deleteSession: () => Promise<Session>;
}

export interface SessionStore {
  getState(): SessionState;
  subscribe(listener: () => void): () => void;
  // Asks the server who the browser is signed in as.
  load(): Promise<void>;
  // Resolves once signed in; rejects with the server's ApiError (401 wrong token, 429 too many).
  signIn(token: string): Promise<void>;
  // Rejects (and stays signed in) only when the server could not end the session.
  signOut(): Promise<void>;
  // The server answered 401: whatever the browser held no longer admits it.
  expire(): void;
  // Asks the server again and expires the session if it has ended (a refused live stream says
  // nothing about why it was refused).
  recheck(): Promise<void>;
  // Stops listening to the client's 401s.
  dispose(): void;
}

export function needsSignIn(state: SessionState): boolean {
  return state.phase === 'ready' && state.session.auth_required && !state.session.signed_in;
}

const SIGNED_OUT: Session = { auth_required: true, signed_in: false, name: null, role: null, practices: [], csrf_token: null };

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'unexpected', error instanceof Error ? error.message : String(error));
}

export function createSessionStore(api: SessionApi = { getSession, postSession, deleteSession }): SessionStore {
  let state: SessionState = { phase: 'loading' };
  const listeners = new Set<() => void>();

  const set = (next: SessionState) => {
    state = next;
    setCsrfToken(next.phase === 'ready' && next.session.signed_in ? next.session.csrf_token : null);
    for (const listener of [...listeners]) listener();
  };

  const signedOut = (notice: SignInNotice) => set({ phase: 'ready', session: SIGNED_OUT, notice });

  const expire = () => {
    // Many panels fail at once when a session ends: the first 401 signs out, the rest change nothing.
    if (needsSignIn(state)) return;
    signedOut('expired');
  };

  const stopListening = onUnauthorized(expire);

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async load() {
      set({ phase: 'loading' });
      try {
        set({ phase: 'ready', session: await api.getSession(), notice: null });
      } catch (error) {
        set({ phase: 'failed', error: asApiError(error) });
      }
    },
    async signIn(token) {
      const session = await api.postSession(token);
      if (!session.signed_in) throw new ApiError(401, 'unauthorized', 'The server did not accept the token.');
      set({ phase: 'ready', session, notice: null });
    },
    async signOut() {
      try {
        await api.deleteSession();
      } catch (error) {
        // Already ended on the server: signed out all the same.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
      signedOut('signed_out');
    },
    expire,
    async recheck() {
      if (state.phase !== 'ready' || needsSignIn(state)) return;
      let session: Session;
      try {
        session = await api.getSession();
      } catch {
        return; // The server is away; the live stream keeps trying.
      }
      if (session.auth_required && !session.signed_in) expire();
    },
    dispose: stopListening,
  };
}
