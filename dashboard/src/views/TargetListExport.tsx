// Holdout settings and the target-list export. On export: the audience's rows
// from DuckDB (pseudonymous), the holdout drawn (campaigns/holdout.ts), then
// the account numbers and the file by ReidentifiedExport.tsx (the audited
// server endpoint, shared with the Alerts view's alert list). Test hooks:
// [data-action="export-csv|export-xlsx"], [data-export-result] with
// data-export-id / -rows / -holdout, [data-export-error].

import { useMemo } from 'react';
import { compactAudience, type AudienceDefinition } from '../campaigns/audience.ts';
import { assignHoldout, holdoutCount, type HoldoutOptions } from '../campaigns/holdout.ts';
import { TARGET_FILE_COLUMNS, targetFileRows, targetListRequest } from '../campaigns/target-list.ts';
import { runQuery } from '../data/api.ts';
import { audienceBySegmentQuery, audienceRowsQuery, type AudienceSegmentRow, type TargetRow } from '../data/queries/audience.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import type { ScreenState } from '../state/url-state.ts';
import { ReidentifiedExport, type ReidentifiedList } from './ReidentifiedExport.tsx';
import { useTrackedQuery } from './use-tracked-query.ts';

interface Props {
  def: AudienceDefinition;
  name: string | null;
  asOf: string;
  holdout: HoldoutOptions;
  onChange: (patch: Partial<ScreenState>, o?: { replace?: boolean; interaction?: boolean }) => void;
}

export function TargetListExport({ def, name, asOf, holdout, onChange }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const seg = useTrackedQuery<AudienceSegmentRow>(useMemo(() => audienceBySegmentQuery(def, asOf), [def, asOf]));
  const size = (seg.rows ?? []).reduce((s, r) => s + r.customers, 0);
  const held = holdout.stratify
    ? (seg.rows ?? []).reduce((s, r) => s + holdoutCount(r.customers, holdout.share), 0)
    : holdoutCount(size, holdout.share);

  const prepare = async (): Promise<ReidentifiedList> => {
    const rows = await runQuery<TargetRow>(audienceRowsQuery(def, asOf));
    if (rows.length === 0) throw new Error(t('state.empty'));
    const heldOut = assignHoldout(rows, holdout);
    const columns = TARGET_FILE_COLUMNS.map((c) => ({ key: c.key, label: t(c.label as MessageKey), type: c.type }));
    return {
      body: targetListRequest(name, def, holdout, rows, heldOut),
      title: name ? `${t('camp.list_title')} ${name}` : t('camp.list_title'),
      filters: [
        ...Object.entries(compactAudience(def)).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string]),
        ['holdout', JSON.stringify(holdout)],
      ],
      dataAsOf: asOf,
      file: (reply) => ({ columns, rows: targetFileRows(rows, heldOut, reply) }),
    };
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
      <ReidentifiedExport
        disabled={size === 0}
        labels={{ csv: t('camp.export_csv'), xlsx: t('camp.export_xlsx'), busy: t('camp.exporting'), failed: t('camp.export_failed') }}
        done={(o) => t('camp.exported', { n: i18n.fmt(o.rows, 'count'), h: i18n.fmt(o.holdout, 'count'), id: o.id })}
        prepare={prepare}
      />
    </section>
  );
}
