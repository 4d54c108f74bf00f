import type { IGalleryProvenance } from '@notebook-gallery/core';
import { Signal, type ISignal } from '@lumino/signaling';
import { normalizeServerUrl } from './serverUrl';

/** A local copy of a gallery notebook, known from its `metadata.gallery` when it was opened or saved. */
export interface IKnownCopy extends IGalleryProvenance {
  /** The file, relative to the Jupyter root. */
  path: string;
  /** A newer revision the user chose to put beside the copy instead of taking it; not offered again. */
  declined?: string;
}

/**
 * The local copies this JupyterLab knows, by path, so the sidebar can say which gallery notebooks have a newer
 * revision than the user's copy without opening every file. Kept in `localStorage` under the Jupyter server's base
 * URL, so two JupyterLabs on one origin (JupyterHub users) never share it.
 */
export class CopyRegistry {
  /** Read the copies kept for `options.scope` (the Jupyter server's base URL). */
  constructor(options: CopyRegistry.IOptions) {
    this._storage = options.storage ?? window.localStorage;
    this._key = `notebook-gallery:copies:${options.scope}`;
    try {
      const stored = JSON.parse(this._storage.getItem(this._key) ?? '[]') as IKnownCopy[];
      for (const copy of Array.isArray(stored) ? stored : []) {
        if (typeof copy?.path === 'string' && typeof copy.id === 'string' && typeof copy.revision === 'string') {
          this._copies.set(copy.path, copy);
        }
      }
    } catch {
      // A damaged entry only means the copies are learnt again as they are opened.
    }
  }

  /** Emitted when a copy is added, changed or forgotten. */
  get changed(): ISignal<CopyRegistry, void> {
    return this._changed;
  }

  /** The copy at `path`, or undefined. */
  get(path: string): IKnownCopy | undefined {
    return this._copies.get(path);
  }

  /** Every known copy of gallery notebook `id` on `server`. */
  copiesOf(id: string, server: string): IKnownCopy[] {
    const url = normalizeServerUrl(server);
    return [...this._copies.values()].filter(copy => copy.id === id && normalizeServerUrl(copy.server) === url);
  }

  /** Every known copy on `server`. */
  copiesOn(server: string): IKnownCopy[] {
    const url = normalizeServerUrl(server);
    return [...this._copies.values()].filter(copy => normalizeServerUrl(copy.server) === url);
  }

  /** Record that `path` holds a copy of `provenance`; a newer revision than the one declined clears the decline. */
  remember(path: string, provenance: IGalleryProvenance): void {
    const known = this._copies.get(path);
    const next: IKnownCopy = { path, id: provenance.id, revision: provenance.revision, server: provenance.server };
    if (known?.id === next.id && known.declined && known.declined !== next.revision) {
      next.declined = known.declined;
    }
    if (known && JSON.stringify(known) === JSON.stringify(next)) {
      return;
    }
    this._copies.set(path, next);
    this._save();
  }

  /** The user kept their copy at `path` and put `revision` beside it: stop offering that revision for it. */
  decline(path: string, revision: string): void {
    const known = this._copies.get(path);
    if (known) {
      this._copies.set(path, { ...known, declined: revision });
      this._save();
    }
  }

  /** The copy moved from `from` to `to`. */
  rename(from: string, to: string): void {
    const known = this._copies.get(from);
    if (known) {
      this._copies.delete(from);
      this._copies.set(to, { ...known, path: to });
      this._save();
    }
  }

  /** `path` is gone or no longer a gallery copy. */
  forget(path: string): void {
    if (this._copies.delete(path)) {
      this._save();
    }
  }

  private _save(): void {
    try {
      this._storage.setItem(this._key, JSON.stringify([...this._copies.values()]));
    } catch {
      // Storage full or blocked: the copies stay known until the page reloads.
    }
    this._changed.emit();
  }

  private _storage: Storage;
  private _key: string;
  private _copies = new Map<string, IKnownCopy>();
  private _changed = new Signal<CopyRegistry, void>(this);
}

/** Options of the copy registry. */
export namespace CopyRegistry {
  /** Construction options. */
  export interface IOptions {
    /** What the copies' paths are relative to: the Jupyter server's base URL. */
    scope: string;
    /** `window.localStorage` by default. */
    storage?: Storage;
  }
}
