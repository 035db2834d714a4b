// ECharts with only what the dashboard draws: the full bundle is ≈ 1.5 MB
// (stack-notes.md). Add a chart or component here before using it in a view.

import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { DatasetComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart, LineChart, HeatmapChart,
  GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, DatasetComponent, MarkLineComponent,
  CanvasRenderer,
]);

export { echarts };
export type ChartOption = echarts.EChartsCoreOption;
