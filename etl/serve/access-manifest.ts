// The manifest one user is served (pure): the published manifest of a version
// cut to what the user's role may read, with the region-filtered copies in
// place of the regional extracts for a user restricted to regions — their
// file names, rows, bytes and sha256, so the dashboard's checks hold — and an
// `access` block saying who it is for and which extracts were withheld.
// Also the map from each served file name to the file on disk: the server
// serves a version's file to a user only when it is in that map.

import type { Manifest, ManifestFile, MartSuppression } from '../extract/manifest.ts';
import { isRegional, REGION_SETS_DIR, type RegionSet } from './region-extracts.ts';
import { mayReadExtract, permissionsOf, type Principal } from './roles.ts';

/** Served name of a region-filtered copy: `segment_month.arrow` → `segment_month@r-<key>.arrow`. */
export function regionFileName(file: string, key: string): string {
  const dot = file.lastIndexOf('.');
  return dot > 0 ? `${file.slice(0, dot)}@r-${key}${file.slice(dot)}` : `${file}@r-${key}`;
}

/** A served name of some region set's copy (whoever's). */
export const REGION_FILE_RE = /@r-[0-9a-f]{16}(\.[A-Za-z0-9]+)?$/;

export interface UserManifest {
  manifest: Manifest;
  /** Served file name → path relative to the version folder. */
  files: Map<string, string>;
}

export function userManifest(base: Manifest, principal: Principal, regionSet: Pick<RegionSet, 'key' | 'files'> | null): UserManifest {
  if (principal.regions && !regionSet) throw new Error(`user ${principal.user} is restricted to regions: their region set is needed`);
  const readable = base.files.filter((f) => mayReadExtract(principal.role, base.suppression.marts[f.name]?.customers_column));
  const withheld = base.files.filter((f) => !readable.includes(f)).map((f) => f.name);
  const files = new Map<string, string>();
  const filtered = new Set<string>();
  const marts: Record<string, MartSuppression> = {};

  const served: ManifestFile[] = readable.map((f) => {
    const suppression = base.suppression.marts[f.name];
    if (!principal.regions || !isRegional(f)) {
      files.set(f.file, f.file);
      if (suppression) marts[f.name] = suppression;
      return f;
    }
    const copy = regionSet!.files[f.name];
    if (!copy) throw new Error(`region set ${regionSet!.key} of version ${base.version} has no copy of ${f.name}: delete its folder to have it remade`);
    const name = regionFileName(f.file, regionSet!.key);
    files.set(name, `${REGION_SETS_DIR}/${regionSet!.key}/${f.name}.arrow`);
    filtered.add(f.name);
    if (suppression) marts[f.name] = { ...suppression, cells: copy.rows, cells_suppressed: copy.cellsSuppressed };
    return { ...f, file: name, rows: copy.rows, bytes: copy.bytes, sha256: copy.sha256 };
  });

  const { summary, answers, access: _published, ...rest } = base;
  // The summary and the answers repeat marts' figures: only for a user who gets those marts whole.
  const whole = (mart: string) => readable.some((f) => f.name === mart) && !filtered.has(mart);
  const keepSummary = summary !== undefined && whole(summary.mart);
  const manifest: Manifest = {
    ...rest,
    files: served,
    ...(keepSummary ? { summary } : {}),
    ...(answers ? { answers: answers.filter((a) => a.extracts.every(whole)) } : {}),
    access: {
      user: principal.user,
      role: principal.role,
      permissions: permissionsOf(principal.role),
      regions: principal.regions ? [...principal.regions] : null,
      withheld,
    },
    suppression: { ...base.suppression, marts },
  };
  return { manifest, files };
}
