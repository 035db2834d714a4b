// A quick chart of a workbench result (pure): one label column on the
// category axis, one numeric column as bars or a line. The columns offered and
// chosen by default: the first text or date column as labels (else the first
// column), the first numeric column other than it as values.

import { plainText } from '../export/columns.ts';
import type { ChartOption } from '../charts/echarts.ts';
import type { ResultColumn, WorkbenchResult } from './run-query.ts';

/** Points drawn at most: a category axis of more is unreadable, and the grid and exports have every row. */
export const CHART_ROWS = 500;

export type QuickChartKind = 'bar' | 'line';

export interface QuickChartChoice {
  label: string;
  value: string;
  kind: QuickChartKind;
}

export const numericColumns = (columns: readonly ResultColumn[]): ResultColumn[] => columns.filter((c) => c.type === 'integer' || c.type === 'number');

/** The default choice for a result; null when it has no numeric column. */
export function defaultChoice(columns: readonly ResultColumn[]): QuickChartChoice | null {
  const label = columns.find((c) => c.type === 'text' || c.type === 'date' || c.type === 'timestamp') ?? columns[0];
  const value = numericColumns(columns).find((c) => c !== label) ?? numericColumns(columns)[0];
  if (!label || !value) return null;
  return { label: label.key, value: value.key, kind: label.type === 'date' || label.type === 'timestamp' ? 'line' : 'bar' };
}

/** A choice still valid for these columns, else the default. */
export function validChoice(choice: QuickChartChoice | null, columns: readonly ResultColumn[]): QuickChartChoice | null {
  if (choice && columns.some((c) => c.key === choice.label) && numericColumns(columns).some((c) => c.key === choice.value)) return choice;
  return defaultChoice(columns);
}

/** The chart's data (label as plain text, value as a number) and its ECharts option. */
export function quickChart(result: WorkbenchResult, choice: QuickChartChoice): { option: ChartOption; rows: { label: string; value: number | null }[] } {
  const labelCol = result.columns.find((c) => c.key === choice.label)!;
  const rows = result.rows.slice(0, CHART_ROWS).map((r) => {
    const v = r[choice.value];
    const n = v === null || v === undefined ? null : Number(v);
    return { label: plainText(r[choice.label], labelCol.type), value: n !== null && Number.isFinite(n) ? n : null };
  });
  const option: ChartOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 64, right: 24, top: 32, bottom: 56 },
    xAxis: { type: 'category', data: rows.map((r) => r.label), axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', name: choice.value },
    series: [{ type: choice.kind, name: choice.value, data: rows.map((r) => r.value), showSymbol: rows.length <= 60 }],
  };
  return { option, rows };
}
