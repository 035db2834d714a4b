// Data-freshness panel: data as of, when the extracts were published, and the
// run that published them (status, rows rejected) when the manifest records it.

import { useDataStatus } from '../data/hooks.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { runInfoOf } from './run-info.ts';

export function Freshness() {
  const { manifest } = useDataStatus();
  const i18n = useI18n();
  const { t } = i18n;
  if (!manifest) return null;
  const run = runInfoOf(manifest);
  return (
    <section className="panel freshness" aria-labelledby="fresh-heading" data-panel="freshness">
      <div className="panel-head">
        <h2 id="fresh-heading">{t('fresh.title')}</h2>
      </div>
      <dl className="facts">
        <dt>{t('fresh.as_of')}</dt>
        <dd data-fact="data-as-of" data-value={manifest.data_as_of}>{i18n.day(manifest.data_as_of)}</dd>
        <dt>{t('fresh.published')}</dt>
        <dd data-fact="published">{i18n.timestamp(manifest.created_at)}</dd>
        <dt>{t('fresh.run')}</dt>
        <dd data-fact="run-id">{String(manifest.run_id)} · {t('fresh.version')} {manifest.version}</dd>
        <dt>{t('fresh.run_status')}</dt>
        <dd data-fact="run-status" data-value={run.status ?? ''}>
          {run.status ?? t('fresh.unknown')}
          {run.finishedAt ? ` · ${i18n.timestamp(run.finishedAt)}` : ''}
        </dd>
        <dt>{t('fresh.rejected')}</dt>
        <dd data-fact="rows-rejected" data-value={run.rowsRejected ?? ''}>
          {run.rowsRejected === null ? t('fresh.unknown') : i18n.fmt(run.rowsRejected, 'count')}
          {run.rowsRead !== null ? ` / ${i18n.fmt(run.rowsRead, 'count')}` : ''}
        </dd>
      </dl>
    </section>
  );
}
