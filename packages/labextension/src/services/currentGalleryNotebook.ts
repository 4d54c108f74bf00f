import { GALLERY_METADATA_KEY } from '@notebook-gallery/core';
import type { INotebookTracker } from '@jupyterlab/notebook';
import { Signal, type ISignal } from '@lumino/signaling';
import { readProvenance } from './provenance';
import type { IGalleryClient } from '../tokens';

/**
 * Which gallery notebook the current notebook came from, and whether the user may manage it,
 * so commands can enable themselves synchronously without asking the server on every render.
 */
export class CurrentGalleryNotebook {
  /** Follow `tracker`'s current notebook and `client`'s login. */
  constructor(tracker: INotebookTracker, client: IGalleryClient) {
    this._tracker = tracker;
    this._client = client;
    tracker.currentChanged.connect(this.refresh, this);
    client.authChanged.connect(this.refresh, this);
    this.refresh();
  }

  /** The gallery id of the current notebook when the user may manage it, else null. */
  get manageableId(): string | null {
    return this._manageableId;
  }

  /** Emitted when `manageableId` changes. */
  get changed(): ISignal<CurrentGalleryNotebook, void> {
    return this._changed;
  }

  /** Look again, for instance after a save recorded a new provenance. */
  refresh(): void {
    void this._check();
  }

  private async _check(): Promise<void> {
    // A later switch of notebook or login makes this answer stale.
    const generation = ++this._generation;
    let id: string | null = null;
    const panel = this._tracker.currentWidget;
    if (panel && this._client.isLoggedIn) {
      try {
        await panel.context.ready;
        const metadata = { [GALLERY_METADATA_KEY]: panel.context.model.getMetadata(GALLERY_METADATA_KEY) };
        const provenance = readProvenance(metadata, this._client.serverUrl);
        if (provenance && (await this._client.getNotebook(provenance.id)).canManage) {
          id = provenance.id;
        }
      } catch {
        // Deleted, hidden or unreachable: there is nothing to share from here.
      }
    }
    if (generation === this._generation && id !== this._manageableId) {
      this._manageableId = id;
      this._changed.emit();
    }
  }

  private _tracker: INotebookTracker;
  private _client: IGalleryClient;
  private _manageableId: string | null = null;
  private _generation = 0;
  private _changed = new Signal<CurrentGalleryNotebook, void>(this);
}
