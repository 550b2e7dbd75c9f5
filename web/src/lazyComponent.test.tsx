import { render, screen } from '@testing-library/react';
import { useLayoutEffect } from 'react';
import { describe, expect, it } from 'vitest';

import { reportReachable, reportUnreachable } from './api/connectivity';
import { type LazyComponent, lazyComponent, useLazyComponent } from './lazyComponent';

function Slot({ lazy }: { lazy: LazyComponent<{ name: string }> }) {
  const { Component, error } = useLazyComponent(lazy);
  if (error) return <p>failed: {error.message}</p>;
  return Component ? <Component name="Ada" /> : <p>loading</p>;
}

describe('lazyComponent', () => {
  it('renders a placeholder until the code arrives, then the component', async () => {
    const lazy = lazyComponent(async () => ({ default: ({ name }: { name: string }) => <p>hello {name}</p> }));
    render(<Slot lazy={lazy} />);
    expect(screen.getByText('loading')).toBeInTheDocument();
    expect(await screen.findByText('hello Ada')).toBeInTheDocument();
  });

  it('renders at once once loaded', async () => {
    const lazy = lazyComponent<{ name: string }>(async () => ({ default: () => <p>ready</p> }));
    await lazy.load();
    render(<Slot lazy={lazy} />);
    expect(screen.getByText('ready')).toBeInTheDocument();
  });

  it('renders code that arrives between its render and its effect', async () => {
    const Ready = () => <p>ready</p>;
    const lazy: LazyComponent<{ name: string }> = { load: () => Promise.resolve(Ready) };
    // Layout effects run before passive ones: this one plays the chunk arriving in between.
    function Arrive() {
      useLayoutEffect(() => {
        lazy.loaded = Ready;
      }, []);
      return null;
    }
    render(
      <>
        <Slot lazy={lazy} />
        <Arrive />
      </>,
    );
    expect(await screen.findByText('ready')).toBeInTheDocument();
  });

  it('reports a chunk that fails to load', async () => {
    const lazy = lazyComponent<{ name: string }>(() => Promise.reject(new Error('chunk missing')), []);
    render(<Slot lazy={lazy} />);
    expect(await screen.findByText('failed: chunk missing')).toBeInTheDocument();
  });

  it('imports once however often it is asked, and again after a failure', async () => {
    let calls = 0;
    const lazy = lazyComponent<{ name: string }>(() => {
      calls += 1;
      return calls === 1 ? Promise.reject(new Error('offline')) : Promise.resolve({ default: () => <p>ready</p> });
    }, []);
    await expect(lazy.load()).rejects.toThrow('offline');
    const [first, second] = [lazy.load(), lazy.load()];
    expect(first).toBe(second);
    await first;
    expect(calls).toBe(2);
  });

  it('tries a failed import again after a pause before it reports the failure', async () => {
    let calls = 0;
    const lazy = lazyComponent<{ name: string }>(() => {
      calls += 1;
      return calls < 3 ? Promise.reject(new Error('Failed to fetch dynamically imported module')) : Promise.resolve({ default: () => <p>ready</p> });
    }, [1, 1]);
    render(<Slot lazy={lazy} />);
    expect(await screen.findByText('ready')).toBeInTheDocument();
    expect(calls).toBe(3);

    let failures = 0;
    const broken = lazyComponent<{ name: string }>(() => {
      failures += 1;
      return Promise.reject(new Error('gone'));
    }, [1]);
    await expect(broken.load()).rejects.toThrow('gone');
    expect(failures).toBe(2);
  });

  it('asks again for code that failed when the server is back, even at once after the failure', async () => {
    let deployed = false;
    const lazy = lazyComponent<{ name: string }>(
      () => (deployed ? Promise.resolve({ default: () => <p>ready</p> }) : Promise.reject(new Error('offline'))),
      [],
    );
    render(<Slot lazy={lazy} />);
    // The server is back before React has shown the failure: this callback runs right after the
    // hook's own, in the same microtask queue.
    await lazy.load().catch(() => {
      deployed = true;
      reportUnreachable();
      reportReachable();
    });
    expect(await screen.findByText('ready')).toBeInTheDocument();
  });
});
