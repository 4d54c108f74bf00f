import { GALLERY_METADATA_KEY, runnableCells, type IHealthCell } from '@notebook-gallery/core';
import type { IDisposable } from '@lumino/disposable';
import type { ISignal } from '@lumino/signaling';
import type { IGalleryClient, IGallerySettings } from '../tokens';
import { readProvenance } from './provenance';

/** The parts of a JupyterLab cell the reporter reads (a `Cell` widget has them). */
export interface IReportedCellWidget {
  model: { readonly id: string; readonly type: string; sharedModel: { getSource(): string } };
}

/** The parts of a JupyterLab notebook widget the reporter reads (a `Notebook` has them). */
export interface IReportedNotebook {
  readonly isDisposed: boolean;
  readonly model: { getMetadata(key: string): unknown } | null;
  readonly widgets: readonly IReportedCellWidget[];
}

/** What `NotebookActions.executed` emits after each cell ran. */
export interface ICellExecuted {
  notebook: IReportedNotebook;
  cell: IReportedCellWidget;
  success: boolean;
}

/**
 * Tells the gallery, for users who turned on the `reportHealth` setting, which code cells of a notebook opened from
 * the gallery ran without error. Per open notebook it keeps the latest outcome of each cell and, once no cell has run
 * for `delayMs`, sends them all as one report (the server keeps each user's latest report per revision, so a run
 * made cell by cell adds up to one run). Only cells whose code is still exactly the gallery revision's are sent:
 * a report is about the gallery's notebook, not about someone's edits of it. Sent per cell: its id, the SHA-256 of
 * its source and ok or error; never outputs or code. Failures to report are dropped silently.
 */
export class HealthReporter implements IDisposable {
  constructor(options: HealthReporter.IOptions) {
    this._client = options.client;
    this._settings = options.settings;
    this._executed = options.executed;
    this._delayMs = options.delayMs ?? HealthReporter.DEFAULT_DELAY_MS;
    this._digest = options.digest ?? Private.sha256;
    this._executed.connect(this._onExecuted, this);
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._executed.disconnect(this._onExecuted, this);
    for (const run of this._runs.values()) {
      clearTimeout(run.timer);
    }
    this._runs.clear();
  }

  /** Sends every pending report now instead of after the delay; resolves when they are sent (tests, shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this._runs.keys()].map(notebook => this._send(notebook)));
  }

  private _onExecuted(_sender: unknown, { notebook, cell, success }: ICellExecuted): void {
    if (!this._settings.reportHealth || !this._client.isLoggedIn || cell.model.type !== 'code') {
      return;
    }
    const metadata = { [GALLERY_METADATA_KEY]: notebook.model?.getMetadata(GALLERY_METADATA_KEY) };
    const provenance = readProvenance(metadata, this._client.serverUrl);
    if (!provenance) {
      return;
    }
    let run = this._runs.get(notebook);
    if (!run || run.id !== provenance.id || run.revision !== provenance.revision) {
      // A save made the copy a new revision: what ran before was about the old one.
      if (run) {
        clearTimeout(run.timer);
      }
      run = { id: provenance.id, revision: provenance.revision, cells: new Map(), timer: undefined };
      this._runs.set(notebook, run);
    }
    const outcome = this._digest(cell.model.sharedModel.getSource()).then(sourceHash => ({
      id: cell.model.id,
      sourceHash,
      status: success ? ('ok' as const) : ('error' as const)
    }));
    // Without Web Crypto (a page on plain http away from localhost) hashing fails; the send drops the report.
    outcome.catch(() => undefined);
    run.cells.set(cell.model.id, outcome);
    clearTimeout(run.timer);
    run.timer = setTimeout(() => void this._send(notebook), this._delayMs);
  }

  private async _send(notebook: IReportedNotebook): Promise<void> {
    const run = this._runs.get(notebook);
    if (!run) {
      return;
    }
    clearTimeout(run.timer);
    this._runs.delete(notebook);
    try {
      const gallery = await this._galleryHashes(run.id, run.revision);
      const cells = (await Promise.all(run.cells.values())).filter(cell => gallery.has(cell.sourceHash));
      if (cells.length === 0 || !this._settings.reportHealth || this._isDisposed) {
        return;
      }
      const total = notebook.widgets.filter(widget => widget.model.type === 'code').length;
      await this._client.reportHealth(run.id, { revision: run.revision, cells, total });
    } catch (reason) {
      // Health is a courtesy to other users: a failure must never interrupt this one.
      console.debug('Notebook Gallery: a health report was not sent.', reason);
    }
  }

  /** The source hashes of the gallery revision's code cells, fetched once per revision. */
  private _galleryHashes(id: string, revision: string): Promise<Set<string>> {
    const key = `${id}@${revision}`;
    let hashes = this._hashes.get(key);
    if (!hashes) {
      hashes = this._client
        .getNotebookContent(id, revision)
        .then(content => Promise.all(runnableCells(content).map(cell => this._digest(cell.source))))
        .then(list => new Set(list));
      // A failed fetch is tried again with the next report.
      hashes.catch(() => this._hashes.delete(key));
      this._hashes.set(key, hashes);
    }
    return hashes;
  }

  private _client: IGalleryClient;
  private _settings: Pick<IGallerySettings, 'reportHealth'>;
  private _executed: ISignal<unknown, ICellExecuted>;
  private _delayMs: number;
  private _digest: (text: string) => Promise<string>;
  private _runs = new Map<IReportedNotebook, Private.IRun>();
  private _hashes = new Map<string, Promise<Set<string>>>();
  private _isDisposed = false;
}

/** Options and defaults of the health reporter. */
export namespace HealthReporter {
  /** Quiet time after the last cell ran before the report goes out. */
  export const DEFAULT_DELAY_MS = 10_000;

  /** Construction options. */
  export interface IOptions {
    client: IGalleryClient;
    settings: Pick<IGallerySettings, 'reportHealth'>;
    /** `NotebookActions.executed` in JupyterLab. */
    executed: ISignal<unknown, ICellExecuted>;
    delayMs?: number;
    /** Lower-case hex SHA-256 of a text's UTF-8 bytes; Web Crypto's by default. */
    digest?: (text: string) => Promise<string>;
  }
}

namespace Private {
  /** What ran in one open notebook since its last report. */
  export interface IRun {
    id: string;
    revision: string;
    cells: Map<string, Promise<IHealthCell>>;
    timer: ReturnType<typeof setTimeout> | undefined;
  }

  /** Lower-case hex SHA-256 of `text` as UTF-8, with Web Crypto (the server hashes the same way). */
  export async function sha256(text: string): Promise<string> {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    return [...new Uint8Array(digest)].map(byte => byte.toString(16).padStart(2, '0')).join('');
  }
}
