// Code splitting without Suspense. React reveals content that replaces a Suspense fallback no
// sooner than 300 ms after the fallback appeared (to avoid flicker); for a dashboard whose pages
// and charts arrive in well under that, the throttle would be most of the load time.

import { type ComponentType, useCallback, useEffect, useState } from 'react';

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
// `retry` asks for the code again.
export function useLazyComponent<P>(lazy: LazyComponent<P>): { Component?: ComponentType<P>; error?: Error; retry: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [, setArrivals] = useState(0);
  const [error, setError] = useState<Error>();
  const Component = lazy.loaded;
  useEffect(() => {
    // Keyed on what this render saw, not on `lazy.loaded` now: code that arrived between the render
    // and this effect still needs the re-render that shows it.
    if (Component) return undefined;
    let current = true;
    lazy.load().then(
      () => current && setArrivals((n) => n + 1),
      (e: unknown) => current && setError(e instanceof Error ? e : new Error(String(e))),
    );
    return () => {
      current = false;
    };
  }, [lazy, Component, attempt]);
  const retry = useCallback(() => {
    setError(undefined);
    setAttempt((n) => n + 1);
  }, []);
  return { Component, error, retry };
}
