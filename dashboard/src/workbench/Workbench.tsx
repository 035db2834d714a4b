// The analyst workbench: SQL over every extract the user may read, in the
// page's DuckDB. Tables and columns listed (from the manifest), a textarea
// editor (Ctrl/Cmd+Enter runs), the result in a virtualised grid with CSV /
// XLSX / Parquet export, a quick chart of it (PNG and data exports through the
// Chart panel), query history (browser storage) and saved queries (browser
// storage and the URL). Only reading statements run (read-only.ts): the views
// share the engine and its tables.
//
// Loaded lazily (App.tsx): none of it is in the first view's bundle. The
// extracts load when the workbench is first shown, one after the other in the
// background, so a view the user goes back to is not kept waiting.

import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Chart } from '../charts/LazyChart.tsx';
import { dataSource } from '../data/client.ts';
import { useDataStatus } from '../data/hooks.ts';
import { ExportMenu } from '../export/ExportMenu.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import type { ScreenState } from '../state/url-state.ts';
import { useViewVisible } from '../views/visibility.ts';
import { mayUseWorkbench } from './access.ts';
import { CHART_ROWS, numericColumns, quickChart, validChoice, type QuickChartChoice } from './quick-chart.ts';
import { ResultGrid } from './ResultGrid.tsx';
import { RefusedQueryError, runWorkbenchQuery, type WorkbenchResult } from './run-query.ts';
import {
  addToHistory, formatSaved, HISTORY_KEY, isHistoryEntry, isSavedQuery, mergeSaved, parseSaved, readList, SAVED_KEY, writeList,
  type HistoryEntry, type SavedQuery,
} from './saved-queries.ts';
import './workbench.css';

interface Props {
  state: ScreenState;
  onChange: (patch: Partial<ScreenState>, o?: { replace?: boolean; interaction?: boolean }) => void;
}

const STARTER = 'select month, sum(kwh) as kwh\nfrom kpi_month\ngroup by month\norder by month';

type Failure = { kind: 'refused'; message: string } | { kind: 'error'; message: string };

export default function Workbench({ state, onChange }: Props) {
  const { manifest } = useDataStatus();
  const { t } = useI18n();
  if (manifest && !mayUseWorkbench(manifest)) {
    return <div className="status status-empty" role="status" data-state="withheld">{t('wb.not_allowed', { role: manifest.access?.role ?? '' })}</div>;
  }
  return <WorkbenchBody state={state} onChange={onChange} />;
}

