import { type RefObject, useLayoutEffect, useState } from 'react';

// How close to the viewport counts as near: content just below the fold is ready when reached.
export const NEAR_VIEWPORT_PX = 200;

function isNearViewport(element: HTMLElement): boolean {
  const box = element.getBoundingClientRect();
  return box.bottom > -NEAR_VIEWPORT_PX && box.top < window.innerHeight + NEAR_VIEWPORT_PX;
}

// Whether the element is within NEAR_VIEWPORT_PX of the viewport, following the scroll. `sticky`
// keeps it true once it has been (a chart drawn once stays drawn). Without IntersectionObserver
// everything counts as near.
export function useNearViewport(element: RefObject<HTMLElement | null>, sticky: boolean): boolean {
  const [near, setNear] = useState(() => typeof IntersectionObserver === 'undefined');
  // A layout effect: what is in view already counts in the commit that shows it, before the first
  // paint, rather than a frame later when an observer would first report.
  useLayoutEffect(() => {
    const target = element.current;
    if (!target || typeof IntersectionObserver === 'undefined' || (sticky && near)) return undefined;
    const nearNow = isNearViewport(target);
    if (nearNow !== near) {
      setNear(nearNow);
      return undefined;
    }
    const observer = new IntersectionObserver((entries) => setNear(entries[entries.length - 1].isIntersecting), {
      rootMargin: `${NEAR_VIEWPORT_PX}px 0px`,
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [element, sticky, near]);
  return near;
}
