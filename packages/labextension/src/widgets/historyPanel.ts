import {
  diffNotebooks,
  stripNotebook,
  type IChangeRequest,
  type ILineageResponse,
  type INotebookSummary,
  type IRevision,
  type IRevisionDiffResponse
} from '@notebook-gallery/core';
import { Time } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import { GalleryError, isNotebookGone, localCopiesText, notebookGoneText } from '../galleryError';
import { prepareUpload } from '../services/saveFlow';
import type { IGalleryClient } from '../tokens';
import { changeRequestStatusText } from './changeRequestText';
import { NotebookDiffView } from './diffView';
import { element } from './dom';

/** What the history panel asks the app to do: open views, download, restore, propose. */
export interface IHistoryActions {
  /** Show `revision` read-only. */
  openRevision(summary: INotebookSummary, revision: IRevision): void;
  /** Save `revision` as a file through the browser. */
  download(summary: INotebookSummary, revision: IRevision): Promise<void>;
  /** Ask for confirmation and restore `revision` as a new one; resolves with false when the user cancels. */
  restore(summary: INotebookSummary, revision: IRevision): Promise<boolean>;
  /** Show another notebook's history (a fork's, or the parent's). */
  openHistory(id: string): void;
  /** Show one change request for review or to see its status. */
  openChangeRequest(id: string, requestId: string): void;
  /** Send the open local copy as a change request. */
  proposeChanges(id: string): void;
  /**
   * The notebook is gone from the gallery: take it off the sidebar's list, and answer the paths of the user's local
   * copies of it, which the panel offers to open.
   */
  notebookGone(id: string): readonly string[];
  /** Open a local file, such as the user's copy of a notebook that is gone. */
  openLocalCopy(path: string): void;
}

/**
 * A gallery notebook's history: every revision with its number, author, time and message, what changed in each
 * (against the previous revision or the user's open copy), its lineage and its change requests. Nothing here
 * rewrites history: restoring adds a revision.
 */
export class HistoryPanel extends Widget {
  /** Create the panel for gallery notebook `options.id`; `refresh` loads it. */
  constructor(options: HistoryPanel.IOptions) {
    super();
    this._notebookId = options.notebookId;
    this._client = options.client;
    this._trans = options.trans;
    this._actions = options.actions;
    this._localCopy = options.localCopy;
    this.addClass('jp-NotebookGallery-history');
    const trans = this._trans;

    const header = element('div', 'jp-NotebookGallery-historyHeader');
    this._heading = element('h2', 'jp-NotebookGallery-historyTitle', trans.__('History'));
    this._about = element('p', 'jp-NotebookGallery-historyAbout');
    const refresh = element('button', 'jp-NotebookGallery-iconButton');
    refresh.type = 'button';
    refresh.title = trans.__('Reload the history');
    refresh.setAttribute('aria-label', trans.__('Reload the history'));
    refresh.append(refreshIcon.element({ tag: 'span' }));
    refresh.addEventListener('click', () => void this.refresh());
    const titleRow = element('div', 'jp-NotebookGallery-historyTitleRow');
    titleRow.append(this._heading, refresh);
    header.append(titleRow, this._about);

    this._status = element('p', 'jp-NotebookGallery-status');
    this._status.setAttribute('role', 'status');
    this._error = element('div', 'jp-NotebookGallery-error');
    this._error.setAttribute('role', 'alert');
    this._lineage = element('section', 'jp-NotebookGallery-historySection jp-NotebookGallery-lineage');
    this._lineage.setAttribute('aria-label', trans.__('Forked from and forks'));
    this._requests = element('section', 'jp-NotebookGallery-historySection jp-NotebookGallery-historyRequests');
    this._requests.setAttribute('aria-label', trans.__('Change requests'));

    const body = element('div', 'jp-NotebookGallery-historyBody');
    const listSection = element('section', 'jp-NotebookGallery-historyVersions');
    const listHeading = element('h3', 'jp-NotebookGallery-historySubtitle', trans.__('Versions'));
    listHeading.id = `jp-NotebookGallery-versions-${this._notebookId}`;
    this._list = element('ol', 'jp-NotebookGallery-revisions');
    this._list.setAttribute('aria-labelledby', listHeading.id);
    this._list.addEventListener('keydown', event => this._onListKeydown(event));
    listSection.append(listHeading, this._list);

    const detail = element('section', 'jp-NotebookGallery-historyDetail');
    detail.setAttribute('aria-label', trans.__('Selected version'));
    this._actionsRow = element('div', 'jp-NotebookGallery-historyActions');
    this._actionsRow.setAttribute('role', 'toolbar');
    this._actionsRow.setAttribute('aria-label', trans.__('Selected version'));
    this._diffView = new NotebookDiffView({
      trans,
      emptyText: trans.__('Choose a version in the list to see what changed in it.')
    });
    detail.append(this._actionsRow, this._diffView.node);
    body.append(listSection, detail);

    this.node.append(header, this._status, this._error, this._lineage, this._requests, body);
  }

