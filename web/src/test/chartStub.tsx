import type { ECElementEvent } from '../charts/echarts';

// Stands in for the ECharts canvas (jsdom has none). Tests reach a chart's click handler by its
// label to play a click on one of its elements.
export const chartClicks = new Map<string, (event: Partial<ECElementEvent>) => void>();

export function ChartStub({ label, onSelect }: { label: string; onSelect?: (event: ECElementEvent) => void }) {
  if (onSelect) chartClicks.set(label, onSelect as (event: Partial<ECElementEvent>) => void);
  return <div role="img" aria-label={label} />;
}
