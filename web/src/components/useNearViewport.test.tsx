import { act, render, screen } from '@testing-library/react';
import { useRef } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { useNearViewport } from './useNearViewport';

// A stand-in IntersectionObserver that the test drives by hand.
class FakeObserver {
  static instances: FakeObserver[] = [];
  callback: IntersectionObserverCallback;
  observed: Element[] = [];
  constructor(callback: IntersectionObserverCallback) {
    this.callback = callback;
    FakeObserver.instances.push(this);
  }
  observe(element: Element) {
    this.observed.push(element);
  }
  disconnect() {
    this.observed = [];
  }
  report(isIntersecting: boolean) {
    act(() => this.callback([{ isIntersecting } as IntersectionObserverEntry], this as unknown as IntersectionObserver));
  }
}

function Probe({ sticky }: { sticky: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const near = useNearViewport(ref, sticky);
  return (
    <div ref={ref}>
      {near ? 'near' : 'far'}
    </div>
  );
}

// Where the element is relative to the viewport; scrolling moves it and the observer reports it.
let elementTop = 0;

function renderAt(top: number, sticky: boolean) {
  elementTop = top;
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(
    () =>
      ({
        top: elementTop,
        bottom: elementTop + 100,
        left: 0,
        right: 100,
        width: 100,
        height: 100,
        x: 0,
        y: elementTop,
        toJSON: () => ({}),
      }) as DOMRect,
  );
  render(<Probe sticky={sticky} />);
}

const activeObserver = () => FakeObserver.instances.filter((o) => o.observed.length > 0).at(-1)!;

function scrollTo(top: number) {
  elementTop = top;
  activeObserver().report(top < window.innerHeight);
}

describe('useNearViewport', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    FakeObserver.instances = [];
  });

  it('counts everything as near without IntersectionObserver', () => {
    vi.stubGlobal('IntersectionObserver', undefined);
    renderAt(5000, false);
    expect(screen.getByText('near')).toBeInTheDocument();
  });

  it('knows at once that an element in view is near', () => {
    vi.stubGlobal('IntersectionObserver', FakeObserver);
    renderAt(100, false);
    expect(screen.getByText('near')).toBeInTheDocument();
  });

  it('follows the scroll unless sticky', () => {
    vi.stubGlobal('IntersectionObserver', FakeObserver);
    renderAt(5000, false);
    expect(screen.getByText('far')).toBeInTheDocument();
    scrollTo(100);
    expect(screen.getByText('near')).toBeInTheDocument();
    scrollTo(5000);
    expect(screen.getByText('far')).toBeInTheDocument();
  });

  it('stays near once it has been, when sticky', () => {
    vi.stubGlobal('IntersectionObserver', FakeObserver);
    renderAt(5000, true);
    expect(screen.getByText('far')).toBeInTheDocument();
    scrollTo(100);
    expect(screen.getByText('near')).toBeInTheDocument();
    // Nothing watches it any more: scrolling away cannot take it back.
    expect(FakeObserver.instances.every((o) => o.observed.length === 0)).toBe(true);
  });
});
