// One chart panel: title, the ECharts canvas, "save as PNG" and "save the data"
// (CSV, XLSX, Parquet: export/ExportMenu.tsx) buttons, and the loading /
// error / empty states in place of the canvas.
// Clicking a chart element calls onSelect (cross-filter or drill). A chart is
// drawn (setOption) only when what it shows changed and it is on screen.

import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ExportColumn } from '../export/columns.ts';
import { downloadUrl } from '../export/download.ts';
import { fileNameOf } from '../export/csv.ts';
import { ExportMenu } from '../export/ExportMenu.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { useChartColors, useTheme } from '../theme.tsx';
import { reportWaiting, whenIdle } from '../timing.ts';
import { StatusMessage } from '../views/Status.tsx';
import { useViewVisible } from '../views/visibility.ts';
import { echarts, type ChartOption } from './echarts.ts';
import { hasValues } from './has-values.ts';
import { optionSignature } from './option-signature.ts';

const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif";

/** How near the viewport a chart counts as on screen (drawn at once rather than when idle). */
const ON_SCREEN_MARGIN_PX = 200;

/**
 * User Timing measure gridlens:chart-draw (detail: the chart's id) for one
 * setOption or resize: the benchmark sums them inside each interaction, so the
 * share of ECharts' drawing in an interaction is counted, not guessed
 * (docs/performance.md: about a third of interaction time at 100k customers).
 */
function measureDraw(id: string, kind: 'option' | 'resize', start: number): void {
  performance.measure('gridlens:chart-draw', { start, end: performance.now(), detail: { chart: id, kind } });
}

/** Axis names sit above the axis; centred they run off the canvas edge, so anchor them inwards. */
function alignAxisNames(yAxis: unknown): unknown {
  if (yAxis === undefined) return undefined;
  const list = Array.isArray(yAxis) ? yAxis : [yAxis];
  const aligned = list.map((a: Record<string, unknown>, i) => ({ ...a, nameTextStyle: { align: i === 0 ? 'left' : 'right', ...(a.nameTextStyle as object | undefined) } }));
  return Array.isArray(yAxis) ? aligned : aligned[0];
}

export interface ChartData {
  /** Columns of the data exports; a `type` makes XLSX and Parquet cells typed (else taken from the values). */
  columns: ExportColumn[];
  rows: readonly object[];
}

export interface ChartSelection {
  name: string;
  seriesName?: string;
  dataIndex: number;
  data: unknown;
}

interface Props {
  id: string;
  title: string;
  option: ChartOption | null;
  data: ChartData | null;
  loading?: boolean;
  error?: Error | null;
  height?: number;
  note?: string;
  onSelect?: (s: ChartSelection) => void;
}

