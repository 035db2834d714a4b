// Whether a chart option has anything to draw. Suppressed extract cells come
// back as nulls, so a chart can have rows and still no figure: the panel then
// says so instead of drawing empty axes. Pure (no ECharts import), unit-tested.

interface SeriesLike {
  data?: unknown;
}

/** Whether any series has a figure to draw (suppressed cells come back as nulls). */
export function hasValues(option: object): boolean {
  const raw = (option as { series?: unknown }).series;
  const series: SeriesLike[] = Array.isArray(raw) ? raw : raw ? [raw as SeriesLike] : [];
  const present = (d: unknown): boolean => {
    if (d === null || d === undefined || d === '-') return false;
    if (typeof d === 'number') return Number.isFinite(d);
    if (Array.isArray(d)) return present(d[d.length - 1]);
    if (typeof d === 'object' && 'value' in d) return present((d as { value: unknown }).value);
    return true;
  };
  return series.some((s) => Array.isArray(s.data) && s.data.some(present));
}
