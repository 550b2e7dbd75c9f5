// The only place that imports ECharts: registering just the chart kinds and components the
// dashboard draws keeps the library at a fraction of its full size in the bundle.

import { BarChart, HeatmapChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent,
  CalendarComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkPointComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { registerFeature } from 'echarts/lib/component/toolbox/featureManager.js';
import SaveAsImage from 'echarts/lib/component/toolbox/feature/SaveAsImage.js';
import ToolboxModel from 'echarts/lib/component/toolbox/ToolboxModel.js';
import ToolboxView from 'echarts/lib/component/toolbox/ToolboxView.js';

// ECharts' toolbox with only its "save as image" feature: the stock ToolboxComponent also
// installs zoom, brush and data-view features, 15 KB gzipped the dashboard does not use.
interface ComponentRegisters {
  registerComponentModel(model: unknown): void;
  registerComponentView(view: unknown): void;
}

function installSaveAsImageToolbox(registers: ComponentRegisters) {
  registers.registerComponentModel(ToolboxModel);
  registers.registerComponentView(ToolboxView);
  registerFeature('saveAsImage', SaveAsImage);
}

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  PieChart,
  ScatterChart,
  AriaComponent,
  CalendarComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkPointComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
  installSaveAsImageToolbox,
  CanvasRenderer,
]);

export { echarts };
export type { EChartsCoreOption as ChartOption, ECElementEvent } from 'echarts/core';