  /** The gallery notebook whose history this is. */
  get notebookId(): string {
    return this._notebookId;
  }

  /** The notebook's summary as last loaded. */
  get summary(): INotebookSummary | null {
    return this._summary;
  }

  /** The diff view, for tests and keyboard shortcuts. */
  get diffView(): NotebookDiffView {
    return this._diffView;
  }

  /**
   * Load the summary, revisions, lineage and change requests, and show what changed in the selected revision (the
   * latest after a new revision appeared).
   */
  async refresh(): Promise<void> {
    const trans = this._trans;
    const generation = ++this._generation;
    this._status.textContent = trans.__('Loading the history…');
    this._error.replaceChildren();
    try {
      const [summary, revisions] = await Promise.all([
        this._client.getNotebook(this._notebookId),
        this._client.listRevisions(this._notebookId)
      ]);
      if (generation !== this._generation) {
        return;
      }
      const latestChanged = this._summary?.revision !== summary.revision;
      this._summary = summary;
      this._revisions = revisions;
      this.title.label = trans.__('History: %1', summary.title);
      this.title.caption = trans.__('Versions of “%1” in the gallery', summary.title);
      this._heading.textContent = trans.__('History of “%1”', summary.title);
      this._about.textContent = Private.aboutText(trans, summary, revisions.length);
      this._status.textContent = '';
      this._renderRevisions();
      if (latestChanged || !revisions.some(r => r.revision === this._selected?.revision)) {
        await this.select(revisions[0]?.revision ?? null);
      } else {
        this._renderActions();
      }
    } catch (error) {
      if (generation === this._generation) {
        this._status.textContent = '';
        this._showError(error, trans.__('The history could not be loaded.'), true);
      }
      return;
    }
    await Promise.all([this._loadLineage(generation), this._loadRequests(generation)]);
  }

  /** Select a revision (by SHA) and show what changed in it since the previous one. */
  async select(revision: string | null): Promise<void> {
    this._selected = this._revisions.find(r => r.revision === revision) ?? null;
    this._renderRevisions();
    this._renderActions();
    await this.compareWithPrevious();
  }

  /** Show what changed in the selected revision since the one before it. */
  async compareWithPrevious(): Promise<void> {
    const trans = this._trans;
    const selected = this._selected;
    if (!selected) {
      this._diffView.setDiff(null);
      return;
    }
    const generation = ++this._diffGeneration;
    this._diffView.setDiff(null, '', '', trans.__('Loading the changes in version %1…', selected.number));
    try {
      const reply = await this._client.getRevisionDiff(this._notebookId, { to: selected.revision });
      if (generation === this._diffGeneration) {
        const from = Private.comparedWith(trans, reply);
        this._diffView.setDiff(reply.diff, from.label, trans.__('version %1', reply.to.number), from.note);
      }
    } catch (error) {
      if (generation === this._diffGeneration) {
        this._diffView.setDiff(
          null,
          '',
          '',
          Private.message(trans, error, trans.__('The changes could not be loaded.'))
        );
      }
    }
  }

