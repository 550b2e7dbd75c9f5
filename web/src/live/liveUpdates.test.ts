import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { connectLive, type LiveStatus, REFRESH_DEBOUNCE_MS, RETRY_MS, STREAM_URL } from './liveUpdates';

// Stands in for the browser's EventSource: the test plays the server's side.
class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readyState = 0;
  onopen: ((event: Event) => unknown) | null = null;
  onerror: ((event: Event) => unknown) | null = null;
  closed = false;
  private listeners = new Map<string, ((event: Event) => void)[]>();

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, listener: (event: Event) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  update(version: number) {
    const event = new MessageEvent('update', { data: JSON.stringify({ data_version: version, events: 1 }), lastEventId: String(version) });
    for (const listener of this.listeners.get('update') ?? []) listener(event);
  }
  // The connection dropped: the browser tries again by itself.
  drop() {
    this.readyState = 0;
    this.onerror?.(new Event('error'));
  }
  // The server refused the stream (a 503): the browser gives up.
  refuse() {
    this.readyState = 2;
    this.onerror?.(new Event('error'));
  }
}

function connect() {
  const statuses: LiveStatus[] = [];
  const onUpdate = vi.fn();
  const onRefused = vi.fn();
  const stop = connectLive({
    onUpdate,
    onRefused,
    onStatus: (status) => statuses.push(status),
    createEventSource: (url) => new FakeEventSource(url),
  });
  return { statuses, onUpdate, onRefused, stop, latest: () => FakeEventSource.instances.at(-1)! };
}

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('connectLive', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeEventSource.instances = [];
  });
  afterEach(() => {
    vi.useRealTimers();
    setVisibility('visible');
  });

  it('opens one stream and reports when it is live', () => {
    const { statuses, latest, stop } = connect();
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(latest().url).toBe(STREAM_URL);
    expect(statuses).toEqual(['connecting']);
    latest().open();
    expect(statuses.at(-1)).toBe('live');
    stop();
    expect(latest().closed).toBe(true);
  });

  it('refreshes once per burst of updates, after the debounce', () => {
    const { onUpdate, latest, stop } = connect();
    latest().open();
    latest().update(2);
    latest().update(3);
    vi.advanceTimersByTime(REFRESH_DEBOUNCE_MS - 1);
    latest().update(4);
    expect(onUpdate).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onUpdate).toHaveBeenCalledTimes(1);
    latest().update(5);
    vi.advanceTimersByTime(REFRESH_DEBOUNCE_MS);
    expect(onUpdate).toHaveBeenCalledTimes(2);
    stop();
  });

  it('shows reconnecting while the browser reconnects, and live again after', () => {
    const { statuses, latest, stop } = connect();
    latest().open();
    latest().drop();
    expect(statuses.at(-1)).toBe('reconnecting');
    latest().open();
    expect(statuses.at(-1)).toBe('live');
    // The browser kept the same stream object: no second one was made.
    expect(FakeEventSource.instances).toHaveLength(1);
    stop();
  });

  it('opens a new stream after a refusal and refreshes once it is open', () => {
    const { statuses, onUpdate, latest, stop } = connect();
    latest().refuse();
    expect(statuses.at(-1)).toBe('reconnecting');
    vi.advanceTimersByTime(RETRY_MS - 1);
    expect(FakeEventSource.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.instances).toHaveLength(2);
    latest().open();
    expect(statuses.at(-1)).toBe('live');
    vi.advanceTimersByTime(REFRESH_DEBOUNCE_MS);
    expect(onUpdate).toHaveBeenCalledTimes(1);
    stop();
  });

  it('says when the server refused the stream, not when the connection merely dropped', () => {
    // A refusal may mean the session ended; the app then asks the session endpoint.
    const { onRefused, latest, stop } = connect();
    latest().open();
    latest().drop();
    expect(onRefused).not.toHaveBeenCalled();
    latest().refuse();
    expect(onRefused).toHaveBeenCalledTimes(1);
    stop();
  });

  it('closes the stream while the tab is hidden and refreshes once when it is shown', () => {
    const { statuses, onUpdate, latest, stop } = connect();
    const first = latest();
    first.open();
    first.update(2);
    setVisibility('hidden');
    expect(first.closed).toBe(true);
    expect(statuses.at(-1)).toBe('paused');
    vi.advanceTimersByTime(REFRESH_DEBOUNCE_MS * 5);
    expect(onUpdate).not.toHaveBeenCalled();
    setVisibility('visible');
    expect(FakeEventSource.instances).toHaveLength(2);
    latest().open();
    expect(statuses.at(-1)).toBe('live');
    vi.advanceTimersByTime(REFRESH_DEBOUNCE_MS);
    expect(onUpdate).toHaveBeenCalledTimes(1);
    stop();
  });

  it('stops cleanly: no refresh after stop, no retry', () => {
    const { onUpdate, latest, stop } = connect();
    latest().open();
    latest().update(2);
    latest().refuse();
    stop();
    vi.advanceTimersByTime(RETRY_MS * 2);
    expect(onUpdate).not.toHaveBeenCalled();
    expect(FakeEventSource.instances).toHaveLength(1);
  });

  it('says so when the browser has no EventSource', () => {
    vi.stubGlobal('EventSource', undefined);
    const statuses: LiveStatus[] = [];
    connectLive({ onUpdate: () => undefined, onStatus: (s) => statuses.push(s) });
    expect(statuses).toEqual(['unavailable']);
  });
});
