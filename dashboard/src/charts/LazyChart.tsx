// The Chart panel, loaded on demand: ECharts is most of the script, and the
// first screen (the KPI cards) must not wait for it to download and parse.
// Until it arrives the panel shows its title and "loading" (aria-busy), so the
// layout does not jump and tests see a busy chart, not a missing one.

import { lazy, Suspense, type ComponentProps } from 'react';
import { useI18n } from '../i18n/i18n.tsx';

const ChartPanel = lazy(() => import('./Chart.tsx').then((m) => ({ default: m.Chart })));

type Props = ComponentProps<typeof ChartPanel>;

export function Chart(props: Props) {
  return (
    <Suspense fallback={<Placeholder id={props.id} title={props.title} height={props.height} />}>
      <ChartPanel {...props} />
    </Suspense>
  );
}

function Placeholder({ id, title, height = 280 }: { id: string; title: string; height?: number }) {
  const { t } = useI18n();
  return (
    <figure className="panel chart" data-chart={id} aria-busy="true">
      <figcaption className="panel-head"><h3>{title}</h3></figcaption>
      <div className="status status-loading" role="status" style={{ minHeight: height }}>{t('state.loading')}</div>
    </figure>
  );
}
