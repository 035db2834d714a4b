// Entry point: mounts the app. Styles are imported here so Vite bundles them.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { dataSource } from './data/client.ts';
import './styles.css';

// The manifest fetch and the DuckDB worker (its script, then the wasm) start
// now, before React's first render rather than in its first effect.
dataSource().start();

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks <div id="root">');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