  /** Show how the user's open copy differs from the selected revision. */
  async compareWithLocal(): Promise<void> {
    const trans = this._trans;
    const selected = this._selected;
    if (!selected) {
      return;
    }
    const local = this._localCopy();
    if (local === null) {
      this._diffView.setDiff(
        null,
        '',
        '',
        trans.__(
          'Your copy of this notebook is not open. Open it (from the Gallery sidebar or the file browser), then choose Compare with your copy again.'
        )
      );
      return;
    }
    const generation = ++this._diffGeneration;
    this._diffView.setDiff(null, '', '', trans.__('Comparing version %1 with your copy…', selected.number));
    try {
      const revision = await this._client.getNotebookContent(this._notebookId, selected.revision);
      const diff = diffNotebooks(stripNotebook(revision), prepareUpload(local));
      if (generation === this._diffGeneration) {
        this._diffView.setDiff(diff, trans.__('version %1', selected.number), trans.__('your copy'));
      }
    } catch (error) {
      if (generation === this._diffGeneration) {
        this._diffView.setDiff(
          null,
          '',
          '',
          Private.message(trans, error, trans.__('Your copy could not be compared with version %1.', selected.number))
        );
      }
    }
  }

  private async _loadLineage(generation: number): Promise<void> {
    let lineage: ILineageResponse;
    try {
      lineage = await this._client.getLineage(this._notebookId);
    } catch {
      // Lineage is extra information: a gallery without it (or a failure) leaves the section out.
      if (generation === this._generation) {
        this._lineage.replaceChildren();
      }
      return;
    }
    if (generation !== this._generation) {
      return;
    }
    const trans = this._trans;
    this._lineage.replaceChildren();
    if (lineage.parent || lineage.parentHidden) {
      const row = element('p', 'jp-NotebookGallery-lineageRow');
      row.append(element('span', 'jp-NotebookGallery-label', trans.__('Forked from')), ' ');
      if (lineage.parent) {
        row.append(this._notebookLink(lineage.parent.id, lineage.parent.title, lineage.parent.owner));
      } else {
        row.append(trans.__('a notebook you cannot see. Its owner can share it with you.'));
      }
      this._lineage.append(row);
    }
    const forks = element('div', 'jp-NotebookGallery-lineageRow');
    forks.append(element('span', 'jp-NotebookGallery-label', trans._n('%1 fork', '%1 forks', lineage.forks.length)));
    if (lineage.forks.length === 0) {
      forks.append(
        element(
          'span',
          'jp-NotebookGallery-hint',
          trans.__('None yet. A fork is made when someone opens a copy and saves it as a new notebook.')
        )
      );
    } else {
      const list = element('ul', 'jp-NotebookGallery-forks');
      for (const fork of lineage.forks) {
        const item = element('li', '');
        item.append(this._notebookLink(fork.id, fork.title, fork.owner));
        list.append(item);
      }
      forks.append(list);
    }
    this._lineage.append(forks);
  }

