// A KPI card's sparkline: a plain SVG polyline (a dozen ECharts instances
// for decorations would cost more than the rest of the page).

export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const points = values.map((v, i) => ({ v, i })).filter((p): p is { v: number; i: number } => p.v !== null && Number.isFinite(p.v));
  if (points.length < 2) return <svg className="sparkline" viewBox="0 0 100 24" aria-hidden="true" />;
  const min = Math.min(...points.map((p) => p.v));
  const max = Math.max(...points.map((p) => p.v));
  const span = max - min || 1;
  const n = Math.max(values.length - 1, 1);
  const d = points.map((p) => `${((p.i / n) * 100).toFixed(1)},${(22 - ((p.v - min) / span) * 20).toFixed(1)}`).join(' ');
  const last = points[points.length - 1]!;
  return (
    <svg className="sparkline" viewBox="0 0 100 24" preserveAspectRatio="none" role="img" aria-label={label}>
      <polyline points={d} fill="none" stroke="currentColor" strokeWidth="1.5" vectorEffect="non-scaling-stroke" />
      <circle cx={(last.i / n) * 100} cy={22 - ((last.v - min) / span) * 20} r="1.8" fill="currentColor" />
    </svg>
  );
}
