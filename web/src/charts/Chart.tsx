import { lazyComponent, useLazyComponent } from '../lazyComponent';
import type { ChartProps } from './EChart';

// ECharts is most of the dashboard's JavaScript. Loading it apart from the pages lets a page render
// and send its API requests while the library still downloads and compiles, instead of after.
const EChart = lazyComponent(() => import('./EChart'));

export function preloadCharts(): void {
  void EChart.load();
}

export function Chart(props: ChartProps) {
  const { Component, error } = useLazyComponent(EChart);
  if (Component) return <Component {...props} />;
  return (
    <div className="chart" style={{ height: props.height ?? 280 }} aria-hidden={!error}>
      {error ? <p className="panel__empty">The chart could not be loaded: {error.message}</p> : null}
    </div>
  );
}
