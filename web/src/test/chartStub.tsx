import type { ChartOption, ECElementEvent } from '../charts/echarts';

// Stands in for the ECharts canvas (jsdom has none). Tests reach a chart's click handler by its
// label to play a click on one of its elements.
export const chartClicks = new Map<string, (event: Partial<ECElementEvent>) => void>();
// The option each chart was last drawn with, by label: tests read the series a chart was given.
export const chartOptions = new Map<string, ChartOption>();

export function ChartStub({ label, onSelect, option }: { label: string; onSelect?: (event: ECElementEvent) => void; option: ChartOption }) {
  chartOptions.set(label, option);
  if (onSelect) chartClicks.set(label, onSelect as (event: Partial<ECElementEvent>) => void);
  return <div role="img" aria-label={label} />;
}
