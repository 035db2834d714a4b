// The customers of a drilled-to cell: pseudonymous key and profile fields (the
// customer extract carries no personal data), sortable by any column header,
// virtualised: only the rows in view are in the DOM, and they are fetched from
// DuckDB a page at a time (the list may hold 100,000 customers).

import { useMemo, useState } from 'react';
import type { Filters } from '../data/api.ts';
import { customerCountQuery, customerPageQuery, SORTABLE_COLUMNS, type CustomerRow } from '../data/queries/segments.ts';
import { runQuery } from '../data/client.ts';
import { ExportMenu } from '../export/ExportMenu.tsx';
import type { ValueKind } from '../i18n/format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { reportHref } from '../report/report-url.ts';
import { StatusMessage } from './Status.tsx';
import { useTrackedQuery } from './use-tracked-query.ts';
import { pageKeysHandler } from './vtable-keys.ts';

const ROW_HEIGHT = 32;
const VIEWPORT_ROWS = 16;
const PAGE = 100;

const COLUMNS: { key: keyof CustomerRow | 'needs'; label: MessageKey; kind?: ValueKind; code?: boolean; width: number }[] = [
  { key: 'customer_key', label: 'col.customer_key', width: 130 },
  { key: 'segment', label: 'col.segment', code: true, width: 130 },
  { key: 'region', label: 'col.region', code: true, width: 90 },
  { key: 'tariff', label: 'col.tariff', code: true, width: 100 },
  { key: 'band', label: 'col.band', code: true, width: 70 },
  { key: 'status', label: 'col.status', code: true, width: 70 },
  { key: 'tenure_months', label: 'col.tenure_months', kind: 'count', width: 90 },
  { key: 'annual_kwh', label: 'col.annual_kwh', kind: 'kwh', width: 120 },
  { key: 'revenue_12m', label: 'col.revenue_12m', kind: 'money', width: 110 },
  { key: 'arrears', label: 'col.arrears', kind: 'money', width: 90 },
  { key: 'churn_risk', label: 'col.churn_risk', kind: 'rate', width: 80 },
  { key: 'value_tier', label: 'col.value_tier', code: true, width: 70 },
  { key: 'needs', label: 'col.needs', width: 150 },
];

interface Props {
  filters: Filters;
  drill: string[];
  sort: string | null;
  desc: boolean;
  onSort: (column: string, desc: boolean) => void;
}

