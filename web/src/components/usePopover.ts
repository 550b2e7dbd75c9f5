import { type FocusEvent, type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';

// A button and the popover it opens. The popover closes on Escape (focus returns to the button),
// when focus moves outside it (Tab past its last control), and on a click outside.
export function usePopover() {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return undefined;
    const onPointerDown = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const close = useCallback(() => {
    setOpen(false);
    button.current?.focus();
  }, []);

  // Handlers for the element that holds both the button and the popover.
  const rootProps = {
    ref: root,
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key === 'Escape' && open) {
        event.stopPropagation();
        close();
      }
    },
    onBlur: (event: FocusEvent) => {
      // relatedTarget is where focus goes; null when it leaves the document or goes nowhere
      // focusable (a click on the page's background), which the pointer handler covers.
      const next = event.relatedTarget as Node | null;
      if (open && next && !root.current?.contains(next)) setOpen(false);
    },
  };

  return { open, setOpen, close, button, rootProps };
}
