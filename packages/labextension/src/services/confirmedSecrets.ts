import { normalizeServerUrl } from './serverUrl';

/**
 * The fingerprints this user confirmed as not secrets, by gallery notebook, so that the next save of the same notebook
 * does not ask again: the gallery keeps them per notebook too, but does not list them. Only fingerprints (SHA-256 of
 * rule and value) are kept, in `localStorage` under the Jupyter server's base URL, as `CopyRegistry` is.
 */
export class ConfirmedSecrets {
  /** Read what is kept for `options.scope` (the Jupyter server's base URL). */
  constructor(options: { scope: string; storage?: Storage }) {
    this._storage = options.storage ?? window.localStorage;
    this._key = `notebook-gallery:confirmed-secrets:${options.scope}`;
  }

  /** The fingerprints confirmed for gallery notebook `id` on `server`. */
  of(server: string, id: string): string[] {
    return this._read()[Private.notebookKey(server, id)] ?? [];
  }

  /** Remember `fingerprints` as confirmed for gallery notebook `id` on `server` (after the gallery accepted them). */
  add(server: string, id: string, fingerprints: readonly string[]): void {
    if (fingerprints.length === 0) {
      return;
    }
    const all = this._read();
    const key = Private.notebookKey(server, id);
    const kept = [...new Set([...(all[key] ?? []), ...fingerprints])];
    all[key] = kept.slice(-Private.MAX_PER_NOTEBOOK);
    try {
      this._storage.setItem(this._key, JSON.stringify(all));
    } catch {
      // Storage full or refused: the next save asks again, as the gallery's own check would.
    }
  }

  private _read(): Record<string, string[]> {
    try {
      const stored: unknown = JSON.parse(this._storage.getItem(this._key) ?? '{}');
      return stored !== null && typeof stored === 'object' && !Array.isArray(stored)
        ? (stored as Record<string, string[]>)
        : {};
    } catch {
      // A damaged entry only means the user is asked again.
      return {};
    }
  }

  private _storage: Storage;
  private _key: string;
}

namespace Private {
  /** Enough for any real notebook; keeps a runaway list from filling the storage. */
  export const MAX_PER_NOTEBOOK = 500;

  export function notebookKey(server: string, id: string): string {
    return `${normalizeServerUrl(server)} ${id}`;
  }
}
