import { describe, expect, it } from 'vitest';

import { filterParams, filtersFromSearch, isEmptyRange, NO_FILTERS, selectValue, withFilters } from './filters';

describe('filters in the URL', () => {
  it('reads dates and comma-separated lists', () => {
    const filters = filtersFromSearch(
      new URLSearchParams('from=2026-01-01&to=2026-01-31&practice=Data%20Engineering,ML%20Engineering&level=L4'),
    );
    expect(filters).toEqual({
      ...NO_FILTERS,
      from: '2026-01-01',
      to: '2026-01-31',
      practice: ['Data Engineering', 'ML Engineering'],
      level: ['L4'],
    });
  });

  it('accepts RFC 3339 instants as bounds', () => {
    const filters = filtersFromSearch(new URLSearchParams('from=2026-01-05T14:00:00Z&to=2026-01-05T15:00:00%2B01:00'));
    expect(filters.from).toBe('2026-01-05T14:00:00Z');
    expect(filters.to).toBe('2026-01-05T15:00:00+01:00');
  });

  it('drops malformed dates, empty and repeated values', () => {
    const filters = filtersFromSearch(new URLSearchParams('from=yesterday&to=2026-02-30&model=a,,a,b,'));
    expect(filters.from).toBeNull();
    expect(filters.to).toBeNull();
    expect(filters.model).toEqual(['a', 'b']);
  });

  it('keeps the event filters (tool, status code, error message) like the others', () => {
    const search = new URLSearchParams('tool=Bash&status_code=undefined,429&error=Request%20was%20aborted.');
    const filters = filtersFromSearch(search);
    expect(filters.tool).toEqual(['Bash']);
    expect(filters.status_code).toEqual(['undefined', '429']);
    expect(filters.error).toEqual(['Request was aborted.']);
    expect(filterParams(filters)).toEqual({ tool: 'Bash', status_code: 'undefined,429', error: 'Request was aborted.' });
    expect(withFilters(search, NO_FILTERS).toString()).toBe('');
  });

  it('writes only the filters that are set', () => {
    expect(filterParams({ ...NO_FILTERS, to: '2026-01-31', email: ['a@x.com', 'b@x.com'] })).toEqual({
      to: '2026-01-31',
      email: 'a@x.com,b@x.com',
    });
    expect(filterParams(NO_FILTERS)).toEqual({});
  });

  it('round-trips through the URL', () => {
    const filters = { ...NO_FILTERS, from: '2026-01-01', model: ['claude-opus-4-6'], location: ['United States', 'Poland'] };
    expect(filtersFromSearch(withFilters(new URLSearchParams(), filters))).toEqual(filters);
  });

  it('keeps page parameters and resets those named', () => {
    const search = new URLSearchParams('practice=Data&split=practice&offset=100');
    const next = withFilters(search, { ...NO_FILTERS, level: ['L3'] }, ['offset']);
    expect(next.get('practice')).toBeNull();
    expect(next.get('level')).toBe('L3');
    expect(next.get('split')).toBe('practice');
    expect(next.get('offset')).toBeNull();
  });
});

describe('custom attribute filters', () => {
  it('reads attr.<key> parameters, skipping empty keys and values', () => {
    const filters = filtersFromSearch(new URLSearchParams('attr.team.id=platform,infra&attr.=x&attr.cost_center=&model=m'));
    expect(filters.attributes).toEqual({ 'team.id': ['platform', 'infra'] });
    expect(filters.model).toEqual(['m']);
  });

  it('writes them as attr.<key> and replaces them in the URL', () => {
    const filters = { ...NO_FILTERS, attributes: { 'team.id': ['platform'], cost_center: ['cc-42', 'cc-7'] } };
    expect(filterParams(filters)).toEqual({ 'attr.cost_center': 'cc-42,cc-7', 'attr.team.id': 'platform' });
    const next = withFilters(new URLSearchParams('attr.old=x&split=practice'), filters);
    expect(next.get('attr.old')).toBeNull();
    expect(next.get('split')).toBe('practice');
    expect(filtersFromSearch(next)).toEqual(filters);
  });
});

describe('selecting a value from a chart', () => {
  it('narrows to the value, and a second click widens again', () => {
    const narrowed = selectValue({ ...NO_FILTERS, practice: ['A', 'B'] }, 'practice', 'B');
    expect(narrowed.practice).toEqual(['B']);
    expect(selectValue(narrowed, 'practice', 'B').practice).toEqual([]);
  });
});

describe('empty ranges', () => {
  it('are those whose start is after their end; a one-day range and open ends are not', () => {
    expect(isEmptyRange('2026-01-20', '2026-01-10')).toBe(true);
    expect(isEmptyRange('2026-01-10', '2026-01-10')).toBe(false);
    expect(isEmptyRange('2026-01-10T14:00:00Z', '2026-01-10T14:00:00Z')).toBe(true);
    expect(isEmptyRange('2026-01-10T14:00:00Z', '2026-01-10')).toBe(false);
    expect(isEmptyRange('2026-01-11', '2026-01-10T23:00:00Z')).toBe(true);
    expect(isEmptyRange(null, '2026-01-10')).toBe(false);
  });
});
