// A workbench result as a virtualised grid (the customer list's approach:
// only the rows in view are in the DOM; here every row is already in memory).
// Cells show plain, unlocalised values — what the exports write — and carry
// them in data-v, so a test (or a user's script) reads exactly what DuckDB said.

import { useState } from 'react';
import { plainText } from '../export/columns.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { WorkbenchResult } from './run-query.ts';
import { pageKeysHandler } from '../views/vtable-keys.ts';

const ROW_HEIGHT = 28;
const VIEWPORT_ROWS = 18;
const OVERSCAN = 6;

function widthOf(type: string, label: string): number {
  const base = type === 'text' ? 180 : type === 'timestamp' ? 190 : type === 'date' ? 110 : type === 'number' ? 170 : 110;
  return Math.max(base, Math.min(320, label.length * 9 + 24));
}

export function ResultGrid({ result }: { result: WorkbenchResult }) {
  const { t } = useI18n();
  const [scrollTop, setScrollTop] = useState(0);
  const { columns, rows } = result;
  const widths = columns.map((c) => widthOf(c.type, c.label));
  const total = rows.length;
  const first = Math.floor(scrollTop / ROW_HEIGHT);
  const start = Math.max(0, first - OVERSCAN);
  const end = Math.min(total, first + VIEWPORT_ROWS + OVERSCAN);
  const numeric = (type: string): boolean => type === 'integer' || type === 'number';

  const onKey = pageKeysHandler(ROW_HEIGHT, VIEWPORT_ROWS);

  const rowWidth = widths.reduce((a, b) => a + b, 0);
  return (
    <div className="vtable wb-grid" role="table" aria-label={t('wb.result')} aria-rowcount={total + 1} aria-colcount={columns.length} data-rows={total}>
      <div className="wb-grid-scroll">
        <div className="vtable-head" role="rowgroup" style={{ width: rowWidth }}>
          <div className="vtable-row" role="row" aria-rowindex={1}>
            {columns.map((c, i) => (
              <div key={i} role="columnheader" style={{ width: widths[i] }} className={numeric(c.type) ? 'num' : undefined} data-col={c.key} data-type={c.type} title={c.duckType ?? c.type}>
                {c.label}
              </div>
            ))}
          </div>
        </div>
        <div className="vtable-body" role="rowgroup" tabIndex={0} style={{ height: Math.min(total, VIEWPORT_ROWS) * ROW_HEIGHT + 2, width: rowWidth }}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} onKeyDown={onKey}>
          <div style={{ height: total * ROW_HEIGHT, position: 'relative' }}>
            {Array.from({ length: Math.max(0, end - start) }, (_, k) => {
              const i = start + k;
              const r = rows[i]!;
              return (
                <div key={i} className="vtable-row" role="row" aria-rowindex={i + 2} data-row={i}
                  style={{ position: 'absolute', top: i * ROW_HEIGHT, height: ROW_HEIGHT }}>
                  {columns.map((c, j) => {
                    const v = r[c.key];
                    const text = plainText(v, c.type);
                    return (
                      <div key={j} role="cell" style={{ width: widths[j] }} className={numeric(c.type) ? 'num' : undefined}
                        data-col={c.key} data-v={text} title={text} data-null={v === null || v === undefined ? '' : undefined}>
                        {v === null || v === undefined ? <span className="wb-null">NULL</span> : text}
                      </div>
                    );
                  })}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
