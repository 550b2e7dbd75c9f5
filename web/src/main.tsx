import './styles.css';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { ApiError, isNetworkError } from './api/client';
import { App, preloadPage } from './App';
import { AuthGate } from './session/AuthGate';
import { SessionProvider } from './session/SessionContext';
import { createSessionStore } from './session/sessionStore';
import { applyTheme, currentTheme } from './state/theme';

applyTheme(currentTheme());
// Who is signed in is asked before React first renders, alongside the current page's code.
const session = createSessionStore();
void session.load();
preloadPage(window.location.pathname);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Figures change only when data is ingested; half a minute of reuse keeps page switches instant.
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (failures, error) => {
        // A 4xx will not answer differently the second time.
        if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
        // No answer at all: once, for a blip; beyond that the outage banner probes the server and
        // fetches the failed queries again when it answers (api/connectivity.ts).
        if (isNetworkError(error)) return failures < 1;
        return failures < 2;
      },
      // 1 s, 2 s, 4 s ... at most 30 s between a query's own retries.
      retryDelay: (failures) => Math.min(1000 * 2 ** failures, 30_000),
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <SessionProvider store={session}>
        <AuthGate>
          <App />
        </AuthGate>
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);
