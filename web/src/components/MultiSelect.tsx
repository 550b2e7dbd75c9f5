import { useEffect, useId, useMemo, useRef, useState } from 'react';

import { formatCount, formatExact } from '../format';
import { toggleValue } from '../state/filters';
import { usePopover } from './usePopover';

interface MultiSelectProps {
  label: string;
  options: string[];
  selected: string[];
  onChange: (values: string[]) => void;
  // Renders an option (a user's email as their name, say); the value itself by default.
  optionLabel?: (value: string) => string;
  // Events per value, when the server says (facets' optional `counts`).
  counts?: Record<string, number>;
  // Told when the list opens and closes (the filter bar then asks for the values under the other filters).
  onOpenChange?: (open: boolean) => void;
}

const SEARCH_FROM = 10; // options; shorter lists are quicker to scan than to search

// A dropdown of checkboxes. Escape closes it and returns focus to its button; so does Done. Focus
// moving elsewhere (Tab past its last control) or a click outside closes it too.
export function MultiSelect({ label, options, selected, onChange, optionLabel = (v) => v, counts, onOpenChange }: MultiSelectProps) {
  const [search, setSearch] = useState('');
  const { open, setOpen, close, button, rootProps } = usePopover();
  const popoverId = useId();
  const onOpenChangeRef = useRef(onOpenChange);
  onOpenChangeRef.current = onOpenChange;
  useEffect(() => {
    if (!open) return undefined;
    onOpenChangeRef.current?.(true);
    return () => onOpenChangeRef.current?.(false);
  }, [open]);

  // Values in the URL that the data no longer has stay visible, so that they can be cleared.
  const allOptions = useMemo(() => [...new Set([...selected, ...options])], [selected, options]);
  const needle = search.trim().toLowerCase();
  const shown = needle
    ? allOptions.filter((o) => o.toLowerCase().includes(needle) || optionLabel(o).toLowerCase().includes(needle))
    : allOptions;

  let summary = 'All';
  if (selected.length === 1) summary = optionLabel(selected[0]);
  else if (selected.length > 1) summary = `${selected.length} selected`;

  return (
    <div className="multiselect" {...rootProps}>
      <button
        ref={button}
        type="button"
        className="multiselect__button"
        aria-expanded={open}
        aria-controls={popoverId}
        data-active={selected.length > 0}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="multiselect__label">{label}</span>
        <span className="multiselect__summary">{summary}</span>
        <span aria-hidden="true" className="multiselect__caret">▾</span>
      </button>
      {open ? (
        <div className="multiselect__popover" id={popoverId} role="group" aria-label={`${label} filter`}>
          {allOptions.length >= SEARCH_FROM ? (
            <input
              type="search"
              className="multiselect__search"
              placeholder={`Search ${label.toLowerCase()}`}
              aria-label={`Search ${label.toLowerCase()}`}
              value={search}
              autoFocus
              onChange={(event) => setSearch(event.target.value)}
            />
          ) : null}
          <ul className="multiselect__options">
            {shown.map((option) => (
              <li key={option}>
                <label>
                  <input
                    type="checkbox"
                    checked={selected.includes(option)}
                    onChange={() => onChange(toggleValue(selected, option))}
                  />
                  <span title={option}>{optionLabel(option)}</span>
                  {counts && counts[option] !== undefined ? (
                    <span className="multiselect__count" aria-label={`${formatExact(counts[option])} events`}>
                      {formatCount(counts[option])}
                    </span>
                  ) : null}
                </label>
              </li>
            ))}
            {shown.length === 0 ? <li className="multiselect__none">No match</li> : null}
          </ul>
          <div className="multiselect__footer">
            <button type="button" className="button button--small" disabled={selected.length === 0} onClick={() => onChange([])}>
              Clear
            </button>
            <button type="button" className="button button--small" onClick={close}>
              Done
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
