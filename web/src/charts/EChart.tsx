import { useEffect, useMemo, useRef } from 'react';

import { useNearViewport } from '../components/useNearViewport';

import { type Theme, useTheme } from '../state/theme';
import { type ChartOption, echarts, type ECElementEvent } from './echarts';
import { CATEGORICAL } from './palette';

export interface ChartProps {
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

// Settings every chart shares: palette, no animation, accessible descriptions, a confined tooltip
// and the PNG export button.
// `font` is the page's own font stack: canvas text cannot `inherit` it (an invalid font is ignored,
// and ECharts would then measure labels in one font and draw them in another).
function withDefaults(option: ChartOption, label: string, theme: Theme, font: string): ChartOption {
  const tooltip = (option.tooltip ?? {}) as Record<string, unknown>;
  return {
    backgroundColor: 'transparent',
    color: CATEGORICAL,
    // Figures, not motion: without animation a filter change redraws at once and costs less CPU.
    animation: false,
    aria: { enabled: true },
    textStyle: { fontFamily: font, color: TEXT[theme] },
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

export default function EChart({ option, label, height = 280, onSelect }: ChartProps) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);
  const onSelectRef = useRef(onSelect);
  const theme = useTheme();
  // Pages build options while rendering, so every re-render hands over a new object; redrawing
  // only when its content changed keeps a page that re-renders once per arriving answer from
  // redrawing each of its charts as often. (Formatters are functions and do not serialise;
  // they follow the data and the label, which do.)
  const optionKey = useMemo(() => `${label}\u0000${JSON.stringify(option)}`, [option, label]);
  const optionRef = useRef(option);
  optionRef.current = option;

  // Charts further down a page are drawn when they are scrolled to: drawing is most of a page's
  // work, and the charts in view come first.
  const visible = useNearViewport(element, true);

  useEffect(() => {
    onSelectRef.current = onSelect;
  }, [onSelect]);

  // The built-in dark theme only takes effect at init, so a theme change makes a new instance.
  useEffect(() => {
    const container = element.current;
    if (!container || !visible) return undefined;
    const instance = echarts.init(container, theme === 'dark' ? 'dark' : undefined);
    chart.current = instance;
    instance.on('click', (event) => onSelectRef.current?.(event as ECElementEvent));
    // The observer also reports the initial size, which init already used: resize only on change.
    let width = container.clientWidth;
    let height = container.clientHeight;
    const observer = new ResizeObserver(() => {
      if (container.clientWidth === width && container.clientHeight === height) return;
      width = container.clientWidth;
      height = container.clientHeight;
      instance.resize();
    });
    observer.observe(container);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [theme, visible]);

  // `data-drawn` tells tests whether the chart shows its current figures.
  useEffect(() => {
    const container = element.current;
    if (!container) return;
    if (!chart.current) {
      container.dataset.drawn = 'false';
      return;
    }
    chart.current.setOption(withDefaults(optionRef.current, label, theme, getComputedStyle(container).fontFamily), {
      notMerge: true,
    });
    container.dataset.drawn = 'true';
  }, [optionKey, label, theme, visible]);

  return (
    <div
      ref={element}
      className={onSelect ? 'chart chart--selectable' : 'chart'}
      style={{ height }}
      role="img"
      aria-label={onSelect ? `${label}. Click an element, or choose its row in the table below, to filter by it.` : label}
    />
  );
}