export function Chart({ id, title, option, data, loading, error, height = 280, note, onSelect }: Props) {
  const { t, locale } = useI18n();
  const theme = useTheme();
  const colors = useChartColors();
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const selectRef = useRef(onSelect);
  selectRef.current = onSelect;
  // No option with rows = nothing drawable (e.g. every cell suppressed): say so rather than draw empty axes.
  const drawable = data !== null && data.rows.length > 0 && option !== null && hasValues(option);
  const empty = !loading && !error && !drawable;
  // While a new answer loads, the previous one stays drawn; but a panel that
  // had nothing to draw says "loading" rather than bring back the answer
  // before that (measured: every chart of a view drawn twice per filter change
  // after an empty one, first with that stale answer, then with the new one).
  const showCanvas = !error && drawable;
  // The canvas and its ECharts instance, once made, stay while the panel is
  // mounted (hidden while it has nothing to draw): a new instance's first
  // setOption builds every component view and costs several times an update.
  const [canvasMade, setCanvasMade] = useState(showCanvas);
  if (showCanvas && !canvasMade) setCanvasMade(true);

  // Test hook data-draws on the figure: how many times its canvas was drawn
  // (setOption or resize), so a test can tell a chart shown again as it was
  // from one drawn again. Set on the node, not through React state: no render.
  const figure = useRef<HTMLElement>(null);
  const draws = useRef(0);
  const countDraw = (): void => {
    draws.current += 1;
    figure.current?.setAttribute('data-draws', String(draws.current));
  };

  // The instance lives as long as the panel; a theme change re-creates it.
  useEffect(() => {
    if (!canvasMade || !el.current) return;
    const c = echarts.init(el.current, theme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => {
      const e = p as unknown as ChartSelection;
      selectRef.current?.({ name: e.name, seriesName: e.seriesName, dataIndex: e.dataIndex, data: e.data });
    });
    const node = el.current;
    const ro = new ResizeObserver(() => {
      // resize() re-lays out and repaints the whole chart, so only for a change of
      // whole pixels (the canvas is sized by clientWidth/Height). Most
      // notifications are not one: the first, on observe, reports the size
      // init() has just used (measured: every chart drawn twice when created, on
      // first paint, view switches and filter changes that bring a chart back);
      // a hidden view or a node being removed reports 0 × 0; a fractional width
      // (585.5 px) rounds to the canvas it has. Layout is done here: reading is free.
      const w = node.clientWidth;
      const h = node.clientHeight;
      if (w === 0 || h === 0 || (w === c.getWidth() && h === c.getHeight())) return;
      const start = performance.now();
      c.resize();
      measureDraw(id, 'resize', start);
      countDraw();
    });
    ro.observe(node);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [canvasMade, theme]);

  // What the canvas shows now (per instance): an equal option is not set again.
  const full = useMemo(
    () => (option
      ? {
          backgroundColor: 'transparent',
          color: colors.series,
          // Canvas text does not inherit CSS: name the page's font stack (with CJK faces) explicitly.
          textStyle: { fontFamily: FONT_FAMILY, color: colors.text },
          animation: false,
          ...option,
          yAxis: alignAxisNames(option.yAxis),
        }
      : null),
    [option, colors],
  );
  // The locale too: formatters' closures format numbers for it.
  const signature = useMemo(() => (full ? optionSignature(full, locale) : null), [full, locale]);
  const drawn = useRef<{ chart: echarts.ECharts; signature: string } | null>(null);

  // A chart below the fold is drawn when the page is idle (or when it scrolls
  // into view), not within the interaction: each setOption re-lays out and
  // repaints the whole canvas. While an on-screen chart waits to be drawn it
  // counts for the interaction measure (timing.ts).
  const [onScreen, setOnScreen] = useState<boolean | null>(null); // null: not known yet
  // Shown and not reported by the observer since (see below).
  const placeUnknown = useRef(false);
  useEffect(() => {
    const node = figure.current;
    if (!node || typeof IntersectionObserver === 'undefined') {
      setOnScreen(true);
      return;
    }
    const io = new IntersectionObserver((entries) => {
      placeUnknown.current = false;
      setOnScreen(entries[entries.length - 1]!.isIntersecting);
    }, { rootMargin: `${ON_SCREEN_MARGIN_PX}px 0px` });
    io.observe(node);
    return () => io.disconnect();
  }, []);
  // A kept view shown or hidden: the observer reports the chart's new place only
  // after the next frame, so until then onScreen is the other slot's. Shown
  // with its new answer already known (asked in the background), the chart
  // would take the off-screen path and be drawn after the interaction's
  // measure, the old drawing on screen meanwhile. So once shown, and until the
  // observer reports, a new option reads the place before paint (the frame
  // lays out anyway) and is drawn, and counted, within the interaction. Only
  // then: the read forces a layout (measured: 45 ms of a 60-step session's
  // main thread when done on every show).
  const viewVisible = useViewVisible();
  useLayoutEffect(() => {
    placeUnknown.current = viewVisible;
    if (!viewVisible) setOnScreen(false);
  }, [viewVisible]);
  useLayoutEffect(() => {
    const node = figure.current;
    if (!node || !placeUnknown.current || drawn.current?.signature === signature) return;
    placeUnknown.current = false;
    const r = node.getBoundingClientRect();
    const m = ON_SCREEN_MARGIN_PX;
    setOnScreen(r.width > 0 && r.height > 0 && r.bottom > -m && r.top < window.innerHeight + m && r.right > 0 && r.left < window.innerWidth);
  }, [viewVisible, signature]);
  const waitId = useRef(Symbol(`chart:${id}`));
  const pending = showCanvas && signature !== null && onScreen !== false && drawn.current?.signature !== signature;
  useLayoutEffect(() => {
    if (pending) reportWaiting(waitId.current, true);
  }, [pending, signature]);
  useLayoutEffect(() => {
    const mine = waitId.current;
    return () => reportWaiting(mine, false);
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c || !showCanvas || !full || !signature || onScreen === null) return;
    const draw = (): void => {
      if (drawn.current?.chart !== c || drawn.current.signature !== signature) {
        const start = performance.now();
        c.setOption(full, { notMerge: true });
        measureDraw(id, 'option', start);
        drawn.current = { chart: c, signature };
        countDraw();
      }
    };
    if (onScreen) {
      draw();
      reportWaiting(waitId.current, false);
      return;
    }
    // Off screen: when the page is idle (never inside an interaction), so a scroll or a print finds it drawn.
    return whenIdle(draw, 2000);
  }, [full, signature, showCanvas, onScreen, theme]);
  useEffect(() => {
    if (onScreen === false || !showCanvas) reportWaiting(waitId.current, false);
  }, [onScreen, showCanvas]);

  const savePng = (): void => {
    if (!chart.current) return;
    const url = chart.current.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: theme === 'dark' ? '#111827' : '#ffffff' });
    downloadUrl(url, fileNameOf(title, 'png'));
  };

  return (
    <figure ref={figure} className="panel chart" data-chart={id} aria-busy={loading ? 'true' : 'false'}>
      <figcaption className="panel-head">
        <h3>{title}</h3>
        <span className="panel-actions">
          <button type="button" onClick={savePng} disabled={!showCanvas || loading} aria-label={t('export.png_label', { title })}>
            {t('export.png')}
          </button>
          <ExportMenu title={title} disabled={!data || data.rows.length === 0} table={() => data!} />
        </span>
      </figcaption>
      {note ? <p className="panel-note">{note}</p> : null}
      <StatusMessage loading={loading && !showCanvas} error={error} empty={empty}>
        {null}
      </StatusMessage>
      {canvasMade ? <div ref={el} className={loading ? 'chart-canvas is-updating' : 'chart-canvas'} style={{ height }} role="img" aria-label={title} hidden={!showCanvas} /> : null}
      {showCanvas && data ? <DataTable title={title} data={data} /> : null}
    </figure>
  );
}

