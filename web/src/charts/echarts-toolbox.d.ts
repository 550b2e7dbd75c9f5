// ECharts ships no declarations for its internal modules; these are the ones echarts.ts installs.
declare module 'echarts/lib/component/toolbox/ToolboxModel.js' {
  const ToolboxModel: unknown;
  export default ToolboxModel;
}

declare module 'echarts/lib/component/toolbox/ToolboxView.js' {
  const ToolboxView: unknown;
  export default ToolboxView;
}

declare module 'echarts/lib/component/toolbox/featureManager.js' {
  export function registerFeature(name: string, feature: unknown): void;
}

declare module 'echarts/lib/component/toolbox/feature/SaveAsImage.js' {
  const SaveAsImage: unknown;
  export default SaveAsImage;
}
