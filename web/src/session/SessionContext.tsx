import { createContext, type ReactNode, useContext, useSyncExternalStore } from 'react';

import type { SessionState, SessionStore } from './sessionStore';

const SessionContext = createContext<SessionStore | null>(null);

export function SessionProvider({ store, children }: { store: SessionStore; children: ReactNode }) {
  return <SessionContext.Provider value={store}>{children}</SessionContext.Provider>;
}

// Null outside a provider: components tested on their own (the live indicator) work without one.
export function useSessionStore(): SessionStore | null {
  return useContext(SessionContext);
}

const NO_STORE: SessionState = { phase: 'loading' };
const noSubscription = () => () => undefined;

export function useSessionState(): SessionState {
  const store = useSessionStore();
  return useSyncExternalStore(store?.subscribe ?? noSubscription, store ? store.getState : () => NO_STORE);
}
