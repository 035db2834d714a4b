// The audience's size, expected value (campaigns/expected-value.ts) and
// composition by segment, region and band, updated as the filters change.
// Test hooks: [data-audience-size], [data-ev="<figure>"], [data-composition="<dim>"] tr[data-key].

import { useMemo } from 'react';
import type { AudienceDefinition } from '../campaigns/audience.ts';
import { expectedValue } from '../campaigns/expected-value.ts';
import { audienceBySegmentQuery, audienceCompositionQuery, type AudienceSegmentRow, type CompositionDimension } from '../data/queries/audience.ts';
import type { ValueKind } from '../i18n/format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { StatusMessage } from './Status.tsx';
import { useTrackedQuery } from './use-tracked-query.ts';

interface Props {
  def: AudienceDefinition;
  asOf: string;
  holdoutShare: number;
}

const DIMS: { by: CompositionDimension; label: MessageKey }[] = [
  { by: 'segment', label: 'camp.by_segment' },
  { by: 'region', label: 'camp.by_region' },
  { by: 'band', label: 'camp.by_band' },
];

export function AudienceSummary({ def, asOf, holdoutShare }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const seg = useTrackedQuery<AudienceSegmentRow>(useMemo(() => audienceBySegmentQuery(def, asOf), [def, asOf]));
  const ev = seg.rows ? expectedValue(seg.rows, holdoutShare) : null;
  const busy = seg.loading;
  const figures: { key: string; label: MessageKey; value: number | null; kind: ValueKind }[] = ev
    ? [
        { key: 'revenue', label: 'camp.revenue_stake', value: ev.revenue12m, kind: 'money' },
        { key: 'kwh', label: 'camp.kwh_12m', value: ev.kwh12m, kind: 'kwh' },
        { key: 'contacted', label: 'camp.contacted', value: ev.contacted, kind: 'count' },
        { key: 'acceptances', label: 'camp.expected_acceptances', value: ev.expectedAcceptances, kind: 'count' },
        { key: 'incremental', label: 'camp.incremental', value: ev.incrementalAcceptances, kind: 'count' },
        { key: 'acceptor-revenue', label: 'camp.acceptor_revenue', value: ev.acceptorRevenue, kind: 'money' },
      ]
    : [];

  return (
    <section className="panel" aria-labelledby="aud-size-heading" data-panel="audience-summary" aria-busy={busy}>
      <div className="panel-head">
        <h2 id="aud-size-heading">{t('camp.size')}</h2>
      </div>
      <StatusMessage loading={!seg.rows && seg.loading} error={seg.error}>
        <p className="aud-size" data-audience-size={ev && !busy ? ev.customers : ''} aria-live="polite">
          {ev ? t('camp.customers_n', { n: i18n.fmt(ev.customers, 'count') }) : ''}
        </p>
        <dl className="facts">
          {figures.map((f) => (
            <div key={f.key} style={{ display: 'contents' }}>
              <dt>{t(f.label)}</dt>
              <dd data-ev={f.key} data-value={f.value ?? ''}>{i18n.fmt(f.value, f.kind)}</dd>
            </div>
          ))}
        </dl>
        <p className="panel-note">{t('camp.ev_note')}</p>
        {ev && ev.withoutHistory > 0 ? <p className="panel-note" data-ev="without-history">{t('camp.no_history', { n: i18n.fmt(ev.withoutHistory, 'count') })}</p> : null}
      </StatusMessage>
      <h3>{t('camp.composition')}</h3>
      <div className="grid-3">
        {DIMS.map((d) => <Composition key={d.by} def={def} asOf={asOf} by={d.by} label={t(d.label)} />)}
      </div>
    </section>
  );
}

function Composition({ def, asOf, by, label }: { def: AudienceDefinition; asOf: string; by: CompositionDimension; label: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const q = useTrackedQuery<{ key: string; customers: number }>(useMemo(() => audienceCompositionQuery(def, asOf, by), [def, asOf, by]));
  const rows = q.rows ?? [];
  const total = rows.reduce((s, r) => s + r.customers, 0);
  return (
    <figure className="aud-composition" data-composition={by} aria-busy={q.loading}>
      <figcaption>{label}</figcaption>
      <StatusMessage loading={!q.rows && q.loading} error={q.error} empty={q.rows !== null && rows.length === 0}>
        <table className="data-table">
          <thead>
            <tr><th>{label}</th><th className="num">{t('measure.customers')}</th><th className="num">{t('camp.share')}</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-key={r.key} data-customers={r.customers}>
                <td>{i18n.code(r.key)}</td>
                <td className="num">{i18n.fmt(r.customers, 'count')}</td>
                <td className="num">
                  <span className="bar" style={{ width: `${total ? (100 * r.customers) / total : 0}%` }} aria-hidden="true" />
                  {i18n.fmt(total ? r.customers / total : null, 'rate')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </StatusMessage>
    </figure>
  );
}
