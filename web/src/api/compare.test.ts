import { describe, expect, it } from 'vitest';

import { NO_FILTERS } from '../state/filters';
import { metrics } from '../test/fixtures';
import { bucketsFit, changesOf, comparedParams, compareRange } from './compare';

describe('comparison with the previous period', () => {
  it('needs a period: all time has nothing before it, an open end takes the data extent', () => {
    expect(compareRange(NO_FILTERS, '2026-01-01', '2026-02-01')).toBeNull();
    expect(compareRange({ ...NO_FILTERS, from: '2026-01-20' }, '2026-01-01', '2026-02-01')).toEqual({ from: '2026-01-20', to: '2026-02-01' });
    expect(compareRange({ ...NO_FILTERS, to: '2026-01-20' }, '2026-01-01', '2026-02-01')).toEqual({ from: '2026-01-01', to: '2026-01-20' });
    // The extent not known yet: no comparison rather than a 400.
    expect(compareRange({ ...NO_FILTERS, from: '2026-01-20' }, null, null)).toBeNull();
  });

  it('asks with both ends and compare=previous, keeping the other filters', () => {
    const filters = { ...NO_FILTERS, from: '2026-01-20', practice: ['ML Engineering'], status_code: ['429'] };
    expect(comparedParams(filters, { from: '2026-01-20', to: '2026-02-01' })).toEqual({
      from: '2026-01-20',
      to: '2026-02-01',
      practice: 'ML Engineering',
      status_code: '429',
      compare: 'previous',
    });
    expect(comparedParams(filters, null)).toEqual({ from: '2026-01-20', practice: 'ML Engineering', status_code: '429' });
  });

  it('compares a time series only over a whole number of its buckets', () => {
    expect(bucketsFit({ from: '2026-01-01', to: '2026-01-14' }, 'day')).toBe(true);
    expect(bucketsFit({ from: '2026-01-01', to: '2026-01-14' }, 'week')).toBe(true);
    expect(bucketsFit({ from: '2026-01-01', to: '2026-01-10' }, 'week')).toBe(false);
    expect(bucketsFit({ from: '2026-01-05T14:00:00Z', to: '2026-01-05T17:00:00Z' }, 'hour')).toBe(true);
    expect(bucketsFit({ from: '2026-01-05T14:30:00Z', to: '2026-01-05T17:00:00Z' }, 'hour')).toBe(false);
  });

  it('merges the rows with the keys present only before', () => {
    const changes = changesOf({
      by: 'practice',
      rows: [
        { key: 'Data Engineering', ...metrics({ events: 10, cost_usd: 40 }), previous: metrics({ events: 8, cost_usd: 30 }) },
        { key: 'Platform', ...metrics({ events: 3, cost_usd: 5 }), previous: metrics({}) },
      ],
      previous_only: [{ key: 'ML Engineering', previous: metrics({ events: 4, cost_usd: 12 }) }],
      previous_range: { from: '2026-01-08T00:00:00Z', to: '2026-01-15T00:00:00Z' },
    });
    expect(changes.map((c) => [c.key, c.presence, c.current.cost_usd, c.previous.cost_usd])).toEqual([
      ['Data Engineering', 'both', 40, 30],
      ['Platform', 'new', 5, 0],
      ['ML Engineering', 'gone', 0, 12],
    ]);
    // The current row carries no nested previous of its own.
    expect('previous' in changes[0].current).toBe(false);
  });

  it('has no changes for an answer without a comparison', () => {
    expect(changesOf({ by: 'practice', rows: [{ key: 'Data Engineering', ...metrics({ events: 1 }) }] })).toEqual([]);
  });
});
