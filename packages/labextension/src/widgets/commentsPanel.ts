import {
  ErrorCode,
  GALLERY_METADATA_KEY,
  type IComment,
  type ICommentThread,
  type IGalleryProvenance
} from '@notebook-gallery/core';
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { TranslationBundle } from '@jupyterlab/translation';
import { UUID } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';
import { GalleryError, notebookGoneText } from '../galleryError';
import { groupThreads, type IGroupedThreads } from '../services/commentThreads';
import type { NotebookComments } from '../services/notebookComments';
import { readProvenance } from '../services/provenance';
import type { IGalleryClient } from '../tokens';
import { CommentForm } from './commentForm';
import { renderThread, type ICommentActions, type IOpenBox } from './commentThreadView';
import { element } from './dom';
import { commentIcon } from './icons';

/**
 * The comments of the current notebook when it is a gallery copy, in the right sidebar beside it (like the property
 * inspector and the debugger, it follows whichever notebook is current rather than being a document of its own):
 * threads on the notebook, then by cell in the copy's order ("on an earlier version of this cell" when the cell
 * changed since), then the outdated ones whose cell is gone; a box to comment on the active cell or the notebook;
 * replies, edits, resolve, reopen and delete where the server allows them.
 */
export class CommentsPanel extends Widget {
  /** Follow `options.tracker`'s current notebook and its active cell. */
  constructor(options: CommentsPanel.IOptions) {
    super();
    this._options = options;
    const { trans } = options;
    this.id = CommentsPanel.ID;
    this.addClass('jp-NotebookGallery-comments');
    this.title.icon = commentIcon;
    this.title.caption = trans.__('Gallery comments');
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', trans.__('Gallery comments'));

    this._heading = element('h2', 'jp-NotebookGallery-commentsTitle', trans.__('Comments'));
    this._refresh = element('button', 'jp-mod-styled jp-mod-reject jp-NotebookGallery-commentsRefresh');
    this._refresh.type = 'button';
    this._refresh.textContent = trans.__('Refresh');
    this._refresh.setAttribute('aria-label', trans.__('Refresh the comments'));
    this._refresh.addEventListener('click', () => {
      const id = this._copy?.provenance.id;
      if (id) {
        void options.comments.load(id);
      }
    });
    const header = element('div', 'jp-NotebookGallery-commentsHeader');
    header.append(this._heading, this._refresh);
    this._notice = element('p', 'jp-NotebookGallery-hint');
    this._notice.setAttribute('role', 'status');
    this._retry = element('button', 'jp-mod-styled jp-mod-reject', trans.__('Try again'));
    this._retry.type = 'button';
    this._retry.hidden = true;
    this._retry.addEventListener('click', () => {
      const id = this._copy?.provenance.id;
      if (id) {
        void options.comments.load(id);
      }
    });

    this._composer = element('section', 'jp-NotebookGallery-commentComposer');
    this._composer.setAttribute('aria-label', trans.__('New comment'));
    const targets = element('fieldset', 'jp-NotebookGallery-commentTargets');
    targets.append(element('legend', 'jp-NotebookGallery-label', trans.__('Comment on')));
    const name = `jp-NotebookGallery-commentTarget-${UUID.uuid4()}`;
    [this._onCell, this._onCellText] = Private.radio(name, targets);
    [this._onNotebook] = Private.radio(name, targets, trans.__('The whole notebook'));
    this._onCell.checked = true;
    for (const radio of [this._onCell, this._onNotebook]) {
      radio.addEventListener('change', () => void this._checkTarget());
    }
    this._form = new CommentForm({
      client: options.client,
      trans,
      label: trans.__('Your comment'),
      sendLabel: trans.__('Comment'),
      onSend: body => this._post(body)
    });
    this._composer.append(targets, this._form.node);

    this._list = element('div', 'jp-NotebookGallery-commentList');
    this.node.append(header, this._notice, this._retry, this._composer, this._list);

    options.tracker.currentChanged.connect(this._onCurrentChanged, this);
    options.tracker.activeCellChanged.connect(this._onActiveCellChanged, this);
    options.comments.changed.connect(this._onCommentsChanged, this);
    options.client.authChanged.connect(this._onCurrentChanged, this);
    // Coming back to the panel shows comments written meanwhile (at most one request per notebook in 20 s).
    this.node.addEventListener('focusin', () => {
      const id = this._copy?.provenance.id;
      if (id) {
        void options.comments.loadOnFocus(id);
      }
    });
    this._onCurrentChanged();
  }

