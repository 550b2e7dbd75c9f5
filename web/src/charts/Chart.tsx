import { useEffect, useRef } from 'react';

import { type Theme, useTheme } from '../state/theme';
import { type ChartOption, echarts, type ECElementEvent } from './echarts';
import { CATEGORICAL } from './palette';

interface ChartProps {
  option: ChartOption;
  // Names the chart for screen readers and the saved PNG.
  label: string;
  height?: number;
  // Called with the clicked element (a bar, a slice, a cell); pages use it to filter by that value.
  onSelect?: (event: ECElementEvent) => void;
}

const TEXT = { light: '#1f2933', dark: '#d7dde4' };
const SURFACE = { light: '#ffffff', dark: '#161b22' };

function fileName(label: string): string {
  return `ccanalytics-${label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
}

// Settings every chart shares: palette, short animations (a filter change must redraw quickly),
// accessible descriptions, a confined tooltip and the PNG export button.
function withDefaults(option: ChartOption, label: string, theme: Theme): ChartOption {
  const tooltip = (option.tooltip ?? {}) as Record<string, unknown>;
  return {
    backgroundColor: 'transparent',
    color: CATEGORICAL,
    animationDuration: 250,
    animationDurationUpdate: 200,
    aria: { enabled: true },
    textStyle: { fontFamily: 'inherit', color: TEXT[theme] },
    toolbox: {
      right: 0,
      top: 0,
      itemSize: 14,
      feature: {
        saveAsImage: {
          title: 'Save as PNG',
          name: fileName(label),
          pixelRatio: 2,
          backgroundColor: SURFACE[theme],
        },
      },
    },
    ...option,
    tooltip: { confine: true, trigger: 'item', ...tooltip },
  };
}

export function Chart({ option, label, height = 280, onSelect }: ChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);
  const onSelectRef = useRef(onSelect);
  const theme = useTheme();

  useEffect(() => {
    onSelectRef.current = onSelect;
  }, [onSelect]);

  // The built-in dark theme only takes effect at init, so a theme change makes a new instance.
  useEffect(() => {
    const container = element.current;
    if (!container) return undefined;
    const instance = echarts.init(container, theme === 'dark' ? 'dark' : undefined);
    chart.current = instance;
    instance.on('click', (event) => onSelectRef.current?.(event as ECElementEvent));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(container);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [theme]);

  useEffect(() => {
    chart.current?.setOption(withDefaults(option, label, theme), { notMerge: true });
  }, [option, label, theme]);

  return (
    <div
      ref={element}
      className={onSelect ? 'chart chart--selectable' : 'chart'}
      style={{ height }}
      role="img"
      aria-label={onSelect ? `${label}. Click an element to filter by it.` : label}
    />
  );
}
