import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dashboard lives in dashboard/; the build goes to dist/dashboard.
// DuckDB-WASM ships its own workers and wasm: never pre-bundle it (stack-notes.md).
export default defineConfig({
  root: 'dashboard',
  plugins: [react()],
  build: { outDir: '../dist/dashboard', emptyOutDir: true },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm'] },
});
