import type { IChangeRequest } from '@notebook-gallery/core';
import { Time } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import { GalleryError } from '../galleryError';
import { CommandIDs, type IGalleryModel } from '../tokens';
import { changeRequestStatusText } from './changeRequestText';
import { element } from './dom';

/**
 * The sidebar's change requests: those waiting for the user's review, and the user's own with where each stands
 * (waiting, accepted, declined with the reviewer's comment). Hidden while there are none; reloaded with the list.
 */
export class ChangeRequestStatus extends Widget {
  /** Follow `options.model`'s refreshes and the client's login. */
  constructor(options: ChangeRequestStatus.IOptions) {
    super();
    this._model = options.model;
    this._commands = options.commands;
    this._trans = options.trans;
    this._shown = options.shown ?? 5;
    this.addClass('jp-NotebookGallery-requests');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', this._trans.__('Change requests'));
    this.hide();
    this._model.stateChanged.connect(this._onModelChanged, this);
    this._model.client.authChanged.connect(this._onAuthChanged, this);
  }

  /** The requests to review and the user's own, as last loaded. */
  get requests(): { toReview: readonly IChangeRequest[]; mine: readonly IChangeRequest[] } {
    return { toReview: this._toReview, mine: this._mine };
  }

  /** Load both lists again. */
  async refresh(): Promise<void> {
    const client = this._model.client;
    const generation = ++this._generation;
    if (!client.isLoggedIn) {
      this._toReview = [];
      this._mine = [];
      this._error = null;
      this._render();
      return;
    }
    try {
      const [toReview, mine] = await Promise.all([
        client.listChangeRequests({ role: 'reviewer', status: 'open' }),
        client.listChangeRequests({ role: 'proposer' })
      ]);
      if (generation !== this._generation) {
        return;
      }
      this._toReview = toReview;
      this._mine = mine;
      this._error = null;
    } catch (error) {
      if (generation !== this._generation) {
        return;
      }
      this._toReview = [];
      this._mine = [];
      // A gallery without change requests answers 404: there is nothing to say then.
      this._error =
        error instanceof GalleryError && error.status === 404
          ? null
          : this._trans.__(
              'Change requests could not be loaded. %1',
              error instanceof GalleryError ? error.message : this._trans.__('Refresh the gallery to try again.')
            );
    }
    this._render();
  }

  dispose(): void {
    this._model.stateChanged.disconnect(this._onModelChanged, this);
    this._model.client.authChanged.disconnect(this._onAuthChanged, this);
    super.dispose();
  }

  /** Reload when the sidebar's list finished loading, which is when the user refreshed or searched. */
  private _onModelChanged(): void {
    const status = this._model.status;
    if (status === 'ready' && this._lastStatus !== 'ready') {
      void this.refresh();
    }
    this._lastStatus = status;
  }

  private _onAuthChanged(): void {
    void this.refresh();
  }

  private _render(): void {
    const trans = this._trans;
    this.node.replaceChildren();
    const toReview = this._toReview;
    // The proposer follows what is open and what was decided; old closed ones drop off the end.
    const mine = this._mine.slice(0, this._shown);
    if (this._error) {
      this.node.append(element('p', 'jp-NotebookGallery-hint', this._error));
    }
    if (toReview.length > 0) {
      this.node.append(
        this._section(
          trans._n('%1 change request to review', '%1 change requests to review', toReview.length),
          toReview,
          true
        )
      );
    }
    if (mine.length > 0) {
      this.node.append(this._section(trans.__('Your change requests'), mine, false));
    }
    this.setHidden(!this._error && toReview.length === 0 && mine.length === 0);
  }

  private _section(title: string, requests: readonly IChangeRequest[], review: boolean): HTMLElement {
    const trans = this._trans;
    const section = element('section', 'jp-NotebookGallery-requestSection');
    const heading = element('h3', 'jp-NotebookGallery-subheading', title);
    const list = element('ul', 'jp-NotebookGallery-requestList');
    for (const request of requests) {
      const item = element('li', 'jp-NotebookGallery-requestItem');
      const button = element('button', 'jp-NotebookGallery-requestButton');
      button.type = 'button';
      const status = changeRequestStatusText(trans, request);
      const when = Time.formatHuman(request.decidedAt ?? request.createdAt);
      const meta = review
        ? trans.__('%1 · from %2, %3', request.notebookTitle, request.proposer, when)
        : trans.__('%1 · %2, %3', request.notebookTitle, status, when);
      button.append(
        element('span', 'jp-NotebookGallery-requestMessage', request.message),
        element('span', `jp-NotebookGallery-itemMeta jp-mod-${request.status}`, meta)
      );
      if (!review && request.comment) {
        button.append(element('span', 'jp-NotebookGallery-itemDescription', trans.__('“%1”', request.comment)));
      }
      button.setAttribute(
        'aria-label',
        review
          ? trans.__('Review “%1” on %2 from %3', request.message, request.notebookTitle, request.proposer)
          : trans.__('“%1” on %2: %3', request.message, request.notebookTitle, status)
      );
      button.addEventListener(
        'click',
        () =>
          void this._commands.execute(CommandIDs.openChangeRequest, { id: request.notebookId, requestId: request.id })
      );
      item.append(button);
      list.append(item);
    }
    section.append(heading, list);
    return section;
  }

  private _model: IGalleryModel;
  private _commands: CommandRegistry;
  private _trans: TranslationBundle;
  private _shown: number;
  private _generation = 0;
  private _lastStatus: string | null = null;
  private _toReview: IChangeRequest[] = [];
  private _mine: IChangeRequest[] = [];
  private _error: string | null = null;
}

/** Options of the sidebar's change-request status. */
export namespace ChangeRequestStatus {
  /** Construction options. */
  export interface IOptions {
    model: IGalleryModel;
    commands: CommandRegistry;
    trans: TranslationBundle;
    /** How many of the user's own requests to list; 5 unless set. */
    shown?: number;
  }
}
