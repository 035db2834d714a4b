// Who sees which view (pure). The workbench is for roles with the `workbench`
// permission (etl/serve/roles.ts: analyst, admin). The dashboard learns the
// permissions from the manifest it already reads: a signing-in server cuts it
// to the user (manifest.access, the same answer as GET /api/session); without
// sign-in there is no `access` and everything is allowed. The permission only
// hides the tool: what it can read is what the server sent this user anyway.
// The Alerts view shows only when the manifest offers the usage_alert extract
// (a per-customer extract: withheld from executives, like customer; absent
// from versions published before the detectors existed).

import type { Manifest } from '../data/api.ts';
import type { ViewName } from '../state/url-state.ts';

export function mayUseWorkbench(manifest: Pick<Manifest, 'access'> | null): boolean {
  // Not known yet: hidden rather than shown and then taken away.
  if (!manifest) return false;
  return !manifest.access || manifest.access.permissions.includes('workbench');
}

/** The extract a view cannot work without, where the role or the version may lack it. */
const VIEW_EXTRACT: Partial<Record<ViewName, string>> = { alerts: 'usage_alert' };

export function viewAllowed(view: ViewName, manifest: (Pick<Manifest, 'access'> & { files?: Pick<Manifest['files'][number], 'name'>[] }) | null): boolean {
  if (view === 'workbench') return mayUseWorkbench(manifest);
  const needs = VIEW_EXTRACT[view];
  if (needs) return !!manifest?.files?.some((f) => f.name === needs);
  return true;
}
