import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useSyncExternalStore } from 'react';

import { isForbidden } from '../api/client';
import type { ApiQueryMeta } from '../api/queries';
import { navigate, useLocation } from '../router';
import { useSessionState } from './SessionContext';
import { scopeLabel } from './SessionBadge';

// The server's message for the first request on screen that the token may not make, or null.
// Read from the query cache, so the notice comes and goes with the requests the page shows. Panels
// that explain their own 403 (budgets, which no filter change would let a scoped token see) are
// left to do so.
function useForbiddenMessage(): string | null {
  const queryCache = useQueryClient().getQueryCache();
  const subscribe = useCallback((listener: () => void) => queryCache.subscribe(listener), [queryCache]);
  const snapshot = () =>
    queryCache
      .findAll({ type: 'active', predicate: (query) => !(query.meta as ApiQueryMeta | undefined)?.explainsForbidden })
      .map((query) => query.state.error)
      .find(isForbidden)?.message ?? null;
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

// One message for the whole page when the token's scope does not cover what it asks for (a link
// filtered to another practice, a token without the viewer's right), instead of one per panel.
export function ScopeNotice() {
  const message = useForbiddenMessage();
  const state = useSessionState();
  const { pathname, search } = useLocation();
  if (message === null) return null;
  const session = state.phase === 'ready' && state.session.signed_in ? state.session : null;
  return (
    <div className="error scope-notice" role="alert" data-scope-notice="">
      <p>
        <strong>Your token's scope does not cover this request.</strong>{' '}
        {session ? `Signed in as ${session.name} (${session.role}, ${scopeLabel(session.practices)}). ` : ''}
        The server says: {message}
      </p>
      {search.toString() !== '' ? (
        <button type="button" className="button" onClick={() => navigate(pathname)}>
          Clear the filters
        </button>
      ) : null}
    </div>
  );
}
