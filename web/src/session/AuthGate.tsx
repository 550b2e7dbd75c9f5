import './session.css';

import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';

import { ErrorMessage, LoadingMessage } from '../components/Panel';
import { navigate, useLocation } from '../router';
import { returnPath, SIGN_IN_PATH, signInHref } from './returnPath';
import { useSessionState, useSessionStore } from './SessionContext';
import { needsSignIn } from './sessionStore';
import { SignInPage } from './SignInPage';

// Shows the dashboard, or the sign-in page while the server requires a token the browser has not
// given. Without access control on the server (open mode) it shows the dashboard as it always was.
export function AuthGate({ children }: { children: ReactNode }) {
  const store = useSessionStore();
  const state = useSessionState();
  const { pathname, href, search } = useLocation();
  const queryClient = useQueryClient();
  const signInNeeded = needsSignIn(state);
  const notice = state.phase === 'ready' ? state.notice : null;
  const ready = state.phase === 'ready';

  // Signed out, by choice or because the session ended: no figures seen under the old session
  // stay in memory, and the next session (perhaps another token, another scope) fetches its own.
  useEffect(() => {
    if (signInNeeded) queryClient.clear();
  }, [signInNeeded, queryClient]);

  // The address follows: /signin?next=<where the person was> while signed out, and back once in.
  useEffect(() => {
    if (!ready) return;
    const onSignInPage = pathname === SIGN_IN_PATH;
    if (signInNeeded && !onSignInPage) navigate(signInHref(notice === 'signed_out' ? null : href), { replace: true });
    else if (!signInNeeded && onSignInPage) navigate(returnPath(search), { replace: true });
  }, [ready, signInNeeded, notice, pathname, href, search]);

  if (state.phase === 'loading') {
    return (
      <div className="gate">
        <LoadingMessage />
      </div>
    );
  }
  if (state.phase === 'failed') {
    return (
      <div className="gate">
        <ErrorMessage error={new Error(`Could not ask the server who is signed in. ${state.error.message}`)} onRetry={() => store?.load()} />
      </div>
    );
  }
  if (signInNeeded) return <SignInPage notice={notice} />;
  // Signed in on the sign-in page's address: on the way to the page it was opened for.
  if (pathname === SIGN_IN_PATH) return null;
  return <>{children}</>;
}
