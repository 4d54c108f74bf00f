import type { IChangeRequestDetail, IMergedSaveResponse, IRevision } from '@notebook-gallery/core';
import { Time } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { UUID } from '@lumino/coreutils';
import { Signal, type ISignal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { GalleryError } from '../galleryError';
import type { IGalleryClient } from '../tokens';
import { changeRequestStatusText } from './changeRequestText';
import { NotebookDiffView } from './diffView';
import { element } from './dom';

/**
 * One change request with its diff. Its reviewers (the notebook's editors) accept it, which adds a revision
 * authored by the proposer, or decline it, each with an optional comment; its proposer sees where it stands and
 * may withdraw it while it is open.
 */
export class ChangeRequestView extends Widget {
  /** Create the view; `refresh` loads the request. */
  constructor(options: ChangeRequestView.IOptions) {
    super();
    this._client = options.client;
    this._trans = options.trans;
    this._notebookId = options.notebookId;
    this._requestId = options.requestId;
    this.addClass('jp-NotebookGallery-changeRequest');
    const trans = this._trans;
    this.title.label = trans.__('Change request');

    this._header = element('div', 'jp-NotebookGallery-historyHeader');
    this._status = element('p', 'jp-NotebookGallery-status');
    this._status.setAttribute('role', 'status');
    this._error = element('div', 'jp-NotebookGallery-error');
    this._error.setAttribute('role', 'alert');
    this._decision = element('section', 'jp-NotebookGallery-historySection jp-NotebookGallery-decision');
    this._decision.setAttribute('aria-label', trans.__('Decision'));
    this._diffView = new NotebookDiffView({ trans, emptyText: trans.__('Loading the proposed changes…') });
    this.node.append(this._header, this._status, this._error, this._decision, this._diffView.node);
  }

  /** Emitted after the request was accepted, declined or withdrawn here, with the request as it is now. */
  get decided(): ISignal<ChangeRequestView, ChangeRequestView.IDecision> {
    return this._decided;
  }

  /** The diff view, shared with the history panel. */
  get diffView(): NotebookDiffView {
    return this._diffView;
  }

  /** Load the request, its diff and the number of the revision it was based on. */
  async refresh(): Promise<void> {
    const trans = this._trans;
    this._status.textContent = trans.__('Loading the change request…');
    this._error.replaceChildren();
    try {
      const [detail, revisions] = await Promise.all([
        this._client.getChangeRequest(this._notebookId, this._requestId),
        this._client.listRevisions(this._notebookId).catch((): IRevision[] => [])
      ]);
      this._detail = detail;
      this._status.textContent = '';
      const base = revisions.find(revision => revision.revision === detail.baseRevision);
      const baseLabel = base ? trans.__('version %1', base.number) : trans.__('the version it started from');
      this._render(detail, baseLabel);
      this._diffView.setDiff(detail.diff, baseLabel, trans.__('%1’s proposal', detail.proposer));
    } catch (error) {
      this._status.textContent = '';
      this._showError(
        trans.__(
          'The change request could not be loaded. %1',
          error instanceof GalleryError ? error.message : trans.__('Try again in a moment.')
        )
      );
      this._diffView.setDiff(null, '', '', trans.__('Nothing to show until the change request loads.'));
    }
  }

  private _render(detail: IChangeRequestDetail, baseLabel: string): void {
    const trans = this._trans;
    this.title.label = trans.__('Change request: %1', detail.notebookTitle);
    this.title.caption = trans.__(
      '“%1” proposed by %2 for “%3”',
      detail.message,
      detail.proposer,
      detail.notebookTitle
    );
    const heading = element(
      'h2',
      'jp-NotebookGallery-historyTitle',
      trans.__('Proposed changes to “%1”', detail.notebookTitle)
    );
    const about = element(
      'p',
      'jp-NotebookGallery-historyAbout',
      trans.__('Proposed by %1 (%2), starting from %3.', detail.proposer, Time.formatHuman(detail.createdAt), baseLabel)
    );
    const message = element('blockquote', 'jp-NotebookGallery-requestQuote', detail.message);
    const status = element(
      'p',
      `jp-NotebookGallery-requestStatus jp-mod-${detail.status}`,
      trans.__('Status: %1', changeRequestStatusText(trans, detail))
    );
    this._header.replaceChildren(heading, about, message, status);
    if (detail.comment) {
      this._header.append(
        element(
          'p',
          'jp-NotebookGallery-requestComment',
          trans.__('Comment from %1: “%2”', detail.decidedBy ?? '', detail.comment)
        )
      );
    }
    this._renderDecision(detail);
  }

  private _renderDecision(detail: IChangeRequestDetail): void {
    const trans = this._trans;
    this._decision.replaceChildren();
    if (detail.status !== 'open') {
      this._decision.hidden = true;
      return;
    }
    this._decision.hidden = false;
    const isProposer = this._client.user?.username === detail.proposer;
    if (detail.canDecide) {
      const field = element('div', 'jp-NotebookGallery-field');
      const comment = element('textarea', 'jp-mod-styled jp-NotebookGallery-input jp-NotebookGallery-comment');
      comment.id = `jp-NotebookGallery-comment-${UUID.uuid4()}`;
      comment.rows = 2;
      comment.maxLength = 2000;
      const label = element('label', 'jp-NotebookGallery-label', trans.__('Comment for %1', detail.proposer));
      label.htmlFor = comment.id;
      const hint = element(
        'span',
        'jp-NotebookGallery-hint',
        trans.__('Optional. Say why, especially when you decline, so they know what to change.')
      );
      hint.id = `${comment.id}-hint`;
      comment.setAttribute('aria-describedby', hint.id);
      field.append(label, comment, hint);
      const buttons = element('div', 'jp-NotebookGallery-historyActions');
      const accept = element('button', 'jp-mod-styled jp-mod-accept', trans.__('Accept as a new version'));
      accept.type = 'button';
      accept.addEventListener('click', () => void this._decide('accept', comment.value.trim()));
      const decline = element('button', 'jp-mod-styled jp-mod-reject', trans.__('Decline'));
      decline.type = 'button';
      decline.addEventListener('click', () => void this._decide('decline', comment.value.trim()));
      buttons.append(accept, decline);
      this._decision.append(field, buttons);
    } else if (!isProposer) {
      this._decision.append(
        element(
          'p',
          'jp-NotebookGallery-hint',
          trans.__('Only the notebook’s owner or its editors can accept or decline it.')
        )
      );
    }
    if (isProposer) {
      const withdraw = element('button', 'jp-mod-styled', trans.__('Withdraw my request'));
      withdraw.type = 'button';
      withdraw.addEventListener('click', () => void this._decide('withdraw', ''));
      this._decision.append(withdraw);
    }
  }

  private async _decide(action: 'accept' | 'decline' | 'withdraw', comment: string): Promise<void> {
    const trans = this._trans;
    this._error.replaceChildren();
    for (const button of this._decision.querySelectorAll('button')) {
      button.disabled = true;
    }
    this._status.textContent = trans.__('Sending…');
    let saved: IMergedSaveResponse | null = null;
    try {
      if (action === 'accept') {
        saved = await this._client.acceptChangeRequest(this._notebookId, this._requestId, comment || undefined);
      } else if (action === 'decline') {
        await this._client.declineChangeRequest(this._notebookId, this._requestId, comment || undefined);
      } else {
        await this._client.withdrawChangeRequest(this._notebookId, this._requestId);
      }
    } catch (error) {
      this._status.textContent = '';
      for (const button of this._decision.querySelectorAll('button')) {
        button.disabled = false;
      }
      const what =
        action === 'accept'
          ? trans.__('The change request could not be accepted.')
          : action === 'decline'
            ? trans.__('The change request could not be declined.')
            : trans.__('The change request could not be withdrawn.');
      this._showError(`${what} ${error instanceof GalleryError ? error.message : trans.__('Try again in a moment.')}`);
      return;
    }
    await this.refresh();
    this._status.textContent =
      action === 'accept' && saved
        ? saved.merged
          ? trans.__('Accepted and merged with the changes made since: it is now version %1.', saved.revisionNumber)
          : trans.__('Accepted: it is now version %1.', saved.revisionNumber)
        : action === 'decline'
          ? trans.__('Declined. %1 sees your comment in their Gallery sidebar.', this._detail?.proposer ?? '')
          : trans.__('Withdrawn.');
    this._decided.emit({ action, saved });
  }

  private _showError(message: string): void {
    this._error.replaceChildren(element('p', 'jp-NotebookGallery-errorMessage', message));
  }

  private _client: IGalleryClient;
  private _trans: TranslationBundle;
  private _notebookId: string;
  private _requestId: string;
  private _detail: IChangeRequestDetail | null = null;
  private _header: HTMLElement;
  private _status: HTMLElement;
  private _error: HTMLElement;
  private _decision: HTMLElement;
  private _diffView: NotebookDiffView;
  private _decided = new Signal<ChangeRequestView, ChangeRequestView.IDecision>(this);
}

/** Options and types of the change-request view. */
export namespace ChangeRequestView {
  /** Construction options. */
  export interface IOptions {
    client: IGalleryClient;
    trans: TranslationBundle;
    notebookId: string;
    requestId: string;
  }

  /** What was decided here; `saved` is the new revision after an accept. */
  export interface IDecision {
    action: 'accept' | 'decline' | 'withdraw';
    saved: IMergedSaveResponse | null;
  }
}