  /** The gallery notebook the panel shows, or null when the current notebook is no gallery copy. */
  get galleryId(): string | null {
    return this._copy?.provenance.id ?? null;
  }

  /** The threads as the panel groups them, or null before they load. */
  get grouped(): IGroupedThreads | null {
    return this._grouped;
  }

  /** Put the box on the active cell and move the focus into it. */
  focusComposer(): void {
    this._onCell.checked = !this._onCell.disabled;
    this._onNotebook.checked = this._onCell.disabled;
    void this._checkTarget();
    this._form.textarea.focus();
  }

  /** Scroll to cell `cellId`'s threads and focus their heading; false when the cell has none. */
  showCell(cellId: string): boolean {
    const heading = [...this._list.querySelectorAll<HTMLElement>('[data-cell-id]')].find(
      node => node.dataset.cellId === cellId
    );
    if (!heading) {
      return false;
    }
    heading.scrollIntoView?.({ block: 'start' });
    heading.focus();
    return true;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    const { tracker, comments, client } = this._options;
    tracker.currentChanged.disconnect(this._onCurrentChanged, this);
    tracker.activeCellChanged.disconnect(this._onActiveCellChanged, this);
    comments.changed.disconnect(this._onCommentsChanged, this);
    client.authChanged.disconnect(this._onCurrentChanged, this);
    this._form.dispose();
    this._disposeForms();
    super.dispose();
  }

  private _onCurrentChanged(): void {
    const panel = this._options.tracker.currentWidget;
    const generation = ++this._generation;
    this._copy = null;
    this._openBox = null;
    this._render();
    if (!panel) {
      return;
    }
    void panel.context.ready.then(() => {
      if (generation !== this._generation || panel.isDisposed) {
        return;
      }
      const metadata = { [GALLERY_METADATA_KEY]: panel.model?.getMetadata(GALLERY_METADATA_KEY) };
      const provenance = readProvenance(metadata, this._options.client.serverUrl);
      this._copy = provenance ? { panel, provenance } : null;
      if (provenance && this._options.client.isLoggedIn) {
        void this._options.comments.loadOnFocus(provenance.id);
      }
      this._render();
    });
  }

  private _onActiveCellChanged(): void {
    this._updateTargetLabel();
    void this._checkTarget();
  }

  private _onCommentsChanged(_sender: NotebookComments, id: string): void {
    if (id === this._copy?.provenance.id) {
      this._render();
    }
  }

  /** The current copy's active cell, with its 1-based number. */
  private _activeCell(): { id: string; number: number } | null {
    const notebook = this._copy?.panel.content;
    const cell = notebook?.activeCell;
    if (!notebook || !cell) {
      return null;
    }
    return { id: cell.model.id, number: notebook.activeCellIndex + 1 };
  }

  private _updateTargetLabel(): void {
    const { trans } = this._options;
    const active = this._activeCell();
    this._onCellText.textContent = active
      ? trans.__('Cell %1 (the active cell)', active.number)
      : trans.__('The active cell');
    this._onCell.disabled = active === null;
    if (active === null) {
      this._onNotebook.checked = true;
    }
  }

  /** Block sending on a cell the gallery's revision of the copy does not have, saying why. */
  private async _checkTarget(): Promise<string | null> {
    const { trans, comments } = this._options;
    const copy = this._copy;
    const active = this._activeCell();
    const generation = ++this._targetGeneration;
    let reason: string | null = null;
    if (copy && active && this._onCell.checked) {
      try {
        const ids = await comments.cellIdsAt(copy.provenance.id, copy.provenance.revision);
        if (!ids.has(active.id)) {
          reason = trans.__(
            'Cell %1 is not in the gallery’s version of this notebook, so it cannot be commented on yet. Save the notebook to the gallery (or propose your changes) first, or comment on the whole notebook.',
            active.number
          );
        }
      } catch {
        // The server decides when the comment is sent.
      }
    }
    if (generation === this._targetGeneration) {
      this._form.setBlocked(reason);
    }
    return reason;
  }