export function CustomerList({ filters, drill, sort, desc, onSort }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const [scrollTop, setScrollTop] = useState(0);
  const column = sort && (SORTABLE_COLUMNS as readonly string[]).includes(sort) ? sort : 'revenue_12m';
  const countQ = useTrackedQuery<{ n: number }>(useMemo(() => customerCountQuery(filters, drill), [filters, drill]));
  const total = countQ.rows?.[0]?.n ?? 0;

  // The pages covering the viewport: the one at the top, and the next when the view straddles two.
  const first = Math.floor(scrollTop / ROW_HEIGHT);
  const pageA = Math.floor(first / PAGE);
  const pageB = Math.floor((first + VIEWPORT_ROWS) / PAGE);
  const sortSpec = useMemo(() => ({ column, desc }), [column, desc]);
  const qa = useTrackedQuery<CustomerRow>(useMemo(() => customerPageQuery(filters, drill, sortSpec, { offset: pageA * PAGE, limit: PAGE }), [filters, drill, sortSpec, pageA]));
  const qb = useTrackedQuery<CustomerRow>(
    useMemo(() => (pageB !== pageA ? customerPageQuery(filters, drill, sortSpec, { offset: pageB * PAGE, limit: PAGE }) : null), [filters, drill, sortSpec, pageA, pageB]),
  );
  const rowAt = (i: number): CustomerRow | undefined => {
    const p = Math.floor(i / PAGE);
    if (p === pageA) return qa.rows?.[i - pageA * PAGE];
    if (p === pageB) return qb.rows?.[i - pageB * PAGE];
    return undefined;
  };

  const start = Math.max(0, first - 4);
  const end = Math.min(total, first + VIEWPORT_ROWS + 4);
  const visible: number[] = [];
  for (let i = start; i < end; i++) visible.push(i);

  const cell = (r: CustomerRow, c: (typeof COLUMNS)[number]): string => {
    if (c.key === 'needs') {
      return [r.need_green ? t('segments.need_green') : '', r.need_reliability ? t('segments.need_reliability') : '', r.need_price ? t('segments.need_price') : '']
        .filter(Boolean).join(' · ');
    }
    const v = r[c.key];
    if (c.kind) return i18n.fmt(v as number | null, c.kind);
    if (c.code) return i18n.code(v as string | null);
    return v === null || v === undefined ? '–' : String(v);
  };
  const sortBy = (key: string): void => onSort(key, key === column ? !desc : true);
  // Every customer of the cell, in the list's order (not only the pages loaded), typed for XLSX and Parquet.
  const exportTable = async () => {
    const rows = await runQuery<CustomerRow>(customerPageQuery(filters, drill, sortSpec, { offset: 0, limit: Math.max(total, 1) }));
    const columns = COLUMNS.filter((c) => c.key !== 'needs').map((c) => ({
      key: c.key,
      label: t(c.label),
      type: c.key === 'customer_key' || c.kind === 'count' ? ('integer' as const) : c.kind ? ('number' as const) : ('text' as const),
    }));
    return { columns, rows };
  };
  const onKey = pageKeysHandler(ROW_HEIGHT, VIEWPORT_ROWS);

  return (
    <section className="panel customer-list" aria-labelledby="list-heading" data-panel="customer-list">
      <div className="panel-head">
        <h2 id="list-heading">{t('segments.list')}</h2>
        <span className="panel-note" data-count={total}>{t('segments.list_count', { n: i18n.fmt(total, 'count') })}</span>
        <span className="panel-actions">
          <ExportMenu title={t('segments.list')} disabled={!qa.rows?.length} table={exportTable} />
        </span>
      </div>
      <StatusMessage loading={countQ.loading && !countQ.rows} error={countQ.error ?? qa.error} empty={countQ.rows !== null && total === 0}>
        <div className="vtable" role="table" aria-label={t('segments.list')} aria-rowcount={total + 1}>
          <div className="vtable-head" role="rowgroup">
            <div className="vtable-row" role="row" aria-rowindex={1}>
              {COLUMNS.map((c) => {
                const sortable = (SORTABLE_COLUMNS as readonly string[]).includes(c.key);
                const active = c.key === column;
                return (
                  <div key={c.key} role="columnheader" style={{ width: c.width }} className={c.kind ? 'num' : undefined}
                    aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'}>
                    {sortable ? (
                      <button type="button" className="link" data-sort={c.key} onClick={() => sortBy(c.key)}>
                        {t(c.label)} {active ? (desc ? '↓' : '↑') : ''}
                        {active ? <span className="sr-only">{t(desc ? 'col.sort_desc' : 'col.sort_asc')}</span> : null}
                      </button>
                    ) : t(c.label)}
                  </div>
                );
              })}
            </div>
          </div>
          <div className="vtable-body" role="rowgroup" tabIndex={0} style={{ height: ROW_HEIGHT * VIEWPORT_ROWS }}
            onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} onKeyDown={onKey}>
            <div style={{ height: total * ROW_HEIGHT, position: 'relative' }}>
              {visible.map((i) => {
                const r = rowAt(i);
                return (
                  <div key={i} className="vtable-row" role="row" aria-rowindex={i + 2} data-customer={r?.customer_key ?? ''}
                    style={{ position: 'absolute', top: i * ROW_HEIGHT, height: ROW_HEIGHT }}>
                    {COLUMNS.map((c) => (
                      <div key={c.key} role="cell" style={{ width: c.width }} className={c.kind ? 'num' : undefined}>
                        {!r ? '…' : c.key === 'customer_key'
                          // The customer's printable usage report (dashboard/src/report/).
                          ? <a href={reportHref(Number(r.customer_key), i18n.locale)} data-report-link={String(r.customer_key)} title={t('report.open')}>{cell(r, c)}</a>
                          : cell(r, c)}
                      </div>
                    ))}
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      </StatusMessage>
    </section>
  );
}
