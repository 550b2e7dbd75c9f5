// Forecasts and anomalies laid over a time chart: the Insights page draws them on their own series,
// the Overview on its cost trend.

import type { Anomaly, Forecast } from '../api/types';
import type { BandData, MarkerData, SeriesData } from '../charts/options';
import { SEMANTIC } from '../charts/palette';

export const FORECAST_LINE = 'Forecast';
export const INTERVAL_80 = '80 % interval';
export const INTERVAL_95 = '95 % interval';

// The buckets a forecast adds after the last of `times` (its own history, or another chart's
// buckets of the same series), and its line and bands over all of them: nothing before the forecast
// starts, which leaves the chart's own figures alone up to there.
export function forecastLayers(
  forecast: Forecast,
  times: string[],
  colour = SEMANTIC.input,
): { times: string[]; lines: SeriesData[]; bands: BandData[] } {
  const last = times.length > 0 ? Date.parse(times[times.length - 1]) : -Infinity;
  const ahead = forecast.points.filter((p) => Date.parse(p.t) > last);
  const before: null[] = times.map(() => null);
  const after = (values: number[]) => [...before, ...values];
  return {
    times: [...times, ...ahead.map((p) => p.t)],
    lines: [{ name: FORECAST_LINE, values: after(ahead.map((p) => p.value)), colour }],
    // The wider band first: the narrower one is drawn over it, darker where they overlap.
    bands: [
      { name: INTERVAL_95, lo: after(ahead.map((p) => p.lo95)), hi: after(ahead.map((p) => p.hi95)), colour, opacity: 0.12 },
      { name: INTERVAL_80, lo: after(ahead.map((p) => p.lo80)), hi: after(ahead.map((p) => p.hi80)), colour, opacity: 0.2 },
    ],
  };
}

// Anomalies as markers on a chart of `times`, each at the height `valueAt` gives for its first
// bucket (on a stacked chart, the top of the stack). Anomalies outside the chart's buckets are left
// out.
export function anomalyMarkers(
  anomalies: Anomaly[],
  times: string[],
  valueAt: (index: number, anomaly: Anomaly) => number,
  format: (value: number) => string,
): MarkerData[] {
  const indexOf = new Map(times.map((t, i) => [Date.parse(t), i]));
  return anomalies.flatMap((anomaly) => {
    const first = indexOf.get(Date.parse(anomaly.start));
    if (first === undefined) return [];
    // The end is exclusive: the last bucket is the last one starting before it.
    const end = Date.parse(anomaly.end);
    let last = first;
    while (last + 1 < times.length && Date.parse(times[last + 1]) < end) last++;
    const where = anomaly.direction === 'up' ? 'Above' : 'Below';
    return [{ index: first, lastIndex: last, value: valueAt(first, anomaly), label: `${where} expected: ${format(anomaly.value)}` }];
  });
}
