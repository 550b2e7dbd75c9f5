// Whether the server can be reached. The API client reports every request's fate here; once one
// fails without any answer, the dashboard shows one banner, probes GET /health with growing
// pauses, and when the server answers again tells its listeners (which fetch again what failed).
// Panels do not each show the outage.

import { useSyncExternalStore } from 'react';

export interface Connectivity {
  reachable: boolean;
  // When the next probe goes out (ms since the epoch), while unreachable.
  retryAt: number | null;
  // Probes that failed since the outage began.
  attempts: number;
}

// Pauses before each probe: quick at first, for a restart, then every 30 s.
export const PROBE_BACKOFF_MS = [2_000, 4_000, 8_000, 15_000, 30_000];

const REACHABLE: Connectivity = { reachable: true, retryAt: null, attempts: 0 };
let state: Connectivity = REACHABLE;
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();
const reconnectListeners = new Set<() => void>();

function set(next: Connectivity): void {
  state = next;
  for (const listener of [...listeners]) listener();
}

function schedule(attempts: number): void {
  clearTimeout(timer);
  const delay = PROBE_BACKOFF_MS[Math.min(attempts, PROBE_BACKOFF_MS.length - 1)];
  set({ reachable: false, retryAt: Date.now() + delay, attempts });
  timer = setTimeout(() => void probe(), delay);
}

async function probe(): Promise<void> {
  clearTimeout(timer);
  try {
    // Any answer of the server, whatever its status, means it is there; a failed fetch, or a
    // proxy's 502 or 504 for it, does not.
    const response = await fetch('/health', { cache: 'no-store', credentials: 'same-origin' });
    if (response.status === 502 || response.status === 504) throw new Error(`gateway ${response.status}`);
    reportReachable();
  } catch {
    if (!state.reachable) schedule(state.attempts + 1);
  }
}

// A request got no answer at all (connection refused, reset, DNS, offline).
export function reportUnreachable(): void {
  if (!state.reachable) return;
  schedule(0);
}

// A request got an answer: if the server was unreachable, it is back.
export function reportReachable(): void {
  if (state.reachable) return;
  clearTimeout(timer);
  timer = undefined;
  set(REACHABLE);
  for (const listener of [...reconnectListeners]) listener();
}

// Probe now rather than at the scheduled time.
export function retryNow(): void {
  if (!state.reachable) void probe();
}

export function getConnectivity(): Connectivity {
  return state;
}

export function subscribeConnectivity(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// `listener` runs each time the server is reachable again after an outage.
export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

export function useConnectivity(): Connectivity {
  return useSyncExternalStore(subscribeConnectivity, getConnectivity, getConnectivity);
}

// Forgets an outage without telling anyone (tests start from a reachable server).
export function resetConnectivity(): void {
  clearTimeout(timer);
  timer = undefined;
  state = REACHABLE;
}
