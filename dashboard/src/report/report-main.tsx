// Entry of the report page (loaded with import() by main.tsx for
// ?view=report): no extracts and no DuckDB, only /api/customer-report.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ReportApp } from './ReportPage.tsx';

export function mountReport(root: HTMLElement): void {
  createRoot(root).render(
    <StrictMode>
      <ReportApp />
    </StrictMode>,
  );
}
