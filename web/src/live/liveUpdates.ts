// One Server-Sent Events connection to GET /api/v1/stream for the whole app. The server sends an
// `update` event whenever new data becomes visible; the app then refreshes what it shows.

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'paused' | 'unavailable';

export const STREAM_URL = '/api/v1/stream';
// Updates arriving within this long of the first one of a burst (an ingest in several batches, a
// collector flushing every second) cost one refresh, not one each.
export const REFRESH_DEBOUNCE_MS = 1000;
// A refused or failed stream (the browser gives up on a non-200 answer) is tried again after this.
export const RETRY_MS = 10_000;

// What is used of the browser's EventSource.
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => unknown) | null;
  onerror: ((event: Event) => unknown) | null;
  addEventListener(type: 'update', listener: () => void): void;
  close(): void;
}

export interface LiveOptions {
  onUpdate: () => void;
  onStatus: (status: LiveStatus) => void;
  // The server refused the stream (too many open, gone, or the session it was opened under ended).
  onRefused?: () => void;
  // Tests pass a fake; browsers without EventSource get 'unavailable'.
  createEventSource?: (url: string) => EventSourceLike;
}

const CLOSED = 2;

// Connects and keeps connected until the returned function is called. `onUpdate` runs at most
// once per REFRESH_DEBOUNCE_MS. A hidden tab closes its stream: a browser opens at most six
// connections to a server across all of its tabs, and each open stream holds one, so background
// tabs would leave the visible one none to fetch with. Shown again, the tab reconnects and, not
// knowing what changed meanwhile, refreshes once.
export function connectLive({ onUpdate, onStatus, onRefused, createEventSource }: LiveOptions): () => void {
  const create =
    createEventSource ?? (typeof EventSource === 'undefined' ? undefined : (url: string) => new EventSource(url));
  if (!create) {
    onStatus('unavailable');
    return () => undefined;
  }
  let source: EventSourceLike | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let missedUpdates = false;

  const refresh = () => {
    refreshTimer = undefined;
    onUpdate();
  };
  const scheduleRefresh = () => {
    refreshTimer ??= setTimeout(refresh, REFRESH_DEBOUNCE_MS);
  };
  const close = () => {
    clearTimeout(retryTimer);
    clearTimeout(refreshTimer);
    refreshTimer = undefined;
    source?.close();
    source = null;
  };
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') {
      close();
      missedUpdates = true;
      onStatus('paused');
    } else if (!source) {
      open();
    }
  };
  const open = () => {
    onStatus('connecting');
    source = create(STREAM_URL);
    source.onopen = () => {
      onStatus('live');
      if (missedUpdates) scheduleRefresh();
      missedUpdates = false;
    };
    source.onerror = () => {
      onStatus('reconnecting');
      // The browser reconnects by itself, sending the last id it saw, unless the server refused
      // the stream (too many open, or gone): then a new one is opened later, and since changes
      // made meanwhile cannot be known, the figures are refreshed once it is open.
      if (source?.readyState !== CLOSED) return;
      source = null;
      missedUpdates = true;
      retryTimer = setTimeout(open, RETRY_MS);
      onRefused?.();
    };
    source.addEventListener('update', scheduleRefresh);
  };

  document.addEventListener('visibilitychange', onVisibility);
  open();
  return () => {
    close();
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
