// Campaign results (campaign_result extract): every campaign's total — its
// segments' counts added, then uplift and 95 % interval (campaigns/uplift.ts)
// drawn as an interval bar around zero — and, for the chosen campaign, the
// rows by offer type and segment. Test hooks: tr[data-campaign-total="<id>"]
// with data-uplift / data-low / data-high, tr[data-result-row] with data-segment.

import { useMemo } from 'react';
import { campaignTotals } from '../campaigns/results.ts';
import type { MeanDiffInterval } from '../campaigns/uplift.ts';
import { campaignResultsQuery, type CampaignRow } from '../data/queries/campaigns.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { ScreenState } from '../state/url-state.ts';
import { StatusMessage } from './Status.tsx';
import { useTrackedQuery } from './use-tracked-query.ts';

interface Props {
  campaign: string | null;
  onChange: (patch: Partial<ScreenState>) => void;
}

export function CampaignResults({ campaign, onChange }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const q = useTrackedQuery<CampaignRow>(useMemo(() => campaignResultsQuery(), []));
  const rows = q.rows ?? [];
  const totals = useMemo(() => campaignTotals(rows), [rows]);
  const chosen = totals.find((c) => c.id === campaign) ?? totals[0] ?? null;
  const detail = chosen ? rows.filter((r) => r.campaign_id === chosen.id) : [];
  // A common scale for the interval bars: the widest |end| over all campaigns.
  const scale = Math.max(0.05, ...totals.flatMap((c) => [Math.abs(c.interval.low ?? 0), Math.abs(c.interval.high ?? 0)]));
  const pos = (x: number): number => 50 + (50 * x) / scale;
  const rate = (v: number | null): string => i18n.fmt(v, 'rate');
  const interval = (lo: number | null, hi: number | null): string => (lo === null || hi === null ? '–' : `${rate(lo)} … ${rate(hi)}`);
  const change = (d: MeanDiffInterval, kind: 'kwh' | 'money'): string =>
    d.diff === null ? '–' : `${i18n.fmt(d.diff, kind, { unit: false })}${d.low !== null && d.high !== null ? ` (${i18n.fmt(d.low, kind, { unit: false })} … ${i18n.fmt(d.high, kind, { unit: false })})` : ''}`;

  return (
    <section className="panel" aria-labelledby="results-heading" data-panel="campaign-results">
      <div className="panel-head">
        <h2 id="results-heading">{t('camp.results')}</h2>
      </div>
      <StatusMessage loading={!q.rows && q.loading} error={q.error} empty={q.rows !== null && rows.length === 0}>
        <table className="data-table campaign-totals">
          <thead>
            <tr>
              <th>{t('camp.campaign')}</th><th>{t('camp.col.offer_type')}</th>
              <th className="num">{t('camp.col.targeted')}</th><th className="num">{t('camp.col.treated')}</th><th className="num">{t('camp.col.holdout_n')}</th>
              <th className="num">{t('camp.col.response_rate')}</th><th className="num">{t('camp.col.p1')}</th><th className="num">{t('camp.col.p0')}</th>
              <th className="num">{t('camp.col.uplift')}</th><th>{t('camp.col.interval')}</th><th aria-hidden="true" />
              <th className="num">{t('camp.col.kwh_diff')}</th><th className="num">{t('camp.col.revenue_diff')}</th>
            </tr>
          </thead>
          <tbody>
            {totals.map((c) => {
              const iv = c.interval;
              return (
                <tr key={c.id} data-campaign-total={c.id} data-uplift={iv.uplift ?? ''} data-low={iv.low ?? ''} data-high={iv.high ?? ''}
                  aria-selected={chosen?.id === c.id} className={chosen?.id === c.id ? 'selected' : undefined}>
                  <td><button type="button" className="link" data-campaign-pick={c.id} onClick={() => onChange({ campaign: c.id })}>{c.name}</button>{c.firstSentOn ? <span className="panel-note"> {i18n.day(c.firstSentOn)}</span> : null}</td>
                  <td>{c.offerTypes.map(i18n.code).join(', ')}</td>
                  <td className="num">{i18n.fmt(c.targeted, 'count')}</td>
                  <td className="num">{i18n.fmt(c.treated, 'count')}</td>
                  <td className="num">{i18n.fmt(c.holdout, 'count')}</td>
                  <td className="num">{rate(c.treated ? c.responded / c.treated : null)}</td>
                  <td className="num">{rate(iv.p1)}</td>
                  <td className="num">{rate(iv.p0)}</td>
                  <td className="num"><strong>{rate(iv.uplift)}</strong></td>
                  <td>{interval(iv.low, iv.high)}</td>
                  <td className="interval-cell" aria-hidden="true">
                    {iv.low !== null && iv.high !== null ? (
                      <span className="interval-track">
                        <span className="interval-zero" style={{ left: '50%' }} />
                        <span className="interval-bar" style={{ left: `${pos(iv.low)}%`, width: `${pos(iv.high) - pos(iv.low)}%` }} />
                        <span className="interval-dot" style={{ left: `${pos(iv.uplift!)}%` }} />
                      </span>
                    ) : null}
                  </td>
                  <td className="num" data-kwh-diff={c.kwh.diff ?? ''} data-kwh-low={c.kwh.low ?? ''} data-kwh-high={c.kwh.high ?? ''}>
                    {change(c.kwh, 'kwh')}
                  </td>
                  <td className="num" data-revenue-diff={c.revenue.diff ?? ''} data-revenue-low={c.revenue.low ?? ''} data-revenue-high={c.revenue.high ?? ''}>
                    {change(c.revenue, 'money')}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="panel-note">{t('camp.results_note')}</p>
        <p className="panel-note">{t('camp.incremental_note')}</p>
        {chosen ? (
          <>
            <div className="panel-head">
              <h3>{chosen.name}</h3>
              <label className="control inline">
                <span>{t('camp.campaign')}</span>
                <select name="campaign" value={chosen.id} onChange={(e) => onChange({ campaign: e.target.value })}>
                  {totals.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
                </select>
              </label>
            </div>
            <table className="data-table" data-campaign-detail={chosen.id}>
              <thead>
                <tr>
                  <th>{t('camp.col.offer_type')}</th><th>{t('col.segment')}</th>
                  <th className="num">{t('camp.col.targeted')}</th><th className="num">{t('camp.col.responded')}</th><th className="num">{t('camp.col.accepted')}</th>
                  <th className="num">{t('camp.col.p1')}</th><th className="num">{t('camp.col.p0')}</th>
                  <th className="num">{t('camp.col.uplift')}</th><th>{t('camp.col.interval')}</th>
                </tr>
              </thead>
              <tbody>
                {detail.map((r) => (
                  <tr key={`${r.offer_type}|${r.segment}`} data-result-row data-offer={r.offer_type} data-segment={r.segment} data-suppressed={r.suppressed}>
                    <td>{i18n.code(r.offer_type)}</td>
                    <td>{i18n.code(r.segment)}{r.suppressed ? ` (${t('segments.hidden')})` : ''}</td>
                    <td className="num">{i18n.fmt(r.targeted, 'count')}</td>
                    <td className="num">{i18n.fmt(r.responded, 'count')}</td>
                    <td className="num">{i18n.fmt(r.accepted_treated, 'count')}</td>
                    <td className="num">{rate(r.treated_acceptance_rate)}</td>
                    <td className="num">{rate(r.holdout_acceptance_rate)}</td>
                    <td className="num">{rate(r.uplift)}</td>
                    <td>{interval(r.uplift_low, r.uplift_high)}</td>
                  </tr>
                ))}
                <tr data-result-total={chosen.id}>
                  <th colSpan={2}>{t('camp.total')}</th>
                  <td className="num">{i18n.fmt(chosen.targeted, 'count')}</td>
                  <td className="num">{i18n.fmt(chosen.responded, 'count')}</td>
                  <td className="num">{i18n.fmt(chosen.acceptedTreated, 'count')}</td>
                  <td className="num">{rate(chosen.interval.p1)}</td>
                  <td className="num">{rate(chosen.interval.p0)}</td>
                  <td className="num"><strong>{rate(chosen.interval.uplift)}</strong></td>
                  <td>{interval(chosen.interval.low, chosen.interval.high)}</td>
                </tr>
              </tbody>
            </table>
            {chosen.leftOut > 0 ? <p className="panel-note">{t('camp.left_out', { n: chosen.leftOut })}</p> : null}
          </>
        ) : null}
      </StatusMessage>
    </section>
  );
}
