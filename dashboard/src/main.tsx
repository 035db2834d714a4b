// Entry point: mounts the app. Styles are imported here so Vite bundles them.

// First: starts the DuckDB engine before the other modules are evaluated (boot.ts).
import './boot.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { dataSource } from './data/client.ts';
import { isReportUrl } from './report/report-url.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks <div id="root">');

if (isReportUrl(window.location.search)) {
  // The printable customer report (?view=report): its own chunk, data from
  // /api/ only, so neither the extracts nor DuckDB are loaded for it.
  void import('./report/report-main.tsx').then((m) => m.mountReport(root));
} else {
  // The manifest fetch starts now, before React's first render rather than in
  // its first effect; the DuckDB engine is already starting (boot.ts).
  dataSource().start();
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
