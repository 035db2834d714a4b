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

/** The extract exists but the signed-in user's role may not read it (manifest.access.withheld): a state to show, not a failure. */
export class ExtractWithheldError extends ExtractError {
  override name = 'ExtractWithheldError';
}

/** 401/403 from a server that signs users in: the session ended (or was never there). */
function signInMessage(path: string, status: number): string | null {
  if (status === 401) return `${path} answered 401: your session has ended — reload the page to sign in again.`;
  if (status === 403) return `${path} answered 403: your role may not read it.`;
  return null;
}

/** Any other failed answer (500, a proxy's 502…): the server failed, nothing says the file is missing. */
function serverFailedMessage(path: string, status: number): string {
  return `${path} answered ${status}: the server could not send it — reload the page; if this persists, check the server's log.`;
}

/** `base` is the URL of the extracts folder, ending in '/', e.g. http://127.0.0.1:4173/extracts/. */
export function httpExtractFetcher(base: string | URL, fetchImpl: typeof fetch = (...a) => fetch(...a)): ExtractFetcher {
  const root = new URL(base);
  return {
    async manifest() {
      const url = new URL('current/manifest.json', root);
      const res = await fetchImpl(url, { cache: 'no-cache' });
      if (!res.ok) {
        throw new ExtractError(signInMessage(url.pathname, res.status) ?? (res.status === 404
          ? `${url.pathname} answered 404: no extracts are published yet — run the ETL (npm start or npm run etl -- run).`
          : serverFailedMessage(url.pathname, res.status)));
      }
      const text = await res.text();
      let m: Manifest;
      try {
        m = JSON.parse(text) as Manifest;
      } catch (err) {
        throw new ExtractError(`${url.pathname} is not valid JSON (${(err as Error).message}): the published extracts are damaged — run the ETL again (npm run etl -- run), then reload the page.`);
      }
      if (m?.format !== 'gridlens-extracts' || m.format_version !== 1 || !Array.isArray(m.files)) {
        throw new ExtractError(`${url.pathname} is not a Gridlens extracts manifest of format 1 (format ${String(m?.format)} ${String(m?.format_version)}): reload the page after upgrading.`);
      }
      return m;
    },
    async file(manifest, file) {
      const url = new URL(`versions/${encodeURIComponent(manifest.version)}/${encodeURIComponent(file.file)}`, root);
      const res = await fetchImpl(url);
      if (!res.ok) {
        throw new ExtractError(signInMessage(url.pathname, res.status) ?? (res.status === 404
          ? `${url.pathname} answered 404: extract version ${manifest.version} is gone (pruned by newer runs?) — reload the page.`
          : serverFailedMessage(url.pathname, res.status)));
      }
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (bytes.byteLength !== file.bytes) {
        throw new ExtractError(`${url.pathname}: ${bytes.byteLength} bytes received, the manifest says ${file.bytes} — reload the page.`);
      }
      return bytes;
    },
  };
}
