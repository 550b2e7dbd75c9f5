import { useState } from 'react';

import { useSessionState, useSessionStore } from './SessionContext';

export function scopeLabel(practices: string[]): string {
  return practices.length === 0 ? 'all practices' : practices.join(', ');
}

// Who is signed in, with what rights, over which practices; and the way out. Nothing in open mode.
export function SessionBadge() {
  const store = useSessionStore();
  const state = useSessionState();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  if (state.phase !== 'ready' || !state.session.signed_in || !store) return null;
  const { name, role, practices } = state.session;
  const scope = scopeLabel(practices);

  const signOut = async () => {
    setPending(true);
    setError(null);
    try {
      // Once signed out, the app replaces the dashboard with the sign-in page.
      await store.signOut();
    } catch (e) {
      setError(`Could not sign out: ${e instanceof Error ? e.message : String(e)}`);
      setPending(false);
    }
  };

  return (
    <div className="session" role="group" aria-label="Signed in">
      <p className="session__who">
        <span className="visually-hidden">Signed in as </span>
        <span className="session__name" data-session="name">
          {name}
        </span>
        <span className="session__details">
          <span className="visually-hidden">, role </span>
          <span className="session__role" data-session="role">
            {role}
          </span>
          <span aria-hidden="true"> · </span>
          <span className="visually-hidden">, sees </span>
          <span className="session__scope" data-session="scope" title={`Sees ${scope}`}>
            {scope}
          </span>
        </span>
      </p>
      <button type="button" className="button button--small" onClick={signOut} disabled={pending}>
        Sign out
      </button>
      {error ? (
        <p className="session__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
