/// <reference types="vite/client" />
// Holdout settings and the target-list export. On export: the audience's rows
// from DuckDB (pseudonymous), the holdout drawn (campaigns/holdout.ts), the
// account numbers asked of the server for exactly these keys (audited there),
// then the CSV or XLSX written in the browser. exceljs loads only here, on
// the first XLSX export. Test hooks: [data-action="export-csv|export-xlsx"],
// [data-export-result] with data-export-id / -rows / -holdout, [data-export-error].

import { useMemo, useState } from 'react';
import { compactAudience, type AudienceDefinition } from '../campaigns/audience.ts';
import { assignHoldout, holdoutCount, type HoldoutOptions } from '../campaigns/holdout.ts';
import { requestTargetList, TARGET_FILE_COLUMNS, targetFileRows, targetListRequest } from '../campaigns/target-list.ts';
import { runQuery } from '../data/api.ts';
import { audienceBySegmentQuery, audienceRowsQuery, type AudienceSegmentRow, type TargetRow } from '../data/queries/audience.ts';
import { fileNameOf, toCsv } from '../export/csv.ts';
import { downloadText, downloadUrl } from '../export/download.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import type { ScreenState } from '../state/url-state.ts';
import { useTrackedQuery } from './use-tracked-query.ts';

interface Props {
  def: AudienceDefinition;
  name: string | null;
  asOf: string;
  holdout: HoldoutOptions;
  onChange: (patch: Partial<ScreenState>, o?: { replace?: boolean; interaction?: boolean }) => void;
}

type Outcome = { kind: 'done'; id: number; rows: number; holdout: number } | { kind: 'error'; message: string } | null;

export function TargetListExport({ def, name, asOf, holdout, onChange }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState<'csv' | 'xlsx' | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const seg = useTrackedQuery<AudienceSegmentRow>(useMemo(() => audienceBySegmentQuery(def, asOf), [def, asOf]));
  const size = (seg.rows ?? []).reduce((s, r) => s + r.customers, 0);
  const held = holdout.stratify
    ? (seg.rows ?? []).reduce((s, r) => s + holdoutCount(r.customers, holdout.share), 0)
    : holdoutCount(size, holdout.share);

  const exportList = async (format: 'csv' | 'xlsx'): Promise<void> => {
    setBusy(format);
    setOutcome(null);
    try {
      const rows = await runQuery<TargetRow>(audienceRowsQuery(def, asOf));
      if (rows.length === 0) throw new Error(t('state.empty'));
      const heldOut = assignHoldout(rows, holdout);
      const base = new URL(import.meta.env.BASE_URL, window.location.href);
      const reply = await requestTargetList(targetListRequest(name, def, holdout, rows, heldOut), base);
      const fileRows = targetFileRows(rows, heldOut, reply);
      const columns = TARGET_FILE_COLUMNS.map((c) => ({ key: c.key, label: t(c.label as MessageKey), type: c.type }));
      const title = name ? `${t('camp.list_title')} ${name}` : t('camp.list_title');
      if (format === 'csv') {
        downloadText(toCsv(columns, fileRows), fileNameOf(title, 'csv'), 'text/csv;charset=utf-8');
      } else {
        const { toXlsx } = await import('../export/xlsx.ts');
        const filters: [string, string][] = [
          ...Object.entries(compactAudience(def)).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string]),
          ['holdout', JSON.stringify(holdout)],
          ['export_id', String(reply.exportId)],
        ];
        const bytes = await toXlsx(columns.map((c) => ({ ...c })), fileRows, { title, filters, dataAsOf: asOf, exportedAt: new Date(reply.exportedAt), locale: i18n.locale });
        const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
        downloadUrl(url, fileNameOf(title, 'xlsx'));
        setTimeout(() => URL.revokeObjectURL(url), 0);
      }
      setOutcome({ kind: 'done', id: reply.exportId, rows: reply.rowCount, holdout: reply.holdoutCount });
    } catch (err) {
      setOutcome({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="panel" aria-labelledby="export-heading" data-panel="target-list">
      <div className="panel-head">
        <h2 id="export-heading">{t('camp.holdout')}</h2>
      </div>
      <div className="aud-holdout">
        <label className="control">
          <span>{t('camp.holdout_share')}</span>
          <input type="number" min={0} max={90} step={1} name="holdout-share" value={Math.round(holdout.share * 100)}
            onChange={(e) => {
              const v = Math.floor(Number(e.target.value));
              if (Number.isFinite(v) && v >= 0 && v <= 90) onChange({ holdoutPct: v }, { replace: true, interaction: false });
            }} />
        </label>
        <label className="control">
          <span>{t('camp.holdout_seed')}</span>
          <input type="text" name="holdout-seed" maxLength={40} value={holdout.seed}
            onChange={(e) => onChange({ holdoutSeed: e.target.value || '1' }, { replace: true, interaction: false })} />
        </label>
        <label className="option">
          <input type="checkbox" name="holdout-stratify" checked={holdout.stratify} onChange={(e) => onChange({ holdoutStratify: e.target.checked }, { interaction: false })} />
          {t('camp.holdout_stratify')}
        </label>
        <span className="panel-note" data-holdout-preview={held}>{t('camp.col.holdout_n')}: {i18n.fmt(held, 'count')} / {i18n.fmt(size, 'count')}</span>
      </div>
      <p className="panel-note">{t('camp.holdout_note')}</p>
      <h3>{t('camp.export')}</h3>
      <p className="panel-note">{t('camp.export_note')}</p>
      <div className="panel-actions aud-export">
        <button type="button" data-action="export-csv" disabled={busy !== null || size === 0} onClick={() => void exportList('csv')}>
          {busy === 'csv' ? t('camp.exporting') : t('camp.export_csv')}
        </button>
        <button type="button" data-action="export-xlsx" disabled={busy !== null || size === 0} onClick={() => void exportList('xlsx')}>
          {busy === 'xlsx' ? t('camp.exporting') : t('camp.export_xlsx')}
        </button>
      </div>
      {outcome?.kind === 'done' ? (
        <p className="status" role="status" data-export-result data-export-id={outcome.id} data-export-rows={outcome.rows} data-export-holdout={outcome.holdout}>
          {t('camp.exported', { n: i18n.fmt(outcome.rows, 'count'), h: i18n.fmt(outcome.holdout, 'count'), id: outcome.id })}
        </p>
      ) : null}
      {outcome?.kind === 'error' ? (
        <div className="status status-error" role="alert" data-export-error>
          <strong>{t('camp.export_failed')}</strong>: {outcome.message}
        </div>
      ) : null}
    </section>
  );
}
