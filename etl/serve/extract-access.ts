// Which extract files a signed-in user may fetch, and the manifest they see
// (with authentication on): the published manifest of a version, cut by role
// and region (access-manifest.ts), serialised and compressed once per user
// and version and kept in memory; region-filtered copies made on first need
// (region-extracts.ts).
//
// Cache keys hold the version, the user, the role and the regions, so one
// user's manifest is never answered to another, and a role or region change
// in the users file takes effect on the next request.

import fs from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_FILE, type Manifest } from '../extract/manifest.ts';
import { VERSIONS_DIR } from '../extract/versions.ts';
import type { Logger } from '../log.ts';
import { REGION_FILE_RE, userManifest, type UserManifest } from './access-manifest.ts';
import { regionExtractSet } from './region-extracts.ts';
import type { Principal } from './roles.ts';
import { memoryBody, type MemoryBody } from './send.ts';
import { findFile } from './static-files.ts';

export interface ServedVersion {
  version: string;
  /** Real path of the version folder. */
  dir: string;
  manifest: UserManifest;
  /** The user's manifest as JSON, in every encoding. */
  body: MemoryBody;
  /** Served names of every file of the version (the published ones): a request for one of these that is not the user's is refused, not "not found". */
  published: ReadonlySet<string>;
}

export type FileDecision = { kind: 'file'; dir: string; relative: string } | { kind: 'forbidden' } | { kind: 'missing' };

export interface ExtractAccess {
  /** The version `current` points to, or null when nothing is published. */
  currentVersion(): Promise<string | null>;
  /** What `principal` sees of `version`; null when there is no such version. */
  served(principal: Principal, version: string): Promise<ServedVersion | null>;
  /** Whether the user `served` was made for may fetch the version's file `name` (and where it is when so). */
  file(served: ServedVersion, name: string): FileDecision;
}

/** A small LRU of promises; a rejected promise or a null answer (no such version yet) is dropped so the next request tries again. */
function promiseCache<T>(limit: number) {
  const map = new Map<string, Promise<T>>();
  return (key: string, make: () => Promise<T>): Promise<T> => {
    let p = map.get(key);
    if (p) {
      map.delete(key);
      map.set(key, p);
      return p;
    }
    p = make();
    map.set(key, p);
    const forget = () => {
      if (map.get(key) === p) map.delete(key);
    };
    p.then((v) => v === null && forget(), forget);
    while (map.size > limit) map.delete(map.keys().next().value as string);
    return p;
  };
}

export function createExtractAccess(o: { extractsDir: string; logger?: Logger }): ExtractAccess {
  const bases = promiseCache<{ dir: string; manifest: Manifest } | null>(16);
  const users = promiseCache<ServedVersion | null>(256);

  const baseOf = (version: string) =>
    bases(version, async () => {
      const found = await findFile(o.extractsDir, `${VERSIONS_DIR}/${version}/${MANIFEST_FILE}`);
      if (!found) return null;
      const manifest = JSON.parse(await fs.readFile(found.path, 'utf8')) as Manifest;
      return { dir: path.dirname(found.path), manifest };
    });

  return {
    async currentVersion() {
      const found = await findFile(o.extractsDir, `current/${MANIFEST_FILE}`);
      return found ? path.basename(path.dirname(found.path)) : null;
    },

    served(principal, version) {
      const key = JSON.stringify([version, principal.user.toLowerCase(), principal.role, principal.regions]);
      return users(key, async () => {
        const base = await baseOf(version);
        if (!base) return null;
        const regionSet = principal.regions ? await regionExtractSet(base.dir, base.manifest, principal.regions, o.logger) : null;
        const manifest = userManifest(base.manifest, principal, regionSet);
        return {
          version,
          dir: base.dir,
          manifest,
          body: memoryBody(Buffer.from(JSON.stringify(manifest.manifest, null, 2) + '\n')),
          published: new Set([MANIFEST_FILE, ...base.manifest.files.map((f) => f.file)]),
        };
      });
    },

    file(served, name) {
      const relative = served.manifest.files.get(name);
      if (relative) return { kind: 'file', dir: served.dir, relative };
      return served.published.has(name) || REGION_FILE_RE.test(name) ? { kind: 'forbidden' } : { kind: 'missing' };
    },
  };
}
