// A chart of the printed report: ECharts with the SVG renderer (sharp on
// paper and in a PDF), a fixed size (the sheet has the page's width), drawn
// once per option. Tells its parent when drawn, so the page can say "ready"
// only once every chart is on it (the batch PDF waits for that).

import { useEffect, useRef } from 'react';
import { SVGRenderer } from 'echarts/renderers';
import { echarts, type ChartOption } from '../charts/echarts.ts';

echarts.use([SVGRenderer]);

export function ReportChart({ id, option, height, onDrawn }: { id: string; option: ChartOption; height: number; onDrawn: () => void }) {
  const el = useRef<HTMLDivElement>(null);
  const drawn = useRef(onDrawn);
  drawn.current = onDrawn;
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'svg' });
    chart.setOption(option);
    drawn.current();
    return () => chart.dispose();
  }, [option]);
  return <div ref={el} className="report-chart" data-report-chart={id} style={{ height }} />;
}
