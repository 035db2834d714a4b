// The audience builder's form: every filter of an AudienceDefinition
// (campaigns/audience.ts). Controlled by the definition from the URL; each
// change hands back a new definition. Stable hooks for tests:
// [data-aud-list="<field>"] input[value], [data-aud-range="<field>-min|max"],
// [data-aud-field="<field>"].

import { useMemo, type ReactNode } from 'react';
import {
  DEFAULT_AUDIENCE, NEED_TAGS, NPS_CLASSES, OFFER_TYPES, PAST_OFFER_FILTERS, VALUE_TIERS,
  type AudienceDefinition, type Range,
} from '../campaigns/audience.ts';
import { audienceOptionsQuery, type OptionRow } from '../data/queries/campaigns.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { useTrackedQuery } from './use-tracked-query.ts';

type ListField = 'segment' | 'region' | 'tariff' | 'band' | 'npsClass' | 'valueTier' | 'pastOfferType' | 'needs';
type RangeField = 'overall' | 'churn' | 'tenureMonths' | 'latePayment' | 'tickets12m' | 'complaints12m';

interface Props {
  def: AudienceDefinition;
  onChange: (def: AudienceDefinition, o?: { typing?: boolean }) => void;
}

/** Ranges shown in percent (stored as 0–1). */
const PERCENT: ReadonlySet<RangeField> = new Set(['churn', 'latePayment']);

export function AudienceFilters({ def, onChange }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const options = useTrackedQuery<OptionRow>(useMemo(() => audienceOptionsQuery(), []));
  const values = (dim: OptionRow['dim']): string[] => (options.rows ?? []).filter((r) => r.dim === dim).map((r) => r.value);

  const toggle = (field: ListField, value: string): void => {
    const list = def[field] as string[];
    const next = list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
    onChange({ ...def, [field]: next });
  };
  const list = (field: ListField, choices: readonly string[], label: (v: string) => string): ReactNode => (
    <div className="aud-options" data-aud-list={field} role="group">
      {choices.map((v) => (
        <label key={v} className="option">
          <input type="checkbox" value={v} checked={(def[field] as string[]).includes(v)} onChange={() => toggle(field, v)} />
          {label(v)}
        </label>
      ))}
    </div>
  );
  const setRange = (field: RangeField, bound: keyof Range, text: string): void => {
    const raw = text.trim() === '' ? null : Number(text);
    const v = raw === null || !Number.isFinite(raw) ? null : PERCENT.has(field) ? raw / 100 : raw;
    onChange({ ...def, [field]: { ...def[field], [bound]: v } }, { typing: true });
  };
  const shown = (field: RangeField, v: number | null): string => (v === null ? '' : String(PERCENT.has(field) ? Math.round(v * 10000) / 100 : v));
  const range = (field: RangeField, label: MessageKey, o: { step?: number; min?: number; max?: number } = {}): ReactNode => (
    <fieldset className="aud-range" data-aud-range={field}>
      <legend>{t(label)}</legend>
      {(['min', 'max'] as const).map((b) => (
        <label key={b} className="control inline">
          <span>{t(b === 'min' ? 'camp.min' : 'camp.max')}</span>
          <input type="number" inputMode="decimal" name={`${field}-${b}`} data-aud-range={`${field}-${b}`} step={o.step ?? 1} min={o.min} max={o.max}
            value={shown(field, def[field][b])} onChange={(e) => setRange(field, b, e.target.value)} />
        </label>
      ))}
    </fieldset>
  );
  const nullableNumber = (field: 'contractEndsWithinMonths' | 'excludeContactedDays', label: MessageKey): ReactNode => (
    <label className="control">
      <span>{t(label)}</span>
      <input type="number" min={0} step={1} name={field} data-aud-field={field} value={def[field] ?? ''}
        onChange={(e) => {
          const n = e.target.value.trim() === '' ? null : Math.max(0, Math.floor(Number(e.target.value)));
          onChange({ ...def, [field]: n !== null && Number.isFinite(n) ? n : null }, { typing: true });
        }} />
    </label>
  );

  return (
    <div className="aud-filters" data-panel="audience-filters">
      <fieldset>
        <legend>{t('camp.customer_profile')}</legend>
        <div className="aud-group"><h4>{t('filter.segment')}</h4>{list('segment', values('segment'), i18n.code)}</div>
        <div className="aud-group"><h4>{t('filter.region')}</h4>{list('region', values('region'), i18n.code)}</div>
        <div className="aud-group"><h4>{t('filter.tariff')}</h4>{list('tariff', values('tariff'), i18n.code)}</div>
        <div className="aud-group"><h4>{t('filter.band')}</h4>{list('band', values('band'), i18n.code)}</div>
        <div className="aud-group"><h4>{t('camp.needs')}</h4>{list('needs', NEED_TAGS, (v) => t(`segments.need_${v}` as MessageKey))}</div>
      </fieldset>
      <fieldset>
        <legend>{t('camp.satisfaction')}</legend>
        <div className="aud-group"><h4>{t('camp.nps_class')}</h4>{list('npsClass', NPS_CLASSES, (v) => (v === 'none' ? t('camp.nps_none') : i18n.code(v)))}</div>
        {range('overall', 'camp.overall', { min: 1, max: 5 })}
      </fieldset>
      <fieldset>
        <legend>{t('camp.risk_value')}</legend>
        {range('churn', 'camp.churn', { min: 0, max: 100 })}
        <div className="aud-group"><h4>{t('camp.value_tier')}</h4>{list('valueTier', VALUE_TIERS, i18n.code)}</div>
        {range('tenureMonths', 'camp.tenure', { min: 0 })}
        {range('latePayment', 'camp.late', { min: 0, max: 100 })}
        {range('tickets12m', 'camp.tickets', { min: 0 })}
        {range('complaints12m', 'camp.complaints', { min: 0 })}
        {nullableNumber('contractEndsWithinMonths', 'camp.contract_end')}
      </fieldset>
      <fieldset>
        <legend>{t('camp.past_offers')}</legend>
        <label className="control">
          <span>{t('camp.past_offers')}</span>
          <select name="pastOffer" data-aud-field="pastOffer" value={def.pastOffer} onChange={(e) => onChange({ ...def, pastOffer: e.target.value as AudienceDefinition['pastOffer'] })}>
            {PAST_OFFER_FILTERS.map((p) => <option key={p} value={p}>{t(`camp.past.${p}` as MessageKey)}</option>)}
          </select>
        </label>
        <div className="aud-group"><h4>{t('camp.past_type')}</h4>{list('pastOfferType', values('last_offer_type'), i18n.code)}</div>
        {nullableNumber('excludeContactedDays', 'camp.exclude_days')}
        <label className="option">
          <input type="checkbox" name="includeClosed" data-aud-field="includeClosed" checked={def.includeClosed} onChange={(e) => onChange({ ...def, includeClosed: e.target.checked })} />
          {t('camp.include_closed')}
        </label>
      </fieldset>
      <div className="aud-actions">
        <label className="control">
          <span>{t('camp.offer_type')}</span>
          <select name="offerType" data-aud-field="offerType" value={def.offerType} onChange={(e) => onChange({ ...def, offerType: e.target.value as AudienceDefinition['offerType'] })}>
            {OFFER_TYPES.map((o) => <option key={o} value={o}>{i18n.code(o)}</option>)}
          </select>
        </label>
        <button type="button" data-action="reset-audience" onClick={() => onChange({ ...DEFAULT_AUDIENCE, offerType: def.offerType })}>{t('camp.reset')}</button>
      </div>
    </div>
  );
}
