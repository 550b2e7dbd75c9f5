import { lazyComponent, useLazyComponent } from '../lazyComponent';
import { ChartTable } from './ChartTable';
import type { ChartProps } from './EChart';

// ECharts is most of the dashboard's JavaScript. Loading it apart from the pages lets a page render
// and send its API requests while the library still downloads and compiles, instead of after.
const EChart = lazyComponent(() => import('./EChart'));

export function preloadCharts(): void {
  void EChart.load();
}

// A chart, and its figures as a table behind a "Show as table" button (ChartTable), whose rows
// do what clicking the chart's elements does: pages get the keyboard drill-down by passing
// `onSelect`. The table needs no ECharts, so it works before and without the library.
export function Chart(props: ChartProps) {
  const { Component, error } = useLazyComponent(EChart);
  return (
    <div className="chart-frame">
      {Component ? (
        <Component {...props} />
      ) : (
        <div className="chart" style={{ height: props.height ?? 280 }} aria-hidden={!error}>
          {error ? <p className="panel__empty">The chart could not be loaded. Reload the page to try again.</p> : null}
        </div>
      )}
      <ChartTable option={props.option} label={props.label} onSelect={props.onSelect} />
    </div>
  );
}