function WorkbenchBody({ state, onChange }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const visible = useViewVisible();
  const status = useDataStatus();
  const files = status.manifest?.files ?? [];
  const [text, setText] = useState(state.sql ?? STARTER);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<WorkbenchResult | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [history, setHistory] = useState<HistoryEntry[]>(() => readList(HISTORY_KEY, isHistoryEntry));
  const [stored, setStored] = useState<SavedQuery[]>(() => readList(SAVED_KEY, isSavedQuery));
  const [saveName, setSaveName] = useState('');
  const [choice, setChoice] = useState<QuickChartChoice | null>(null);
  const editor = useRef<HTMLTextAreaElement>(null);
  const abort = useRef<AbortController | null>(null);
  const started = useRef(false);
  const autoRun = useRef<'pending' | 'running' | 'done'>('pending');

  const fromUrl = useMemo(() => state.savedQueries.map(parseSaved).filter((q): q is SavedQuery => q !== null), [state.savedQueries]);
  const saved = useMemo(() => mergeSaved(stored, fromUrl), [stored, fromUrl]);

  /** Runs `sql`; resolves true when its answer (result or error) was shown, false when a newer run superseded it. */
  const run = async (sql: string): Promise<boolean> => {
    abort.current?.abort();
    const mine = new AbortController();
    abort.current = mine;
    setRunning(true);
    setFailure(null);
    try {
      const r = await runWorkbenchQuery(dataSource(), sql, { signal: mine.signal });
      if (mine.signal.aborted) return false;
      setResult(r);
      setChoice((c) => validChoice(c, r.columns));
      const next = addToHistory(history, { sql: r.sql, at: new Date().toISOString(), rows: r.rows.length, ms: r.ms });
      setHistory(next);
      writeList(HISTORY_KEY, next);
      // The URL keeps the query run (a bookmark or a shared link runs it again).
      if (state.sql !== r.sql) onChange({ sql: r.sql }, { interaction: false });
      return true;
    } catch (err) {
      if (mine.signal.aborted) return false;
      if (err instanceof RefusedQueryError) {
        const { reason, word } = err.check;
        setFailure({ kind: 'refused', message: t(`wb.refused.${reason}` as MessageKey, { word: word ?? '' }) });
      } else {
        setFailure({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
        const next = addToHistory(history, { sql: sql.trim(), at: new Date().toISOString(), rows: null, ms: null });
        setHistory(next);
        writeList(HISTORY_KEY, next);
      }
      return true;
    } finally {
      if (abort.current === mine) setRunning(false);
    }
  };

  // First shown: load every extract the user may read (background, one at a
  // time), and run the URL's query if it has one. A run is not cancelled when
  // effects are torn down (React may disconnect and reconnect them without
  // unmounting, e.g. around a suspended subtree): its answer is still wanted.
  // Until the URL's query has been answered, a reconnect asks it again.
  useEffect(() => {
    if (!visible) return;
    if (!started.current) {
      started.current = true;
      void dataSource().manifest().then((m) => dataSource().prefetch(m.files.map((f) => f.name))).catch(() => undefined);
    }
    if (autoRun.current !== 'pending') return;
    if (!state.sql) {
      autoRun.current = 'done';
      return;
    }
    autoRun.current = 'running';
    void run(state.sql).then((answered) => {
      autoRun.current = answered ? 'done' : 'pending';
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- when shown; run and state.sql are read then
  }, [visible]);

  /** A run the user asked for: the URL's query is not to be asked again after it. */
  const userRun = (sql: string): void => {
    autoRun.current = 'done';
    void run(sql);
  };

  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      userRun(e.currentTarget.value);
    }
  };

  const insert = (snippet: string): void => {
    const el = editor.current;
    if (!el) {
      setText(snippet);
      return;
    }
    const { selectionStart: s, selectionEnd: e } = el;
    const next = text.slice(0, s) + snippet + text.slice(e);
    setText(next);
    requestAnimationFrame(() => {
      el.focus();
      el.selectionStart = el.selectionEnd = s + snippet.length;
    });
  };

  const save = (): void => {
    const name = saveName.trim();
    if (!name || !text.trim()) return;
    const q = { name, sql: text };
    const nextStored = mergeSaved(stored.filter((s) => s.name !== name), [q]);
    setStored(nextStored);
    writeList(SAVED_KEY, nextStored);
    onChange({ savedQueries: [...state.savedQueries.filter((v) => parseSaved(v)?.name !== name), formatSaved(q)] }, { interaction: false });
    setSaveName('');
  };
  const remove = (name: string): void => {
    const nextStored = stored.filter((s) => s.name !== name);
    setStored(nextStored);
    writeList(SAVED_KEY, nextStored);
    onChange({ savedQueries: state.savedQueries.filter((v) => parseSaved(v)?.name !== name) }, { interaction: false });
  };

  const loadedCount = files.filter((f) => status.loaded.includes(f.name)).length;
  const chartChoice = result ? validChoice(choice, result.columns) : null;
  const chart = useMemo(() => (result && chartChoice ? quickChart(result, chartChoice) : null), [result, chartChoice?.label, chartChoice?.value, chartChoice?.kind]); // eslint-disable-line react-hooks/exhaustive-deps
  const resultTitle = t('wb.result_title');

  return (
    <div className="workbench" data-panel="workbench">
      <section className="panel wb-tables" aria-labelledby="wb-tables-heading">
        <div className="panel-head">
          <h2 id="wb-tables-heading">{t('wb.tables')}</h2>
        </div>
        <p className="panel-note" data-loaded={loadedCount} data-total={files.length}>
          {loadedCount < files.length ? t('wb.tables_loading', { loaded: loadedCount, total: files.length }) : t('wb.tables_loaded', { total: files.length })}
        </p>
        <ul className="wb-table-list">
          {files.map((f) => (
            <li key={f.name} data-table={f.name}>
              <details>
                <summary>
                  <button type="button" className="link" onClick={() => insert(`select * from ${f.name} limit 100`)} aria-label={t('wb.insert_table', { table: f.name })}>
                    {f.name}
                  </button>{' '}
                  <span className="wb-muted">{t('wb.rows', { n: i18n.fmt(f.rows, 'count') })}</span>
                </summary>
                <ul className="wb-columns">
                  {f.schema.map((c) => (
                    <li key={c.name}>
                      <button type="button" className="link" onClick={() => insert(c.name)}>{c.name}</button> <span className="wb-muted">{c.type}</span>
                    </li>
                  ))}
                </ul>
              </details>
            </li>
          ))}
        </ul>
      </section>

      <div className="wb-main">
        <section className="panel wb-editor" aria-labelledby="wb-editor-heading">
          <div className="panel-head">
            <h2 id="wb-editor-heading">{t('wb.title')}</h2>
            <span className="panel-actions">
              <button type="button" className="primary" data-action="run" onClick={() => userRun(text)} disabled={running}>
                {running ? t('wb.running') : t('wb.run')}
              </button>
            </span>
          </div>
          <p className="panel-note">{t('wb.intro')}</p>
          <label className="sr-only" htmlFor="wb-sql">{t('wb.editor')}</label>
          <textarea id="wb-sql" name="sql" ref={editor} className="wb-sql" value={text} spellCheck={false} rows={8}
            onChange={(e) => setText(e.target.value)} onKeyDown={onKey} aria-describedby="wb-hint" />
          <p id="wb-hint" className="wb-muted">{t('wb.run_hint')}</p>
          <div className="wb-save">
            <label className="control inline">
              <span>{t('wb.save_name')}</span>
              <input type="text" name="save-name" value={saveName} onChange={(e) => setSaveName(e.target.value)} />
            </label>
            <button type="button" data-action="save" onClick={save} disabled={!saveName.trim() || !text.trim()}>{t('wb.save')}</button>
          </div>
        </section>

        <section className="panel wb-result" aria-labelledby="wb-result-heading" data-panel="workbench-result" aria-busy={running ? 'true' : 'false'}>
          <div className="panel-head">
            <h2 id="wb-result-heading">{t('wb.result')}</h2>
            {result ? <span className="panel-note" data-count={result.rows.length}>{t('wb.result_count', { n: i18n.fmt(result.rows.length, 'count'), ms: result.ms })}</span> : null}
            <span className="panel-actions">
              <ExportMenu title={resultTitle} disabled={!result || running}
                filters={result ? [[t('wb.sql_filter'), result.sql]] : []}
                table={() => ({ columns: result!.columns, rows: result!.rows })} />
            </span>
          </div>
          {failure ? (
            <div className="status status-error" role="alert" data-state={failure.kind}>
              {failure.kind === 'error' ? <strong>{t('wb.error')}: </strong> : null}
              <span className="wb-message">{failure.message}</span>
            </div>
          ) : null}
          {running && !result ? <div className="status status-loading" role="status">{t('wb.running')}</div> : null}
          {!result && !running && !failure ? <div className="status status-empty">{t('wb.no_result')}</div> : null}
          {result && result.rows.length === 0 ? <div className="status status-empty" data-state="empty">{t('wb.empty_result')}</div> : null}
          {result && result.rows.length > 0 ? <ResultGrid key={result.sql} result={result} /> : null}
        </section>

        {result && result.rows.length > 0 ? (
          <section className="wb-chart" aria-label={t('wb.chart')}>
            {chartChoice && chart ? (
              <>
                <div className="wb-chart-controls">
                  <label className="control">
                    <span>{t('wb.chart_label')}</span>
                    <select name="chart-label" value={chartChoice.label} onChange={(e) => setChoice({ ...chartChoice, label: e.target.value })}>
                      {result.columns.map((c) => <option key={c.key} value={c.key}>{c.label}</option>)}
                    </select>
                  </label>
                  <label className="control">
                    <span>{t('wb.chart_value')}</span>
                    <select name="chart-value" value={chartChoice.value} onChange={(e) => setChoice({ ...chartChoice, value: e.target.value })}>
                      {numericColumns(result.columns).map((c) => <option key={c.key} value={c.key}>{c.label}</option>)}
                    </select>
                  </label>
                  <label className="control">
                    <span>{t('wb.chart_type')}</span>
                    <select name="chart-kind" value={chartChoice.kind} onChange={(e) => setChoice({ ...chartChoice, kind: e.target.value as QuickChartChoice['kind'] })}>
                      <option value="bar">{t('wb.chart_bar')}</option>
                      <option value="line">{t('wb.chart_line')}</option>
                    </select>
                  </label>
                </div>
                <Chart id="workbench-chart" title={t('wb.chart')} option={chart.option}
                  data={{ columns: [{ key: 'label', label: chartChoice.label, type: result.columns.find((c) => c.key === chartChoice.label)?.type === 'date' ? 'date' : 'text' }, { key: 'value', label: chartChoice.value, type: 'number' }], rows: chart.rows }}
                  note={result.rows.length > CHART_ROWS ? t('wb.chart_capped', { n: CHART_ROWS }) : undefined} />
              </>
            ) : (
              <div className="status status-empty">{t('wb.chart_none')}</div>
            )}
          </section>
        ) : null}

        <div className="wb-lists">
          <section className="panel" aria-labelledby="wb-saved-heading" data-panel="workbench-saved">
            <div className="panel-head"><h2 id="wb-saved-heading">{t('wb.saved')}</h2></div>
            {saved.length === 0 ? <p className="wb-muted">{t('wb.none')}</p> : null}
            <ul className="wb-query-list">
              {saved.map((q) => (
                <li key={q.name} data-saved={q.name}>
                  <button type="button" className="link" title={t('wb.open_query')} onClick={() => setText(q.sql)}>{q.name}</button>
                  <button type="button" className="wb-delete" aria-label={t('wb.delete', { name: q.name })} onClick={() => remove(q.name)}>×</button>
                  <code className="wb-snippet">{q.sql}</code>
                </li>
              ))}
            </ul>
          </section>
          <section className="panel" aria-labelledby="wb-history-heading" data-panel="workbench-history">
            <div className="panel-head"><h2 id="wb-history-heading">{t('wb.history')}</h2></div>
            {history.length === 0 ? <p className="wb-muted">{t('wb.none')}</p> : null}
            <ul className="wb-query-list">
              {history.map((h) => (
                <li key={h.sql} data-history="">
                  <button type="button" className="link wb-snippet" title={t('wb.open_query')} onClick={() => setText(h.sql)}>{h.sql}</button>
                  <span className="wb-muted">{i18n.timestamp(h.at)}{h.rows !== null ? ` · ${t('wb.rows', { n: i18n.fmt(h.rows, 'count') })}` : ' · ✕'}</span>
                </li>
              ))}
            </ul>
          </section>
        </div>
      </div>
    </div>
  );
}
