/// <reference types="vite/client" />
// The export buttons of a list re-identified by the server: the campaign
// planner's target list (TargetListExport.tsx) and the Alerts view's alert
// list (AlertListExport.tsx). On a click: the caller's `prepare` gives the
// request (pseudonymous keys and what the list is) and how to make the file
// from the reply; the account numbers are asked of POST /api/target-list
// (audited there, campaigns/target-list.ts), then the CSV or XLSX is written
// in the browser. exceljs loads only here, on the first XLSX export.
// Test hooks: [data-action="export-csv|export-xlsx"], [data-export-result]
// with data-export-id / -rows / -holdout, [data-export-error].

import { useState } from 'react';
import { requestTargetList, type TargetListReply, type TargetListRequestBody } from '../campaigns/target-list.ts';
import { fileNameOf, toCsv } from '../export/csv.ts';
import { downloadText, downloadUrl } from '../export/download.ts';
import { useI18n } from '../i18n/i18n.tsx';

export interface ReidentifiedFile {
  columns: { key: string; label: string; type: 'text' | 'integer' | 'number' | 'date' }[];
  rows: object[];
}

/** What an export sends and how its file is made from the server's reply. */
export interface ReidentifiedList {
  body: TargetListRequestBody;
  /** The file's title (and name). */
  title: string;
  /** [name, value] pairs for the XLSX filters sheet (the export's audit id is added). */
  filters: [string, string][];
  dataAsOf: string;
  file: (reply: TargetListReply) => ReidentifiedFile;
}

export type ExportOutcome = { kind: 'done'; id: number; rows: number; holdout: number } | { kind: 'error'; message: string } | null;

interface Props {
  disabled: boolean;
  labels: { csv: string; xlsx: string; busy: string; failed: string };
  /** The line shown after an export. */
  done: (o: { id: number; rows: number; holdout: number }) => string;
  prepare: () => Promise<ReidentifiedList>;
}

export function ReidentifiedExport({ disabled, labels, done, prepare }: Props) {
  const i18n = useI18n();
  const [busy, setBusy] = useState<'csv' | 'xlsx' | null>(null);
  const [outcome, setOutcome] = useState<ExportOutcome>(null);

  const exportList = async (format: 'csv' | 'xlsx'): Promise<void> => {
    setBusy(format);
    setOutcome(null);
    try {
      const list = await prepare();
      const base = new URL(import.meta.env.BASE_URL, window.location.href);
      const reply = await requestTargetList(list.body, base);
      const { columns, rows } = list.file(reply);
      if (format === 'csv') {
        downloadText(toCsv(columns, rows), fileNameOf(list.title, 'csv'), 'text/csv;charset=utf-8');
      } else {
        const { toXlsx } = await import('../export/xlsx.ts');
        const filters: [string, string][] = [...list.filters, ['export_id', String(reply.exportId)]];
        const bytes = await toXlsx(columns.map((c) => ({ ...c })), rows, { title: list.title, filters, dataAsOf: list.dataAsOf, exportedAt: new Date(reply.exportedAt), locale: i18n.locale });
        const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
        downloadUrl(url, fileNameOf(list.title, 'xlsx'));
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
    <>
      <div className="panel-actions aud-export">
        <button type="button" data-action="export-csv" disabled={busy !== null || disabled} onClick={() => void exportList('csv')}>
          {busy === 'csv' ? labels.busy : labels.csv}
        </button>
        <button type="button" data-action="export-xlsx" disabled={busy !== null || disabled} onClick={() => void exportList('xlsx')}>
          {busy === 'xlsx' ? labels.busy : labels.xlsx}
        </button>
      </div>
      {outcome?.kind === 'done' ? (
        <p className="status" role="status" data-export-result data-export-id={outcome.id} data-export-rows={outcome.rows} data-export-holdout={outcome.holdout}>
          {done(outcome)}
        </p>
      ) : null}
      {outcome?.kind === 'error' ? (
        <div className="status status-error" role="alert" data-export-error>
          <strong>{labels.failed}</strong>: {outcome.message}
        </div>
      ) : null}
    </>
  );
}