  private async _post(body: string): Promise<string | null> {
    const { trans, comments } = this._options;
    const copy = this._copy;
    if (!copy) {
      return trans.__('Open a notebook from the gallery to comment on it.');
    }
    const blocked = await this._checkTarget();
    if (blocked) {
      return blocked;
    }
    const active = this._onCell.checked ? this._activeCell() : null;
    try {
      await comments.create(copy.provenance.id, {
        body,
        ...(active ? { anchor: { cellId: active.id, revision: copy.provenance.revision } } : {})
      });
    } catch (error) {
      return this._errorText(error);
    }
    if (active) {
      this.showCell(active.id);
    }
    return null;
  }

  private _actions(id: string): ICommentActions {
    const { trans, comments } = this._options;
    /** Run a change; its failure goes back to the form it came from, or at the top for a button (`notice`). */
    const run = async (
      action: (client: IGalleryClient) => Promise<unknown>,
      notice = false
    ): Promise<string | null> => {
      try {
        await comments.change(id, action);
        return null;
      } catch (error) {
        const message = this._errorText(error);
        if (notice) {
          this._showNotice(message);
        }
        return message;
      }
    };
    return {
      reply: (thread: ICommentThread, body: string) =>
        run(client => client.createComment(id, { body, parentId: thread.comment.id })),
      edit: (comment: IComment, body: string) => run(client => client.editComment(comment.id, body)),
      setResolved: (comment: IComment, resolved: boolean) =>
        run(client => client.setCommentResolved(comment.id, resolved), true),
      remove: async (comment: IComment) => {
        const result = await showDialog({
          title: trans.__('Delete this comment?'),
          body: comment.parentId
            ? trans.__('The reply by %1 is deleted for everyone.', comment.author)
            : trans.__('The comment by %1 and its replies are deleted for everyone.', comment.author),
          buttons: [
            Dialog.cancelButton({ label: trans.__('Cancel') }),
            Dialog.warnButton({ label: trans.__('Delete') })
          ],
          defaultButton: 0
        });
        return result.button.accept ? run(client => client.deleteComment(comment.id), true) : null;
      }
    };
  }

  private _errorText(error: unknown): string {
    const { trans } = this._options;
    if (GalleryError.is(error, ErrorCode.NOTEBOOK_NOT_FOUND)) {
      return notebookGoneText(trans);
    }
    if (error instanceof GalleryError && error.status === 404 && error.code === ErrorCode.NOT_FOUND) {
      return trans.__('This gallery server does not have comments. Ask its administrator to update it.');
    }
    return error instanceof GalleryError ? error.message : trans.__('Something went wrong. Try again in a moment.');
  }

  private _showNotice(text: string | null, retry = false): void {
    this._notice.textContent = text ?? '';
    this._notice.hidden = text === null;
    this._retry.hidden = !retry;
  }