  private async _loadRequests(generation: number): Promise<void> {
    const trans = this._trans;
    const summary = this._summary;
    if (!summary) {
      return;
    }
    let requests: IChangeRequest[] = [];
    let failure: string | null = null;
    try {
      // Editors review what is open; readers follow their own requests, whatever became of them.
      requests = await this._client.listNotebookChangeRequests(this._notebookId, summary.canEdit ? 'open' : undefined);
    } catch (error) {
      // A gallery without change requests answers 404: the section then only offers what is possible.
      if (!(error instanceof GalleryError && error.status === 404)) {
        failure = Private.message(trans, error, trans.__('Change requests could not be loaded.'));
      }
    }
    if (generation !== this._generation) {
      return;
    }
    this._requests.replaceChildren();
    const heading = element(
      'h3',
      'jp-NotebookGallery-historySubtitle',
      summary.canEdit ? trans.__('Change requests to review') : trans.__('Your change requests')
    );
    this._requests.append(heading);
    if (failure) {
      this._requests.append(element('p', 'jp-NotebookGallery-hint', failure));
    } else if (requests.length === 0) {
      this._requests.append(
        element(
          'p',
          'jp-NotebookGallery-hint',
          summary.canEdit
            ? trans.__(
                'None open. People who may read but not edit this notebook can propose changes; they appear here.'
              )
            : trans.__(
                'You may read this notebook but not edit it. To suggest an edit, change your copy and choose Propose changes.'
              )
        )
      );
    } else {
      const list = element('ul', 'jp-NotebookGallery-requestList');
      for (const request of requests) {
        list.append(this._requestItem(request));
      }
      this._requests.append(list);
    }
    if (!summary.canEdit) {
      const propose = element('button', 'jp-mod-styled jp-mod-accept', trans.__('Propose changes…'));
      propose.type = 'button';
      propose.title = trans.__('Send your copy to the owner as a change request');
      propose.addEventListener('click', () => this._actions.proposeChanges(this._notebookId));
      this._requests.append(propose);
    }
  }

  private _requestItem(request: IChangeRequest): HTMLElement {
    const trans = this._trans;
    const item = element('li', 'jp-NotebookGallery-requestItem');
    const button = element('button', 'jp-NotebookGallery-requestButton');
    button.type = 'button';
    const when = Time.formatHuman(request.createdAt);
    button.append(
      element('span', 'jp-NotebookGallery-requestMessage', request.message),
      element(
        'span',
        'jp-NotebookGallery-itemMeta',
        trans.__('%1 · by %2, %3', changeRequestStatusText(trans, request), request.proposer, when)
      )
    );
    button.setAttribute(
      'aria-label',
      trans.__(
        '%1, proposed by %2 %3, %4',
        request.message,
        request.proposer,
        when,
        changeRequestStatusText(trans, request)
      )
    );
    button.addEventListener('click', () => this._actions.openChangeRequest(request.notebookId, request.id));
    item.append(button);
    return item;
  }

  private _notebookLink(id: string, title: string, owner: string): HTMLElement {
    const link = element('button', 'jp-NotebookGallery-link', this._trans.__('%1 by %2', title, owner));
    link.type = 'button';
    link.title = this._trans.__('Show the history of “%1”', title);
    link.addEventListener('click', () => this._actions.openHistory(id));
    return link;
  }

  private _renderRevisions(): void {
    const trans = this._trans;
    const focused = this._list.contains(document.activeElement)
      ? (document.activeElement as HTMLElement).dataset.revision
      : undefined;
    this._list.replaceChildren();
    if (this._revisions.length === 0) {
      this._list.append(
        element('li', 'jp-NotebookGallery-hint', trans.__('No versions yet. Save to Gallery makes the first one.'))
      );
      return;
    }
    const latest = this._revisions[0]?.revision;
    for (const revision of this._revisions) {
      const item = element('li', 'jp-NotebookGallery-revision');
      const button = element('button', 'jp-NotebookGallery-revisionButton');
      button.type = 'button';
      button.dataset.revision = revision.revision;
      const selected = revision.revision === this._selected?.revision;
      button.setAttribute('aria-current', String(selected));
      button.classList.toggle('jp-mod-selected', selected);
      const when = Time.formatHuman(revision.createdAt);
      const title = element('span', 'jp-NotebookGallery-revisionTitle', trans.__('Version %1', revision.number));
      if (revision.revision === latest) {
        title.append(element('span', 'jp-NotebookGallery-badge', trans.__('latest')));
      }
      const meta = element('span', 'jp-NotebookGallery-itemMeta');
      const time = element('time', '', when);
      time.dateTime = revision.createdAt;
      time.title = Time.format(revision.createdAt);
      meta.append(trans.__('%1 · ', revision.author), time);
      const message = element(
        'span',
        `jp-NotebookGallery-revisionMessage${revision.message ? '' : ' jp-mod-none'}`,
        revision.message || trans.__('No message')
      );
      button.append(title, meta, message);
      button.setAttribute(
        'aria-label',
        [
          trans.__('Version %1', revision.number),
          revision.revision === latest ? trans.__('latest') : '',
          trans.__('by %1', revision.author),
          when,
          revision.message || trans.__('no message')
        ]
          .filter(Boolean)
          .join(', ')
      );
      button.addEventListener('click', () => void this.select(revision.revision));
      item.append(button);
      this._list.append(item);
    }
    if (focused) {
      this._list.querySelector<HTMLElement>(`[data-revision="${focused}"]`)?.focus();
    }
  }

