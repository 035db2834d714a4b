// ECharts options of the customer report (pure): the 12 months against last
// year and similar customers, and the hour-of-day profile. Drawn for paper:
// no animation, no tooltips, light colours whatever the app's theme.

import type { CustomerReport } from '../../../etl/report/report-types.ts';
import type { ChartOption } from '../charts/echarts.ts';
import { CHART_COLORS } from '../theme.tsx';

const C = CHART_COLORS.light;
export const REPORT_FONT = "system-ui, 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'PingFang SC', 'Microsoft YaHei', sans-serif";

interface Labels {
  month: (m: string) => string;
  kwh: string;
  lastYear: string;
  peerMedian: string;
  peerEfficient: string;
}

const base = {
  animation: false,
  textStyle: { fontFamily: REPORT_FONT, color: C.text, fontSize: 10 },
  legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 10, color: C.text } },
  grid: { left: 44, right: 8, top: 22, bottom: 20 },
};

const axis = { axisLine: { lineStyle: { color: C.axis } }, axisLabel: { color: C.muted, fontSize: 9 }, splitLine: { lineStyle: { color: C.grid } } };

export function monthlyOption(r: CustomerReport, l: Labels): ChartOption {
  const line = (name: string, data: (number | null)[], color: string, dashed = false) => ({
    name, type: 'line', data, symbolSize: 4, connectNulls: false, lineStyle: { color, width: 1.5, type: dashed ? 'dashed' : 'solid' }, itemStyle: { color },
  });
  return {
    ...base,
    xAxis: { type: 'category', data: r.months.map((m) => l.month(m.month)), ...axis, axisLabel: { ...axis.axisLabel, interval: 0 } },
    yAxis: { type: 'value', ...axis },
    series: [
      { name: l.kwh, type: 'bar', data: r.months.map((m) => m.kwh), itemStyle: { color: C.series[0] }, barMaxWidth: 22 },
      { name: l.lastYear, type: 'bar', data: r.months.map((m) => m.kwh_last_year), itemStyle: { color: '#cbd5e1' }, barMaxWidth: 22 },
      line(l.peerMedian, r.months.map((m) => m.peer_median_kwh), C.series[1]!),
      line(l.peerEfficient, r.months.map((m) => m.peer_efficient_kwh), C.series[2]!, true),
    ],
  };
}

export function hourlyOption(r: CustomerReport, l: { workday: string; weekend: string }): ChartOption | null {
  if (!r.hourly) return null;
  const series = [
    r.hourly.workday ? { name: l.workday, type: 'line', data: r.hourly.workday, symbol: 'none', lineStyle: { color: C.series[0], width: 1.5 }, itemStyle: { color: C.series[0] } } : null,
    r.hourly.weekend_holiday ? { name: l.weekend, type: 'line', data: r.hourly.weekend_holiday, symbol: 'none', lineStyle: { color: C.series[1], width: 1.5, type: 'dashed' }, itemStyle: { color: C.series[1] } } : null,
  ].filter((s) => s !== null);
  return {
    ...base,
    grid: { ...base.grid, left: 40 },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h)), ...axis, axisLabel: { ...axis.axisLabel, interval: 2 } },
    yAxis: { type: 'value', ...axis },
    series,
  };
}
