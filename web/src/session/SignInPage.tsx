import { type FormEvent, useEffect, useId, useRef, useState } from 'react';

import { Brand } from '../components/Brand';
import { useSessionStore } from './SessionContext';
import type { SignInNotice } from './sessionStore';
import { EMPTY_TOKEN_MESSAGE, NOTICES, signInErrorMessage } from './signInMessages';

// Shown instead of the dashboard while the server requires a token and the browser has no session.
// The token is sent once, to POST /api/v1/session; the browser keeps only the server's HttpOnly
// session cookie, never the token.
export function SignInPage({ notice }: { notice: SignInNotice | null }) {
  const store = useSessionStore();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();

  useEffect(() => {
    document.title = 'Sign in · ccanalytics';
  }, []);

  const fail = (message: string) => {
    setError(message);
    setPending(false);
    // Back to the field, selected, so that a mistyped token is replaced by the next paste.
    input.current?.focus();
    input.current?.select();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending || !store) return;
    // Copying a token from a terminal often brings a line break along.
    const trimmed = token.trim();
    if (!trimmed) {
      fail(EMPTY_TOKEN_MESSAGE);
      return;
    }
    setPending(true);
    setError(null);
    try {
      // Once signed in, the app replaces this page.
      await store.signIn(trimmed);
    } catch (e) {
      fail(signInErrorMessage(e));
    }
  };

  return (
    <div className="signin">
      <main id="main" className="signin__main">
        <form className="signin__card" aria-labelledby={headingId} onSubmit={submit} noValidate>
          <Brand />
          <h1 id={headingId}>Sign in</h1>
          {notice && !error ? (
            <p className="signin__notice" role="status">
              {NOTICES[notice]}
            </p>
          ) : null}
          <div className="signin__field">
            <label htmlFor={inputId}>Access token</label>
            <input
              ref={input}
              id={inputId}
              name="token"
              type="password"
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              autoFocus
              required
              value={token}
              onChange={(e) => setToken(e.target.value)}
              aria-invalid={error !== null}
              aria-describedby={error ? `${errorId} ${hintId}` : hintId}
            />
            <p id={hintId} className="signin__hint">
              A token starts with <code>cca_</code>. An administrator creates one with <code>ccanalytics token create</code>.
            </p>
          </div>
          {error ? (
            <p id={errorId} className="signin__error" role="alert">
              {error}
            </p>
          ) : null}
          <button type="submit" className="button button--primary" disabled={pending} aria-busy={pending}>
            {pending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </main>
    </div>
  );
}
