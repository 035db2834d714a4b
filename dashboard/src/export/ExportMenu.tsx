// "Save the data" buttons for one table: CSV, XLSX and Parquet, side by side
// in a panel's actions. The table is asked for when a button is pressed
// (`table` may fetch every row, e.g. the whole customer list); the file is
// made by exportTable and saved by the browser. The filters written into the
// file are the screen's (from the URL, the screen state's one source), unless
// the caller names its own (the workbench: its SQL).

import { useState } from 'react';
import { dataSource } from '../data/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { currentSearch } from '../state/use-url-state.ts';
import { parseState } from '../state/url-state.ts';
import type { ExportColumn } from './columns.ts';
import { downloadBytes } from './download.ts';
import { filterPairs } from './export-meta.ts';
import { EXPORT_FORMATS, exportTable, type ExportFormat } from './table-export.ts';
import './export-menu.css';

export interface ExportTable {
  columns: readonly ExportColumn[];
  rows: readonly object[];
}

interface Props {
  /** The table's title: the file's name and its metadata. */
  title: string;
  table: () => ExportTable | Promise<ExportTable>;
  disabled?: boolean;
  /** [name, value] pairs written as the file's filters; default: the screen's filters. */
  filters?: [string, string][];
}

const LABEL_KEYS = { csv: 'export.csv_label', xlsx: 'export.xlsx_label', parquet: 'export.parquet_label' } as const;
const TEXT_KEYS = { csv: 'export.csv', xlsx: 'export.xlsx', parquet: 'export.parquet' } as const;

export function ExportMenu({ title, table, disabled, filters }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [error, setError] = useState<string | null>(null);

  const save = async (format: ExportFormat): Promise<void> => {
    setBusy(format);
    setError(null);
    try {
      const { columns, rows } = await table();
      // Read at the click, not subscribed: a status change must not re-render every chart's buttons.
      const dataAsOf = dataSource().status().manifest?.data_as_of ?? null;
      const meta = {
        title,
        filters: filters ?? filterPairs(parseState(currentSearch()), dataAsOf, i18n),
        dataAsOf,
        exportedAt: new Date(),
        locale: i18n.locale,
      };
      const file = await exportTable(format, columns, rows, meta);
      downloadBytes(file.bytes, file.fileName, file.mime);
    } catch (err) {
      setError(t('export.failed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      {EXPORT_FORMATS.map((f) => (
        <button key={f} type="button" data-export={f} onClick={() => void save(f)} disabled={disabled || busy !== null}
          aria-busy={busy === f ? 'true' : undefined} aria-label={t(LABEL_KEYS[f], { title })}>
          {t(TEXT_KEYS[f])}
        </button>
      ))}
      {error ? <span className="export-error" role="alert">{error}</span> : null}
    </>
  );
}
