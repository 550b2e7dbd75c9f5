import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import { useSessionStore } from '../session/SessionContext';
import { connectLive, type LiveStatus } from './liveUpdates';

const LABELS: Record<LiveStatus, { text: string; title: string }> = {
  connecting: { text: 'Connecting', title: 'Connecting to the live update stream' },
  live: { text: 'Live', title: 'Figures refresh by themselves when new data arrives' },
  paused: { text: 'Paused', title: 'Live updates pause while this tab is hidden' },
  reconnecting: { text: 'Reconnecting', title: 'The live update stream was lost; figures refresh again once it is back' },
  unavailable: { text: 'Not live', title: 'This browser cannot follow live updates; reload to see new data' },
};

// Keeps the figures on screen current and shows whether it can. On an update every query is marked
// stale, and only those with an enabled observer are fetched again: the current page's panels, not
// the ones a page defers until scrolled to, nor other pages' (they refetch when next shown).
export function LiveUpdates() {
  const queryClient = useQueryClient();
  const session = useSessionStore();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  useEffect(
    () =>
      connectLive({
        onStatus: setStatus,
        onUpdate: () => void queryClient.invalidateQueries({ refetchType: 'active' }),
        // A browser's stream says nothing of why it was refused: the session may have ended while
        // the page sat idle, which the session endpoint tells.
        onRefused: () => void session?.recheck(),
      }),
    [queryClient, session],
  );
  const { text, title } = LABELS[status];
  return (
    <span className={`live live--${status}`} role="status" title={title} data-live={status}>
      <span className="live__dot" aria-hidden="true" />
      {text}
    </span>
  );
}
