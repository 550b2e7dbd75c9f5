// Code splitting without Suspense. React reveals content that replaces a Suspense fallback no
// sooner than 300 ms after the fallback appeared (to avoid flicker); for a dashboard whose pages
// and charts arrive in well under that, the throttle would be most of the load time.

import { type ComponentType, useCallback, useEffect, useState } from 'react';

import { onReconnect } from './api/connectivity';

export interface LazyComponent<P> {
  load: () => Promise<ComponentType<P>>;
  loaded?: ComponentType<P>;
}

// Pauses before importing a chunk again: a deploy or a dropped connection often lasts a moment.
const RETRY_DELAYS_MS = [500, 2_000];

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function lazyComponent<P>(
  importer: () => Promise<{ default: ComponentType<P> }>,
  retryDelays: number[] = RETRY_DELAYS_MS,
): LazyComponent<P> {
  const attempt = async (): Promise<{ default: ComponentType<P> }> => {
    for (const delay of retryDelays) {
      try {
        return await importer();
      } catch {
        await wait(delay);
      }
    }
    return importer();
  };
  // One request however many callers ask; a failed one is forgotten so that a later call retries.
  let pending: Promise<ComponentType<P>> | undefined;
  const lazy: LazyComponent<P> = {
    load: () =>
      (pending ??= attempt().then(
        (module) => {
          lazy.loaded = module.default;
          return module.default;
        },
        (error: unknown) => {
          pending = undefined;
          throw error;
        },
      )),
  };
  return lazy;
}

// The component once its code has arrived (undefined until then), or the error that stopped it;
// `retry` asks for the code again. Code that failed to arrive (the server was down, or was updated
// meanwhile) is also asked for again when the server is back.
export function useLazyComponent<P>(lazy: LazyComponent<P>): { Component?: ComponentType<P>; error?: Error; retry: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [, setArrivals] = useState(0);
  const [error, setError] = useState<Error>();
  const Component = lazy.loaded;
  const retry = useCallback(() => {
    setError(undefined);
    setAttempt((n) => n + 1);
  }, []);
  useEffect(() => {
    // Keyed on what this render saw, not on `lazy.loaded` now: code that arrived between the render
    // and this effect still needs the re-render that shows it.
    if (Component) return undefined;
    let current = true;
    let stopListening: (() => void) | undefined;
    lazy.load().then(
      () => current && setArrivals((n) => n + 1),
      (e: unknown) => {
        if (!current) return;
        // Listening from here rather than from an effect of the render that shows the error: the
        // server can come back before React runs that effect, and its return would go unheard.
        stopListening = onReconnect(retry);
        setError(e instanceof Error ? e : new Error(String(e)));
      },
    );
    return () => {
      current = false;
      stopListening?.();
    };
  }, [lazy, Component, attempt, retry]);
  return { Component, error, retry };
}