  /** The selected revision's actions; restoring is offered to editors, for any revision but the latest. */
  private _renderActions(): void {
    const trans = this._trans;
    const summary = this._summary;
    const selected = this._selected;
    this._actionsRow.replaceChildren();
    if (!summary || !selected) {
      return;
    }
    const isLatest = selected.revision === this._revisions[0]?.revision;
    const button = (label: string, title: string, action: () => void, accept = false): HTMLButtonElement => {
      const node = element('button', `jp-mod-styled${accept ? ' jp-mod-accept' : ''}`, label);
      node.type = 'button';
      node.title = title;
      node.addEventListener('click', action);
      this._actionsRow.append(node);
      return node;
    };
    this._actionsRow.append(
      element('span', 'jp-NotebookGallery-historyActionsLabel', trans.__('Version %1:', selected.number))
    );
    button(
      trans.__('Changes in this version'),
      trans.__('Show what changed since the version before'),
      () => void this.compareWithPrevious()
    );
    button(
      trans.__('Compare with your copy'),
      trans.__('Show how your open copy differs from this version'),
      () => void this.compareWithLocal()
    );
    button(trans.__('Open read-only'), trans.__('Show this version without changing anything'), () =>
      this._actions.openRevision(summary, selected)
    );
    button(trans.__('Download'), trans.__('Save this version as a .ipynb file'), () => {
      void this._actions.download(summary, selected).catch(error => {
        this._showError(error, trans.__('The version could not be downloaded.'), false);
      });
    });
    if (summary.canEdit && !isLatest) {
      button(
        trans.__('Restore…'),
        trans.__('Make this version the latest again; the versions after it stay in the history'),
        () => void this._restore(summary, selected),
        true
      );
    }
  }

  private async _restore(summary: INotebookSummary, revision: IRevision): Promise<void> {
    this._error.replaceChildren();
    try {
      if (await this._actions.restore(summary, revision)) {
        await this.refresh();
      }
    } catch (error) {
      this._showError(error, this._trans.__('Version %1 could not be restored.', revision.number), false);
    }
  }

  private _showError(error: unknown, fallback: string, retry: boolean): void {
    const trans = this._trans;
    if (isNotebookGone(error)) {
      // Trying again cannot bring it back: say so, take it off the list, and offer the copy the user still has.
      this._error.replaceChildren(element('p', 'jp-NotebookGallery-errorMessage', notebookGoneText(trans)));
      const paths = this._actions.notebookGone(this._notebookId);
      const copies = localCopiesText(trans, paths);
      if (copies) {
        const open = element('button', 'jp-mod-styled jp-mod-accept', trans.__('Open your copy'));
        open.type = 'button';
        open.title = paths[0];
        open.addEventListener('click', () => this._actions.openLocalCopy(paths[0]));
        this._error.append(element('p', 'jp-NotebookGallery-errorMessage', copies), open);
      }
      return;
    }
    this._error.replaceChildren(
      element('p', 'jp-NotebookGallery-errorMessage', Private.message(trans, error, fallback))
    );
    if (retry) {
      const again = element('button', 'jp-mod-styled jp-mod-accept', trans.__('Try again'));
      again.type = 'button';
      again.addEventListener('click', () => void this.refresh());
      this._error.append(again);
    }
  }

