import './styles.css';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { ApiError } from './api/client';
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
      // A 4xx will not answer differently the second time.
      retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
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
