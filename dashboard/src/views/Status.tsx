// What a panel says while it has nothing to show: loading, error or empty —
// never a blank area.

import type { ReactNode } from 'react';
import { ExtractWithheldError } from '../data/extract-fetch.ts';
import { useI18n } from '../i18n/i18n.tsx';

export function StatusMessage({ loading, error, empty, children }: { loading?: boolean; error?: Error | null; empty?: boolean; children?: ReactNode }) {
  const { t } = useI18n();
  // The user's role may not read the data this panel needs (manifest.access): say so, not "error".
  if (error instanceof ExtractWithheldError) return <div className="status status-empty" role="status" data-state="withheld">{t('state.withheld')}</div>;
  if (error) {
    return (
      <div className="status status-error" role="alert">
        <strong>{t('state.error')}</strong>: {error.message}
        <div className="status-hint">{t('state.error_hint')}</div>
      </div>
    );
  }
  if (loading) return <div className="status status-loading" role="status" aria-live="polite">{t('state.loading')}</div>;
  if (empty) return <div className="status status-empty" role="status">{t('state.empty')}</div>;
  return <>{children}</>;
}
