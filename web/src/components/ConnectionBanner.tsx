import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import { onReconnect, retryNow, useConnectivity } from '../api/connectivity';

// Seconds until `at`, counted down once a second while shown.
function useSecondsUntil(at: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return undefined;
    setNow(Date.now());
    const interval = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(interval);
  }, [at]);
  return at === null ? 0 : Math.max(0, Math.ceil((at - now) / 1000));
}

// The one notice of an outage, at the top of the page. When the server answers again, every
// query that failed on screen is fetched again, so panels recover without a click.
export function ConnectionBanner() {
  const queryClient = useQueryClient();
  const { reachable, retryAt } = useConnectivity();
  const seconds = useSecondsUntil(reachable ? null : retryAt);

  useEffect(
    () =>
      onReconnect(() => {
        void queryClient.refetchQueries({ type: 'active', predicate: (query) => query.state.status === 'error' });
      }),
    [queryClient],
  );

  if (reachable) return null;
  return (
    <div className="connection-banner" role="status" aria-live="polite">
      <span>
        <strong>Cannot reach the server</strong> — {seconds > 0 ? `retrying in ${seconds} s` : 'retrying now'}. The page
        updates by itself once it is back.
      </span>
      <button type="button" className="button button--small" onClick={retryNow}>
        Retry now
      </button>
    </div>
  );
}
