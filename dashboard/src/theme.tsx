// Light and dark themes: CSS custom properties on <html data-theme>, and the
// matching colours for ECharts (which draws on canvas and cannot read CSS).

import { createContext, useContext } from 'react';
import type { Theme } from './state/url-state.ts';

export interface ChartColors {
  text: string;
  muted: string;
  axis: string;
  grid: string;
  series: string[];
  /** Low → high, for heatmaps. */
  ramp: string[];
}

const SERIES = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#06b6d4', '#ec4899', '#84cc16', '#f97316', '#64748b', '#14b8a6', '#a855f7'];

export const CHART_COLORS: Record<Theme, ChartColors> = {
  light: { text: '#1f2937', muted: '#6b7280', axis: '#9ca3af', grid: '#e5e7eb', series: SERIES, ramp: ['#eff6ff', '#93c5fd', '#2563eb', '#1e3a8a'] },
  dark: { text: '#e5e7eb', muted: '#9ca3af', axis: '#6b7280', grid: '#374151', series: SERIES, ramp: ['#0f172a', '#1e40af', '#3b82f6', '#bfdbfe'] },
};

export function systemTheme(): Theme {
  return typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const ThemeContext = createContext<Theme>('light');
export const useTheme = (): Theme => useContext(ThemeContext);
export const useChartColors = (): ChartColors => CHART_COLORS[useTheme()];
