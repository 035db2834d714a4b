// What a chart would draw, as a string: two renders of a view that build equal
// options (same figures, labels, colours) give the same signature, so the
// Chart panel skips ECharts' setOption (a full re-layout and repaint of the
// canvas) when a view re-renders for another panel's answer. Functions
// (formatters) count by their source text; the caller adds what their
// closures read (the locale) to `context`.

export function optionSignature(option: unknown, context = ''): string {
  return `${context}\u0000${JSON.stringify(option, (_key, value: unknown) => (typeof value === 'function' ? `ƒ${String(value)}` : value))}`;
}
