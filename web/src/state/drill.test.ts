import { afterEach, describe, expect, it } from 'vitest';

import { bucketPeriod, bucketsPeriod, canFilterBy, drillHref, filteredToDimension, sessionsOfBucketHref } from './drill';
import { NO_FILTERS } from './filters';

describe('drilling down', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('turns a time bucket into the period it covers', () => {
    expect(bucketPeriod('2026-01-27T00:00:00Z', 'day')).toEqual({ from: '2026-01-27', to: '2026-01-27' });
    expect(bucketPeriod('2026-01-26T00:00:00Z', 'week')).toEqual({ from: '2026-01-26', to: '2026-02-01' });
    expect(bucketPeriod('2026-01-27T14:00:00Z', 'hour')).toEqual({ from: '2026-01-27T14:00:00Z', to: '2026-01-27T15:00:00Z' });
  });

  it('turns a run of buckets, its end exclusive, into the period it covers', () => {
    expect(bucketsPeriod('2026-01-27T00:00:00Z', '2026-01-28T00:00:00Z', 'day')).toEqual({ from: '2026-01-27', to: '2026-01-27' });
    expect(bucketsPeriod('2026-01-30T00:00:00Z', '2026-02-02T00:00:00Z', 'day')).toEqual({ from: '2026-01-30', to: '2026-02-01' });
    expect(bucketsPeriod('2026-01-27T14:00:00Z', '2026-01-27T16:00:00Z', 'hour')).toEqual({
      from: '2026-01-27T14:00:00Z',
      to: '2026-01-27T16:00:00Z',
    });
  });

  it('narrows to a value of a list filter or a custom attribute, and to nothing else', () => {
    const filters = { ...NO_FILTERS, practice: ['A', 'B'] };
    expect(filteredToDimension(filters, 'practice', 'B')).toEqual({ ...filters, practice: ['B'] });
    expect(filteredToDimension(filters, 'attr.team.id', 'red')).toEqual({ ...filters, attributes: { 'team.id': ['red'] } });
    expect(filteredToDimension(filters, 'event_type', 'api_error')).toBeNull();
    expect(filteredToDimension(filters, 'error', 'Overloaded, try again')).toBeNull();
  });

  it("keeps this page's view, starts another page's fresh, and drops the page offset", () => {
    window.history.replaceState(null, '', '/reliability?fails=status_code&offset=50&practice=A');
    const filters = { ...NO_FILTERS, practice: ['A'], error: ['Internal server error'] };
    expect(drillHref(filters, { changed_by: 'email' })).toBe(
      '/reliability?fails=status_code&practice=A&error=Internal+server+error&changed_by=email',
    );
    expect(sessionsOfBucketHref(filters, '2026-01-27T00:00:00Z', 'day')).toBe(
      '/sessions?from=2026-01-27&to=2026-01-27&practice=A&error=Internal+server+error&sort=api_errors&order=desc',
    );
  });

  it('refuses values a comma-separated list cannot hold', () => {
    expect(canFilterBy('Overloaded, try again')).toBe(false);
    expect(canFilterBy('undefined')).toBe(true);
    expect(canFilterBy('')).toBe(false);
  });
});
