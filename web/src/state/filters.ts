// The global filter state and its URL form. The URL is the only store of the filters, so that a
// copied link reproduces the view; these functions convert between the two.

// `tool`, `status_code` and `error` select events rather than people or places: only events that
// carry the attribute match (`status_code=429` keeps those api_error events alone), so they come
// from the drill-downs of what fails rather than being set up front.
export const LIST_FILTER_KEYS = ['practice', 'level', 'location', 'model', 'email', 'terminal', 'tool', 'status_code', 'error'] as const;
export const EVENT_FILTER_KEYS = ['tool', 'status_code', 'error'] as const;
export type ListFilterKey = (typeof LIST_FILTER_KEYS)[number];

export interface Filters {
  from: string | null; // YYYY-MM-DD (UTC day, inclusive) or an RFC 3339 instant (inclusive)
  to: string | null; // YYYY-MM-DD (UTC day, inclusive) or an RFC 3339 instant (exclusive)
  practice: string[];
  level: string[];
  location: string[];
  model: string[];
  email: string[];
  terminal: string[];
  tool: string[];
  status_code: string[];
  error: string[];
  // Custom attributes (`attr.<key>` in the URL and the API), by key; no empty lists.
  attributes: Record<string, string[]>;
}

export const ATTRIBUTE_PREFIX = 'attr.';

export const NO_FILTERS: Filters = {
  from: null,
  to: null,
  practice: [],
  level: [],
  location: [],
  model: [],
  email: [],
  terminal: [],
  tool: [],
  status_code: [],
  error: [],
  attributes: {},
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function isDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  // Date.parse rolls 2026-02-30 over into March; a real day survives the round trip.
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

export function isInstant(value: string): boolean {
  return INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

// A range that holds no time at all: its start after its end (days count whole, both included;
// an instant `to` is exclusive). Nothing is asked of the API for it.
export function isEmptyRange(from: string | null | undefined, to: string | null | undefined): boolean {
  if (!from || !to) return false;
  const start = isDay(from) ? Date.parse(`${from}T00:00:00Z`) : Date.parse(from);
  const end = isDay(to) ? Date.parse(`${to}T00:00:00Z`) + 86_400_000 : Date.parse(to);
  return Number.isFinite(start) && Number.isFinite(end) && start >= end;
}

// A hand-edited link with a malformed date loses that bound instead of making every request fail.
function parseBound(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  return isDay(trimmed) || isInstant(trimmed) ? trimmed : null;
}

function parseList(value: string | null): string[] {
  if (!value) return [];
  const values = value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  return [...new Set(values)];
}

export function filtersFromSearch(search: URLSearchParams): Filters {
  const filters: Filters = { ...NO_FILTERS, from: parseBound(search.get('from')), to: parseBound(search.get('to')) };
  for (const key of LIST_FILTER_KEYS) filters[key] = parseList(search.get(key));
  const attributes: Record<string, string[]> = {};
  for (const name of [...new Set(search.keys())].sort()) {
    const key = name.slice(ATTRIBUTE_PREFIX.length);
    if (!name.startsWith(ATTRIBUTE_PREFIX) || key.length === 0) continue;
    const values = parseList(search.get(name));
    if (values.length > 0) attributes[key] = values;
  }
  filters.attributes = attributes;
  return filters;
}

// The filters as API query parameters: only those set, lists comma-separated.
export function filterParams(filters: Filters): Record<string, string> {
  const params: Record<string, string> = {};
  if (filters.from) params.from = filters.from;
  if (filters.to) params.to = filters.to;
  for (const key of LIST_FILTER_KEYS) {
    if (filters[key].length > 0) params[key] = filters[key].join(',');
  }
  for (const key of Object.keys(filters.attributes).sort()) {
    const values = filters.attributes[key];
    if (values.length > 0) params[ATTRIBUTE_PREFIX + key] = values.join(',');
  }
  return params;
}

// `search` with its filter parameters replaced by `filters`; other parameters (a page's own view
// state) are kept, except those named in `reset`, which depend on the filtered rows (a page offset).
export function withFilters(search: URLSearchParams, filters: Filters, reset: string[] = []): URLSearchParams {
  const next = new URLSearchParams(search);
  for (const key of ['from', 'to', ...LIST_FILTER_KEYS, ...reset]) next.delete(key);
  for (const key of [...search.keys()]) if (key.startsWith(ATTRIBUTE_PREFIX)) next.delete(key);
  for (const [key, value] of Object.entries(filterParams(filters))) next.set(key, value);
  return next;
}

export function toggleValue(values: string[], value: string): string[] {
  return values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
}

// The attribute filters with key's values replaced; a key without values is dropped.
export function withAttribute(attributes: Record<string, string[]>, key: string, values: string[]): Record<string, string[]> {
  const next = { ...attributes };
  if (values.length > 0) next[key] = values;
  else delete next[key];
  return next;
}

// A click on a chart element narrows the view to that value; a second click on it widens it again.
export function selectValue(filters: Filters, key: ListFilterKey, value: string): Filters {
  const only = filters[key].length === 1 && filters[key][0] === value;
  return { ...filters, [key]: only ? [] : [value] };
}