  /** Arrow keys move between versions, as in the sidebar's list. */
  private _onListKeydown(event: KeyboardEvent): void {
    const buttons = Array.from(this._list.querySelectorAll<HTMLButtonElement>('.jp-NotebookGallery-revisionButton'));
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (index === -1) {
      return;
    }
    const next: Record<string, number> = {
      ArrowDown: Math.min(index + 1, buttons.length - 1),
      ArrowUp: Math.max(index - 1, 0),
      Home: 0,
      End: buttons.length - 1
    };
    if (event.key in next) {
      event.preventDefault();
      buttons[next[event.key]].focus();
    }
  }

  private _notebookId: string;
  private _client: IGalleryClient;
  private _trans: TranslationBundle;
  private _actions: IHistoryActions;
  private _localCopy: () => unknown | null;
  private _summary: INotebookSummary | null = null;
  private _revisions: IRevision[] = [];
  private _selected: IRevision | null = null;
  private _generation = 0;
  private _diffGeneration = 0;
  private _heading: HTMLElement;
  private _about: HTMLElement;
  private _status: HTMLElement;
  private _error: HTMLElement;
  private _lineage: HTMLElement;
  private _requests: HTMLElement;
  private _list: HTMLElement;
  private _actionsRow: HTMLElement;
  private _diffView: NotebookDiffView;
}

/** Options of the history panel. */
export namespace HistoryPanel {
  /** Construction options. */
  export interface IOptions {
    notebookId: string;
    client: IGalleryClient;
    trans: TranslationBundle;
    actions: IHistoryActions;
    /** The user's open copy of this notebook as JSON (outputs and all), or null when none is open. */
    localCopy: () => unknown | null;
  }
}

namespace Private {
  /** "alice's notebook · 5 versions · you can edit it", with what a reader can do instead. */
  export function aboutText(trans: TranslationBundle, summary: INotebookSummary, count: number): string {
    const owner = summary.ownerKind === 'group' ? trans.__('group %1', summary.owner) : summary.owner;
    const rights = summary.canEdit
      ? trans.__('You can edit it: restoring a version adds it as the newest one.')
      : trans.__('You can read it but not edit it: propose changes instead.');
    return `${trans.__('Owner: %1', owner)} · ${trans._n('%1 version', '%1 versions', count)} · ${rights}`;
  }

  /**
   * What a revision is compared with: the version before it, or for the first one (no `from`) the parent's version a
   * fork was made from, else an empty notebook; with a note when the label alone would mislead.
   */
  export function comparedWith(
    trans: TranslationBundle,
    reply: IRevisionDiffResponse
  ): { label: string; note: string | undefined } {
    if (reply.from) {
      return { label: trans.__('version %1', reply.from.number), note: undefined };
    }
    const { parent } = reply;
    if (parent) {
      const owner = parent.ownerKind === 'group' ? trans.__('group %1', parent.owner) : parent.owner;
      const label = trans.__('%1’s “%2”, version %3', owner, parent.title, parent.number);
      return {
        label,
        note: trans.__(
          'This notebook is a fork: its first version is compared with %1, the version it was made from.',
          label
        )
      };
    }
    return {
      label: trans.__('an empty notebook'),
      note: reply.parentHidden
        ? trans.__(
            'This notebook is a fork, but the notebook it was made from has been deleted or is not shared with you, so its first version is compared with an empty notebook.'
          )
        : undefined
    };
  }

  /** A readable message for a failure, never a stack trace. */
  export function message(trans: TranslationBundle, error: unknown, fallback: string): string {
    if (error instanceof GalleryError) {
      return `${fallback} ${error.message}`;
    }
    if (error instanceof Error && error.message) {
      return `${fallback} ${error.message}`;
    }
    return `${fallback} ${trans.__('Try again in a moment.')}`;
  }
}
