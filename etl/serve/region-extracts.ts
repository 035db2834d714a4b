// Region-filtered copies of an extract version, for users restricted to
// regions: made on the first request for a (version, region set), kept on
// disk next to the version's files and pruned with it:
//
//   versions/<version>/.regions/<key>/index.json       regions + each file's rows, bytes, sha256
//   versions/<version>/.regions/<key>/<name>.arrow     rows of those regions only
//
// <key> is a hash of the sorted region names, so users with the same regions
// share one copy, and the served file name carries it (`<name>@r-<key>.arrow`,
// access-manifest.ts): a browser's cache can never answer one region set's
// request with another's file. The copy is written under a temporary folder
// and renamed into place, so a request never reads half a set; two processes
// making the same set at once both succeed and one copy is kept.
//
// What is filtered (docs/decisions.md, "Users and roles"): every extract with
// a `region` column. Per-customer extracts keep only rows of the allowed
// regions; aggregate extracts also keep their all-regions rows (region null:
// company totals). Extracts without a region column are company-wide
// aggregates and are served whole.

import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Manifest, ManifestFile } from '../extract/manifest.ts';
import type { Logger } from '../log.ts';
import { filterExtractByRegion } from './region-filter.ts';

export const REGION_SETS_DIR = '.regions';
export const REGION_COLUMN = 'region';
const INDEX_FILE = 'index.json';
const INDEX_FORMAT = 'gridlens-region-set';

export interface RegionFile {
  rows: number;
  bytes: number;
  sha256: string;
  cellsSuppressed: number;
}

export interface RegionSet {
  key: string;
  regions: string[];
  /** Absolute path of the set's folder. */
  dir: string;
  /** By extract (mart) name: the filtered copy `<dir>/<name>.arrow`. */
  files: Record<string, RegionFile>;
}

/** 16 hex digits of SHA-256 over the sorted, distinct region names. */
export function regionSetKey(regions: readonly string[]): string {
  const sorted = [...new Set(regions)].sort();
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

/** Whether the version's extract is filtered per region (it has a region column). */
export function isRegional(file: ManifestFile): boolean {
  return file.schema.some((c) => c.name === REGION_COLUMN);
}

/** Whether a regional extract keeps its null-region rows: aggregate marts do (all-regions totals), per-customer marts do not. */
export function keepsAllRegionsRows(manifest: Manifest, name: string): boolean {
  const customers = manifest.suppression.marts[name]?.customers_column;
  return typeof customers === 'string' && customers.length > 0;
}

const building = new Map<string, Promise<RegionSet>>();

/**
 * The region-filtered copies of `versionDir`'s regional extracts for
 * `regions`, made now unless made before (by this or another process).
 */
export function regionExtractSet(versionDir: string, manifest: Manifest, regions: readonly string[], logger?: Logger): Promise<RegionSet> {
  const sorted = [...new Set(regions)].sort();
  const key = regionSetKey(sorted);
  const dir = path.join(versionDir, REGION_SETS_DIR, key);
  let p = building.get(dir);
  if (!p) {
    p = (async () => (await readSet(dir, key, sorted, manifest)) ?? (await buildSet(versionDir, dir, key, sorted, manifest, logger)))();
    building.set(dir, p);
    // Kept only while building: afterwards the index on disk is the record.
    void p.finally(() => building.delete(dir)).catch(() => undefined);
  }
  return p;
}

async function readSet(dir: string, key: string, regions: string[], manifest: Manifest): Promise<RegionSet | null> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, INDEX_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const index = JSON.parse(text) as { format?: string; version?: string; regions?: string[]; files?: Record<string, RegionFile> };
  if (index.format !== INDEX_FORMAT || index.version !== manifest.version || JSON.stringify(index.regions) !== JSON.stringify(regions) || !index.files) {
    throw new Error(`${path.join(dir, INDEX_FILE)} does not describe regions ${JSON.stringify(regions)} of version ${manifest.version}: delete the folder ${dir} (it is remade on the next request).`);
  }
  return { key, regions, dir, files: index.files };
}

async function buildSet(versionDir: string, dir: string, key: string, regions: string[], manifest: Manifest, logger?: Logger): Promise<RegionSet> {
  const started = performance.now();
  const parent = path.join(versionDir, REGION_SETS_DIR);
  await fs.mkdir(parent, { recursive: true });
  const tmp = path.join(parent, `.partial-${key}-${process.pid}-${randomBytes(3).toString('hex')}`);
  await fs.mkdir(tmp);
  try {
    const allowed = new Set(regions);
    const files: Record<string, RegionFile> = {};
    for (const f of manifest.files.filter(isRegional)) {
      const r = await filterExtractByRegion(path.join(versionDir, f.file), path.join(tmp, `${f.name}.arrow`), {
        column: REGION_COLUMN, allowed, keepNull: keepsAllRegionsRows(manifest, f.name), suppressedColumn: manifest.suppression.flag_column,
      });
      files[f.name] = { rows: r.rows, bytes: r.bytes, sha256: r.sha256, cellsSuppressed: r.cellsSuppressed };
    }
    const index = { format: INDEX_FORMAT, version: manifest.version, regions, files };
    await fs.writeFile(path.join(tmp, INDEX_FILE), JSON.stringify(index, null, 2) + '\n', { mode: 0o644 });
    try {
      await fs.rename(tmp, dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      // Another process made the same set first: use its copy.
      const theirs = await readSet(dir, key, regions, manifest);
      if (theirs) return theirs;
      throw err;
    }
    logger?.info('region_extracts_made', { version: manifest.version, regions, files: Object.keys(files).length, ms: Math.round(performance.now() - started) });
    return { key, regions, dir, files };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
