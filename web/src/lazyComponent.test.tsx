import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

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

  it('reports a chunk that fails to load', async () => {
    const lazy = lazyComponent<{ name: string }>(() => Promise.reject(new Error('chunk missing')));
    render(<Slot lazy={lazy} />);
    expect(await screen.findByText('failed: chunk missing')).toBeInTheDocument();
  });
});
