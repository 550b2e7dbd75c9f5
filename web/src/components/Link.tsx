import type { AnchorHTMLAttributes, MouseEvent } from 'react';

import { navigate } from '../router';

// An anchor that navigates inside the app; modified clicks (new tab, download) stay the browser's.
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
    window.scrollTo({ top: 0 });
  };
  return <a href={href} onClick={handleClick} {...rest} />;
}
