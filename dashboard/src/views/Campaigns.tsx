// Campaigns (营销活动): the campaign planner. Build an audience from filters
// over the customer extract (its size, value and composition follow), save
// audiences by name and compare two or three, draw a reproducible holdout,
// export the target list (account numbers from the audited server endpoint),
// and read past campaigns' results with their uplift intervals. All state is
// in the URL (state/url-state.ts: aud, saud, ov, hs, hseed, hstrat, camp);
// saved audiences are kept in localStorage too.

import { useEffect, useMemo } from 'react';
import { decodeAudience, decodeSaved, encodeAudience, encodeSaved, mergeSaved, type AudienceDefinition, type SavedAudience } from '../campaigns/audience.ts';
import { loadSavedAudiences, storeSavedAudiences } from '../campaigns/saved-store.ts';
import { useDataStatus } from '../data/hooks.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { ScreenState } from '../state/url-state.ts';
import { AudienceFilters } from './AudienceFilters.tsx';
import { AudienceSummary } from './AudienceSummary.tsx';
import { CampaignResults } from './CampaignResults.tsx';
import { SavedAudiences } from './SavedAudiences.tsx';
import { TargetListExport } from './TargetListExport.tsx';
import './campaigns.css';

interface Props {
  state: ScreenState;
  onChange: (patch: Partial<ScreenState>, o?: { replace?: boolean; interaction?: boolean }) => void;
}

export function Campaigns({ state, onChange }: Props) {
  const { t } = useI18n();
  const { manifest } = useDataStatus();
  const asOf = manifest?.data_as_of ?? null;
  const def = useMemo(() => decodeAudience(state.audience), [state.audience]);
  const savedKey = state.saved.join('\n');
  // The URL's saved audiences over the browser's (a shared link brings its own).
  // eslint-disable-next-line react-hooks/exhaustive-deps -- savedKey stands for state.saved
  const saved = useMemo(() => mergeSaved(loadSavedAudiences(), state.saved.map(decodeSaved).filter((s): s is SavedAudience => s !== null)), [savedKey]);
  // Those that came with the URL are kept in this browser too.
  useEffect(() => {
    if (state.saved.length) storeSavedAudiences(saved);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [savedKey]);
  const current = saved.find((s) => encodeAudience(s.def) === encodeAudience(def))?.name ?? null;
  const holdout = useMemo(() => ({ share: state.holdoutPct / 100, seed: state.holdoutSeed, stratify: state.holdoutStratify }), [state.holdoutPct, state.holdoutSeed, state.holdoutStratify]);

  const setDef = (next: AudienceDefinition, o: { typing?: boolean } = {}): void => {
    onChange({ audience: encodeAudience(next) || null }, { replace: o.typing === true });
  };
  const writeSaved = (list: SavedAudience[], patch: Partial<ScreenState> = {}): void => {
    storeSavedAudiences(list);
    onChange({ saved: list.map(encodeSaved), ...patch }, { interaction: false });
  };

  return (
    <div className="view view-campaigns" data-view-name="campaigns">
      <section className="panel" aria-labelledby="aud-heading" data-panel="audience">
        <div className="panel-head">
          <h2 id="aud-heading">{t('camp.audience')}{current ? ` · ${current}` : ''}</h2>
        </div>
        <p className="panel-note">{t('camp.audience_note')}</p>
        <AudienceFilters def={def} onChange={setDef} />
      </section>
      {asOf ? (
        <>
          <div className="grid-2">
            <AudienceSummary def={def} asOf={asOf} holdoutShare={holdout.share} />
            <div className="panel-stack">
              <TargetListExport def={def} name={current} asOf={asOf} holdout={holdout} onChange={onChange} />
              <SavedAudiences
                current={def} saved={saved} overlap={state.overlap.filter((n) => saved.some((s) => s.name === n))} asOf={asOf}
                onSave={(name) => writeSaved(mergeSaved(saved, [{ name, def }]))}
                onOpen={(s) => setDef(s.def)}
                onDelete={(name) => writeSaved(saved.filter((s) => s.name !== name), { overlap: state.overlap.filter((n) => n !== name) })}
                onOverlap={(names) => onChange({ overlap: names })}
              />
            </div>
          </div>
          <CampaignResults campaign={state.campaign} onChange={onChange} />
        </>
      ) : null}
    </div>
  );
}
