// Saved audiences (named; in the URL and localStorage) and the overlap of two
// or three of them: customers counted by the exact set of audiences they are
// in (each region of a Venn diagram), with bars. Test hooks:
// [data-saved="<name>"], [data-overlap-mask="<bits>"][data-customers].

import { useMemo, useState } from 'react';
import type { AudienceDefinition, SavedAudience } from '../campaigns/audience.ts';
import { audienceOverlapQuery } from '../data/queries/audience.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { StatusMessage } from './Status.tsx';
import { useTrackedQuery } from './use-tracked-query.ts';

interface Props {
  current: AudienceDefinition;
  saved: SavedAudience[];
  overlap: string[];
  asOf: string;
  onSave: (name: string) => void;
  onOpen: (s: SavedAudience) => void;
  onDelete: (name: string) => void;
  onOverlap: (names: string[]) => void;
}

const LETTERS = ['A', 'B', 'C'];

export function SavedAudiences({ saved, overlap, asOf, onSave, onOpen, onDelete, onOverlap }: Props) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const chosen = overlap.map((n) => saved.find((s) => s.name === n)).filter((s): s is SavedAudience => s !== undefined);
  const toggle = (n: string): void => {
    const next = overlap.includes(n) ? overlap.filter((x) => x !== n) : [...overlap, n].slice(-3);
    onOverlap(next);
  };

  return (
    <section className="panel" aria-labelledby="saved-heading" data-panel="saved-audiences">
      <div className="panel-head">
        <h2 id="saved-heading">{t('camp.saved')}</h2>
      </div>
      <form className="aud-save" onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) {
          onSave(name.trim());
          setName('');
        }
      }}>
        <label className="control inline">
          <span>{t('camp.save_as')}</span>
          <input type="text" name="audience-name" maxLength={80} value={name} onChange={(e) => setName(e.target.value.replace(/\t/g, ' '))} />
        </label>
        <button type="submit" data-action="save-audience" disabled={!name.trim()}>{t('camp.save')}</button>
      </form>
      {saved.length === 0 ? <p className="panel-note">{t('camp.saved_none')}</p> : (
        <ul className="saved-list">
          {saved.map((s) => (
            <li key={s.name} data-saved={s.name}>
              <label className="option">
                <input type="checkbox" data-overlap-pick={s.name} checked={overlap.includes(s.name)} onChange={() => toggle(s.name)} />
                <strong>{chosen.includes(s) ? `${LETTERS[chosen.indexOf(s)]} · ` : ''}{s.name}</strong>
              </label>
              <button type="button" className="link" data-action="open-audience" onClick={() => onOpen(s)}>{t('camp.load')}</button>
              <button type="button" className="link" data-action="delete-audience" onClick={() => onDelete(s.name)}>{t('camp.delete')}</button>
            </li>
          ))}
        </ul>
      )}
      <h3>{t('camp.overlap')}</h3>
      {chosen.length >= 2 ? <Overlap audiences={chosen} asOf={asOf} /> : <p className="panel-note">{t('camp.overlap_hint')}</p>}
    </section>
  );
}

/** Label of an overlap region: "A ∩ B only" / "A only". */
function regionLabel(mask: number, n: number, only: string): string {
  const ins = LETTERS.slice(0, n).filter((_, i) => mask & (1 << i));
  return `${ins.join(' ∩ ')}${ins.length < n ? ` ${only}` : ''}`;
}

function Overlap({ audiences, asOf }: { audiences: SavedAudience[]; asOf: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const defs = audiences.map((a) => a.def);
  const key = JSON.stringify(defs);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- key stands for defs
  const q = useTrackedQuery<{ mask: number; customers: number }>(useMemo(() => audienceOverlapQuery(defs, asOf), [key, asOf]));
  const n = audiences.length;
  const by = new Map((q.rows ?? []).map((r) => [r.mask, r.customers]));
  const masks = Array.from({ length: (1 << n) - 1 }, (_, i) => i + 1).sort((a, b) => bits(a) - bits(b) || a - b);
  const union = [...by.values()].reduce((s, v) => s + v, 0);
  const max = Math.max(1, ...by.values());
  const sizes = audiences.map((_, i) => [...by].filter(([m]) => m & (1 << i)).reduce((s, [, v]) => s + v, 0));
  return (
    <StatusMessage loading={!q.rows && q.loading} error={q.error}>
      <table className="data-table" data-overlap={n} aria-busy={q.loading}>
        <tbody>
          {audiences.map((a, i) => (
            <tr key={a.name} data-overlap-audience={LETTERS[i]} data-customers={sizes[i]}>
              <th>{LETTERS[i]}</th><td>{a.name}</td><td className="num">{i18n.fmt(sizes[i]!, 'count')}</td><td />
            </tr>
          ))}
          {masks.map((m) => {
            const v = by.get(m) ?? 0;
            return (
              <tr key={m} data-overlap-mask={m} data-customers={v}>
                <th colSpan={2}>{regionLabel(m, n, t('camp.overlap_only'))}</th>
                <td className="num">{i18n.fmt(v, 'count')}</td>
                <td className="bar-cell"><span className="bar" style={{ width: `${(100 * v) / max}%` }} aria-hidden="true" /></td>
              </tr>
            );
          })}
          <tr data-overlap-union data-customers={union}>
            <th colSpan={2}>{t('camp.overlap_union')}</th><td className="num">{i18n.fmt(union, 'count')}</td><td />
          </tr>
        </tbody>
      </table>
    </StatusMessage>
  );
}

function bits(m: number): number {
  let c = 0;
  for (let x = m; x; x >>= 1) c += x & 1;
  return c;
}
