// How the Insights page words a forecast's method and how well it did on its own history.

import type { Forecast, InsightBucket } from '../api/types';
import { formatPercent } from '../format';

const HOURS_PER_BUCKET: Record<InsightBucket, number> = { day: 24, hour: 1 };

// What the seasonal naive forecast, the yardstick of the backtest, does: repeat the season before.
export function naiveWords(bucket: InsightBucket, season: number): string {
  // Without a season, the naive forecast repeats the last value.
  if (season <= 1) return `repeating the last ${bucket}`;
  const hours = season * HOURS_PER_BUCKET[bucket];
  if (hours === 168) return 'repeating last week';
  if (hours === 24) return 'repeating yesterday';
  return `repeating the value ${season} ${bucket}s earlier`;
}

// The mean absolute scaled error as people read it: below 1 the forecast's errors were smaller than
// the naive forecast's, by 1 − MASE of them ("29 % better than repeating last week").
export function maseWords(mase: number, bucket: InsightBucket, season: number): string {
  const naive = naiveWords(bucket, season);
  const change = Math.abs(1 - mase);
  if (Math.round(change * 100) === 0) return `as good as ${naive}`;
  return `${formatPercent(change, 0)} ${mase < 1 ? 'better' : 'worse'} than ${naive}`;
}

export function methodWords(forecast: Pick<Forecast, 'method' | 'season' | 'bucket'>): string {
  switch (forecast.method) {
    case 'seasonal_trend':
      return `Trend with a season of ${forecast.season} ${forecast.bucket}s`;
    case 'trend':
      return 'Trend without a season (under two seasons of history)';
    case 'level':
      return 'Level only (the history is very short)';
    default:
      // A method newer than this dashboard, by its name.
      return forecast.method;
  }
}