  private _render(): void {
    const { trans, comments, client } = this._options;
    const copy = this._copy;
    this._disposeForms();
    this._list.replaceChildren();
    this._grouped = null;
    this._heading.textContent = copy
      ? trans.__('Comments on “%1”', copy.panel.title.label || copy.panel.context.path)
      : trans.__('Comments');
    this._refresh.hidden = !copy || !client.isLoggedIn;
    if (!client.isLoggedIn) {
      this._composer.hidden = true;
      this._showNotice(trans.__('Log in to the gallery in the Gallery sidebar to see and write comments.'));
      return;
    }
    if (!copy) {
      this._composer.hidden = true;
      this._showNotice(
        trans.__(
          'Comments show here for notebooks opened from the gallery. Open one from the Gallery sidebar, or save this notebook to the gallery first.'
        )
      );
      return;
    }
    this._composer.hidden = false;
    this._updateTargetLabel();
    void this._checkTarget();
    const state = comments.state(copy.provenance.id);
    if (state.error) {
      this._showNotice(this._errorText(state.error), true);
      return;
    }
    if (!state.list) {
      this._showNotice(trans.__('Loading comments…'));
      return;
    }
    const cellIds = copy.panel.content.widgets.map(cell => cell.model.id);
    const grouped = groupThreads(state.list, cellIds);
    this._grouped = grouped;
    const empty = grouped.notebook.length + grouped.cells.length + grouped.outdated.length === 0;
    this._showNotice(
      empty ? trans.__('No comments yet. Pick a cell (or the whole notebook) and write the first one above.') : null
    );
    const id = copy.provenance.id;
    const view = {
      client,
      trans,
      rendermime: this._options.rendermime,
      actions: this._actions(id),
      openBox: this._openBox,
      setOpenBox: (box: IOpenBox | null) => {
        this._openBox = box;
        this._render();
        if (box) {
          this._list.querySelector<HTMLTextAreaElement>('textarea')?.focus();
        }
      },
      forms: this._forms
    };
    if (grouped.notebook.length > 0) {
      this._list.append(
        Private.group(
          trans.__('On the notebook'),
          null,
          grouped.notebook.map(thread => renderThread(thread, view))
        )
      );
    }
    for (const cell of grouped.cells) {
      const title =
        cell.cellNumber === null ? trans.__('On a cell your copy does not have') : trans.__('Cell %1', cell.cellNumber);
      const section = Private.group(
        title,
        cell.cellId,
        cell.threads.map(thread => renderThread(thread, view))
      );
      this._list.append(section);
    }
    if (grouped.outdated.length > 0) {
      this._list.append(
        Private.group(
          trans.__('Outdated: on cells no longer in the notebook'),
          null,
          grouped.outdated.map(thread => renderThread(thread, view)),
          'jp-mod-outdated'
        )
      );
    }
  }

  private _disposeForms(): void {
    for (const form of this._forms.splice(0)) {
      form.dispose();
    }
  }

  private _options: CommentsPanel.IOptions;
  private _copy: { panel: NotebookPanel; provenance: IGalleryProvenance } | null = null;
  private _grouped: IGroupedThreads | null = null;
  private _generation = 0;
  private _targetGeneration = 0;
  private _openBox: IOpenBox | null = null;
  private _forms: CommentForm[] = [];
  private _heading: HTMLElement;
  private _refresh: HTMLButtonElement;
  private _notice: HTMLElement;
  private _retry: HTMLButtonElement;
  private _composer: HTMLElement;
  private _onCell: HTMLInputElement;
  private _onCellText: HTMLElement;
  private _onNotebook: HTMLInputElement;
  private _form: CommentForm;
  private _list: HTMLElement;
}

/** Constants and options of the comments panel. */
export namespace CommentsPanel {
  /** The DOM id, also the id the layout restorer and tests use. */
  export const ID = 'notebook-gallery-comments';

  /** Construction options. */
  export interface IOptions {
    client: IGalleryClient;
    tracker: INotebookTracker;
    comments: NotebookComments;
    trans: TranslationBundle;
    /** Renders comment text as sanitized markdown; plain text without it. */
    rendermime: IRenderMimeRegistry | null;
  }
}

namespace Private {
  /** A radio button inside its label, appended to `parent`; returns it and the label's text. */
  export function radio(name: string, parent: HTMLElement, text = ''): [HTMLInputElement, HTMLElement] {
    const input = element('input', 'jp-NotebookGallery-radio');
    input.type = 'radio';
    input.name = name;
    input.id = `${name}-${parent.childElementCount}`;
    const label = element('label', 'jp-NotebookGallery-radioLabel');
    label.htmlFor = input.id;
    const span = element('span', '', text);
    label.append(input, span);
    parent.append(label);
    return [input, span];
  }

  /** A section of threads under a heading; a cell's heading can take the focus, to show it from the marker. */
  export function group(title: string, cellId: string | null, threads: HTMLElement[], className = ''): HTMLElement {
    const section = element('section', `jp-NotebookGallery-commentGroup ${className}`.trim());
    const heading = element('h3', 'jp-NotebookGallery-subheading', title);
    heading.id = `jp-NotebookGallery-commentGroup-${UUID.uuid4()}`;
    if (cellId !== null) {
      heading.dataset.cellId = cellId;
      heading.tabIndex = -1;
    }
    section.setAttribute('aria-labelledby', heading.id);
    section.append(heading, ...threads);
    return section;
  }
}