/** Cap on the rows of the text alternative; the CSV has them all. */
const TABLE_ROWS = 400;

/** Same table: same title, the same rows array (query answers are kept by query) and equal columns. */
function sameTable(a: { title: string; data: ChartData }, b: { title: string; data: ChartData }): boolean {
  if (a.title !== b.title || a.data.rows !== b.data.rows || a.data.columns.length !== b.data.columns.length) return false;
  return a.data.columns.every((c, i) => c.key === b.data.columns[i]!.key && c.label === b.data.columns[i]!.label);
}

/**
 * The chart's figures as a table for screen readers (a canvas has no text),
 * visually hidden. Raw values, as in the CSV; also what tests read. Rendered
 * again only when its rows or columns changed: up to 400 rows of cells for each
 * chart of a view, on every panel's answer, were DOM work within interactions.
 */
const DataTable = memo(function DataTable({ title, data }: { title: string; data: ChartData }) {
  return (
    // The wrapper hides it: a table ignores width and overflow, and would widen the page.
    <div className="sr-only sr-table">
    <table data-chart-data="">
      <caption>{title}</caption>
      <thead>
        <tr>{data.columns.map((c) => <th key={c.key} scope="col" data-key={c.key}>{c.label}</th>)}</tr>
      </thead>
      <tbody>
        {data.rows.slice(0, TABLE_ROWS).map((r, i) => (
          <tr key={i}>
            {data.columns.map((c) => {
              const v = (r as Record<string, unknown>)[c.key];
              return <td key={c.key} data-key={c.key}>{v === null || v === undefined ? '' : String(v)}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}, sameTable);
