// Saved audiences in the browser's localStorage (the URL carries them too,
// state/url-state.ts `saud`): one JSON array under one key. Storage may be
// unavailable (private mode, quota): then the URL is the only store.

import { decodeSaved, encodeSaved, type SavedAudience } from './audience.ts';

const KEY = 'gridlens.audiences';

export function loadSavedAudiences(): SavedAudience[] {
  try {
    const raw = window.localStorage.getItem(KEY);
    const list = raw ? (JSON.parse(raw) as unknown) : [];
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string').map(decodeSaved).filter((s): s is SavedAudience => s !== null) : [];
  } catch {
    return [];
  }
}

export function storeSavedAudiences(list: readonly SavedAudience[]): void {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(list.map(encodeSaved)));
  } catch {
    // Storage full or off: the URL still holds them.
  }
}
