import { describe, expect, it } from 'vitest';

import { maseWords, methodWords, naiveWords } from './wording';

const NBSP = '\u00a0';

describe('forecast wording', () => {
  it('names the season the naive forecast repeats', () => {
    expect(naiveWords('day', 7)).toBe('repeating last week');
    expect(naiveWords('hour', 168)).toBe('repeating last week');
    expect(naiveWords('hour', 24)).toBe('repeating yesterday');
    expect(naiveWords('hour', 12)).toBe('repeating the value 12 hours earlier');
    expect(naiveWords('day', 0)).toBe('repeating the last day');
  });

  it('writes the scaled error as better or worse than the naive forecast', () => {
    expect(maseWords(0.71, 'day', 7)).toBe(`29${NBSP}% better than repeating last week`);
    expect(maseWords(1.4, 'day', 7)).toBe(`40${NBSP}% worse than repeating last week`);
    expect(maseWords(1.002, 'hour', 24)).toBe('as good as repeating yesterday');
  });

  it('says which method was used', () => {
    expect(methodWords({ method: 'seasonal_trend', season: 7, bucket: 'day' })).toBe('Trend with a season of 7 days');
    expect(methodWords({ method: 'level', season: 0, bucket: 'hour' })).toBe('Level only (the history is very short)');
  });
});
