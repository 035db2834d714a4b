// Evaluated before any other module of the page (main.tsx imports it first):
// the DuckDB engine is the slowest part of a cold start (its wasm is fetched
// and compiled in a worker), so it starts before React and the app's ~300 kB
// of modules run, rather than after the first render. The printable report
// (?view=report) never loads DuckDB.

import { browserEngine } from './data/engine-boot.ts';
import { isReportUrl } from './report/report-url.ts';

if (!isReportUrl(window.location.search)) void browserEngine();
