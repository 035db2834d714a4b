// Fetching what the server publishes under /extracts/: the manifest of the
// current version (never from a stale cache), then each file by its version
// path, which is immutable and may come from the HTTP cache. Reading the
// manifest once and every file through `versions/<version>/` means a publish
// in between cannot mix two versions (docs/decisions.md, "Extracts").

import type { Manifest, ManifestFile } from './api.ts';

export interface ExtractFetcher {
  manifest(): Promise<Manifest>;
  file(manifest: Manifest, file: ManifestFile): Promise<Uint8Array>;
}

export class ExtractError extends Error {
  override name = 'ExtractError';
}

/** `base` is the URL of the extracts folder, ending in '/', e.g. http://127.0.0.1:4173/extracts/. */
export function httpExtractFetcher(base: string | URL, fetchImpl: typeof fetch = (...a) => fetch(...a)): ExtractFetcher {
  const root = new URL(base);
  return {
    async manifest() {
      const url = new URL('current/manifest.json', root);
      const res = await fetchImpl(url, { cache: 'no-cache' });
      if (!res.ok) {
        throw new ExtractError(`${url.pathname} answered ${res.status}: no extracts are published yet — run the ETL (npm start or npm run etl -- run).`);
      }
      const m = (await res.json()) as Manifest;
      if (m.format !== 'gridlens-extracts' || m.format_version !== 1) {
        throw new ExtractError(`${url.pathname} is not a Gridlens extracts manifest of format 1 (format ${String(m.format)} ${String(m.format_version)}): reload the page after upgrading.`);
      }
      return m;
    },
    async file(manifest, file) {
      const url = new URL(`versions/${encodeURIComponent(manifest.version)}/${encodeURIComponent(file.file)}`, root);
      const res = await fetchImpl(url);
      if (!res.ok) {
        throw new ExtractError(`${url.pathname} answered ${res.status}: extract version ${manifest.version} is gone (pruned by newer runs?) — reload the page.`);
      }
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (bytes.byteLength !== file.bytes) {
        throw new ExtractError(`${url.pathname}: ${bytes.byteLength} bytes received, the manifest says ${file.bytes} — reload the page.`);
      }
      return bytes;
    },
  };
}
