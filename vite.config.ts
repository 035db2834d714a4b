import { defineConfig, type Connect, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { loadConfig } from './etl/config.ts';
import { createRequestHandler } from './etl/serve/server.ts';

// `vite` (dev) and `vite preview` serve the extracts the way `npm start` does
// (etl/serve): /extracts/current/manifest.json and /extracts/versions/<v>/<file>
// from GRIDLENS_EXTRACTS, so the dashboard's data layer works unchanged.
function extracts(): Plugin {
  const mount = (middlewares: Connect.Server) => {
    const handler = createRequestHandler({ distDir: '/nonexistent', extractsDir: loadConfig().extracts });
    middlewares.use((req, res, next) => ((req.url ?? '').startsWith('/extracts/') ? handler(req, res) : next()));
  };
  return {
    name: 'gridlens-extracts',
    configureServer: (server) => mount(server.middlewares),
    configurePreviewServer: (server) => mount(server.middlewares),
  };
}

// The dashboard lives in dashboard/; the build goes to dist/dashboard.
// DuckDB-WASM ships its own workers and wasm: never pre-bundle it (stack-notes.md);
// its files are imported with `?url` and emitted as hashed assets (no CDN).
export default defineConfig({
  root: 'dashboard',
  plugins: [react(), extracts()],
  build: { outDir: '../dist/dashboard', emptyOutDir: true },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm'] },
});
