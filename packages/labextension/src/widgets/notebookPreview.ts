import {
  ErrorCode,
  type ICell,
  type INotebook,
  type INotebookEnvironment,
  type INotebookSummary
} from '@notebook-gallery/core';
import { Time } from '@jupyterlab/coreutils';
import { MimeModel, type IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { TranslationBundle } from '@jupyterlab/translation';
import { launchIcon, linkIcon, type LabIcon } from '@jupyterlab/ui-components';
import { UUID } from '@lumino/coreutils';
import type { CommandRegistry } from '@lumino/commands';
import type { Widget } from '@lumino/widgets';
import { GalleryError, isNotebookGone, localCopiesText, notebookGoneText } from '../galleryError';
import { CommandIDs, type IGalleryModel } from '../tokens';
import { element } from './dom';
import { healthBadge, healthExplanation } from './healthBadge';
import { similarList } from './similarList';
import { StarButton } from './starButton';

/**
 * A look at a gallery notebook before opening a copy: what it is, what it needs to run, whether it runs, its cells
 * (markdown rendered through JupyterLab's sanitizing rendermime, code as plain text), and similar notebooks.
 * Escape or *Back to results* closes it.
 */
export class NotebookPreview {
  /** Create the (empty, hidden) preview pane. */
  constructor(options: NotebookPreview.IOptions) {
    this._model = options.model;
    this._commands = options.commands;
    this._trans = options.trans;
    this._rendermime = options.rendermime ?? null;
    this._localCopies = options.localCopies ?? (() => []);
    this._close = options.close;
    this.node = element('section', 'jp-NotebookGallery-preview');
    this.node.hidden = true;
    this.node.addEventListener('keydown', event => {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        this._close();
      }
    });
  }

  /** The pane. */
  readonly node: HTMLElement;

  /** The notebook shown, or null. */
  get notebookId(): string | null {
    return this._id;
  }

  /**
   * Show notebook `id`: its details and cells, then the similar lists as they arrive. Records a view. The heading
   * takes the focus, so a screen reader starts at the title.
   */
  async show(id: string): Promise<void> {
    const generation = ++this._generation;
    const trans = this._trans;
    this._id = id;
    this._clear();
    this.node.hidden = false;
    this.node.setAttribute('aria-busy', 'true');
    this.node.append(this._toolbar(null), element('p', 'jp-NotebookGallery-status', trans.__('Loading the preview…')));
    this.node.querySelector<HTMLElement>('button')?.focus();
    const client = this._model.client;
    // The view is counted before the details are read, so the counts shown include it (sent side by side, the read
    // could overtake it and show one view fewer). A failure to count must never get in the way of showing it.
    await client.recordActivity(id, 'view').catch(() => undefined);
    let summary: INotebookSummary;
    let notebook: INotebook;
    try {
      summary = await client.getNotebook(id);
      notebook = await client.getNotebookContent(id, summary.revision);
    } catch (error) {
      if (generation === this._generation) {
        this._showError(id, error);
      }
      return;
    }
    if (generation !== this._generation) {
      return;
    }
    this._clear();
    const body = element('div', 'jp-NotebookGallery-previewBody');
    this.node.append(this._toolbar(summary), this._details(summary), body);
    const heading = this.node.querySelector<HTMLElement>('h2');
    heading?.focus();
    const similarSlot = element('div', 'jp-NotebookGallery-similarSlot');
    body.append(await this._cells(notebook, generation), similarSlot);
    this.node.removeAttribute('aria-busy');
    if (generation !== this._generation) {
      return;
    }
    try {
      const similar = await client.getSimilar(id, 5);
      if (generation === this._generation) {
        similarSlot.replaceChildren(similarList(trans, similar, other => void this.show(other)));
      }
    } catch (error) {
      if (generation === this._generation) {
        // A 404 that is not about the notebook is a gallery from before similar notebooks.
        const unsupported =
          error instanceof GalleryError && error.status === 404 && error.code !== ErrorCode.NOTEBOOK_NOT_FOUND;
        similarSlot.replaceChildren(
          element(
            'p',
            'jp-NotebookGallery-similarEmpty',
            unsupported
              ? trans.__('This gallery server does not suggest similar notebooks yet.')
              : trans.__('Similar notebooks could not be loaded: %1', Private.message(error))
          )
        );
      }
    }
  }

  /** Empty and hide the pane. */
  hide(): void {
    this._generation++;
    this._id = null;
    this._clear();
    this.node.hidden = true;
  }

  dispose(): void {
    this.hide();
  }

  /** The row with *Back to results*, and once loaded the star, *Open a copy*, *Copy link* and *Open in browser*. */
  private _toolbar(summary: INotebookSummary | null): HTMLElement {
    const trans = this._trans;
    const bar = element('div', 'jp-NotebookGallery-previewToolbar');
    const back = element('button', 'jp-mod-styled jp-NotebookGallery-back', trans.__('Back to results'));
    back.type = 'button';
    back.title = trans.__('Close the preview (Escape)');
    back.addEventListener('click', () => this._close());
    bar.append(back);
    if (summary) {
      const star = new StarButton({
        title: summary.title,
        starred: summary.starred,
        stars: summary.stars,
        trans,
        toggle: starred => this._star(summary.id, starred)
      });
      bar.append(star.node);
      const open = element('button', 'jp-mod-styled jp-mod-accept jp-NotebookGallery-open', trans.__('Open a copy'));
      open.type = 'button';
      open.title = trans.__('Open your own copy of “%1” to run and change', summary.title);
      open.addEventListener('click', () => void this._commands.execute(CommandIDs.open, { id: summary.id }));
      bar.append(open, ...this._linkButtons(summary));
      if (summary.canManage) {
        const remove = element('button', 'jp-mod-styled jp-mod-warn jp-NotebookGallery-delete', trans.__('Delete…'));
        remove.type = 'button';
        remove.setAttribute('aria-label', trans.__('Delete from gallery: %1', summary.title));
        remove.title = trans.__('Delete “%1” from the gallery, after saying what that affects', summary.title);
        remove.addEventListener('click', () => void this._delete(summary.id));
        bar.append(remove);
      }
    }
    return bar;
  }

  /** *Copy link* and *Open in browser*: the notebook's web page, to share or to read there. */
  private _linkButtons(summary: INotebookSummary): HTMLButtonElement[] {
    const trans = this._trans;
    const buttons: Array<[string, LabIcon, string, string, string]> = [
      [
        CommandIDs.copyLink,
        linkIcon,
        'jp-NotebookGallery-copyLink',
        trans.__('Copy link to %1', summary.title),
        trans.__('Copy link: the address of “%1” in the gallery, to paste into a chat or a course page', summary.title)
      ],
      [
        CommandIDs.openInBrowser,
        launchIcon,
        'jp-NotebookGallery-openInBrowser',
        trans.__('Open %1 in the browser', summary.title),
        trans.__('Open in browser: the gallery’s page of “%1”, in a new tab', summary.title)
      ]
    ];
    return buttons.map(([command, icon, className, label, title]) => {
      const button = element('button', `jp-NotebookGallery-iconButton ${className}`);
      button.type = 'button';
      button.setAttribute('aria-label', label);
      button.title = title;
      button.append(icon.element({ tag: 'span', elementSize: 'normal' }));
      button.addEventListener('click', () => void this._commands.execute(command, { id: summary.id }));
      return button;
    });
  }

  /** *Delete from gallery…*; once deleted, the preview of it closes (the command refreshes the list). */
  private async _delete(id: string): Promise<void> {
    const deleted = await this._commands.execute(CommandIDs.delete, { id });
    if (deleted === true && this._id === id) {
      this._close();
    }
  }

  private async _star(id: string, starred: boolean) {
    this._notice.textContent = '';
    try {
      return await this._model.setStarred(id, starred);
    } catch (error) {
      this._notice.textContent = Private.message(error);
      throw error;
    }
  }

  /** Title, description, owner, tags, environment, health and use. */
  private _details(summary: INotebookSummary): HTMLElement {
    const trans = this._trans;
    const details = element('div', 'jp-NotebookGallery-previewDetails');
    const heading = element('h2', 'jp-NotebookGallery-previewTitle', summary.title);
    heading.id = `jp-NotebookGallery-preview-${UUID.uuid4()}`;
    heading.tabIndex = -1;
    this.node.setAttribute('aria-labelledby', heading.id);
    details.append(heading);
    if (summary.description) {
      details.append(element('p', 'jp-NotebookGallery-previewDescription', summary.description));
    }
    const owner = summary.ownerKind === 'group' ? trans.__('group %1', summary.owner) : summary.owner;
    const time = element('time', '', Time.formatHuman(summary.updatedAt));
    time.dateTime = summary.updatedAt;
    time.title = Time.format(summary.updatedAt);
    const meta = element('p', 'jp-NotebookGallery-previewMeta');
    meta.append(trans.__('By %1 · version %2 · updated ', owner, summary.revisionNumber), time);
    details.append(meta);
    if (summary.tags.length > 0) {
      const tags = element('p', 'jp-NotebookGallery-itemTags');
      tags.setAttribute('aria-label', trans.__('Tags: %1', summary.tags.join(', ')));
      tags.append(...summary.tags.map(tag => element('span', 'jp-NotebookGallery-tag', tag)));
      details.append(tags);
    }
    const facts = element('dl', 'jp-NotebookGallery-previewFacts');
    for (const [term, value] of Private.environmentFacts(trans, summary.environment)) {
      facts.append(element('dt', '', term), element('dd', '', value));
    }
    const health = element('dd', '');
    // Spelled out here, not only in the badge's tooltip, so keyboard and touch users read it too.
    health.append(
      healthBadge(trans, summary.health),
      element('span', 'jp-NotebookGallery-healthExplanation', healthExplanation(trans, summary.health))
    );
    facts.append(element('dt', '', trans.__('Health')), health);
    const use = [
      trans._n('%1 view', '%1 views', summary.views),
      trans._n('%1 open', '%1 opens', summary.opens),
      trans._n('%1 star', '%1 stars', summary.stars)
    ];
    facts.append(element('dt', '', trans.__('Use')), element('dd', '', use.join(' · ')));
    details.append(facts);
    this._notice = element('p', 'jp-NotebookGallery-error');
    this._notice.setAttribute('role', 'alert');
    details.append(this._notice);
    return details;
  }

  /** The first cells: markdown rendered and sanitized by rendermime, code and raw cells as text. */
  private async _cells(notebook: INotebook, generation: number): Promise<HTMLElement> {
    const trans = this._trans;
    const cells = element('div', 'jp-NotebookGallery-previewCells');
    cells.setAttribute('role', 'group');
    cells.setAttribute('aria-label', trans.__('Notebook content'));
    const shown = notebook.cells.slice(0, Private.MAX_CELLS);
    for (const cell of shown) {
      if (generation !== this._generation) {
        break;
      }
      cells.append(await this._cell(cell));
    }
    const rest = notebook.cells.length - shown.length;
    if (rest > 0) {
      cells.append(
        element(
          'p',
          'jp-NotebookGallery-previewMore',
          trans._n(
            '…and %1 more cell. Open a copy to see it all.',
            '…and %1 more cells. Open a copy to see them all.',
            rest
          )
        )
      );
    }
    if (notebook.cells.length === 0) {
      cells.append(element('p', 'jp-NotebookGallery-empty', trans.__('This notebook has no cells.')));
    }
    return cells;
  }

  private async _cell(cell: ICell): Promise<HTMLElement> {
    const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    if (cell.cell_type === 'markdown' && this._rendermime) {
      const renderer = this._rendermime.createRenderer('text/markdown');
      this._renderers.push(renderer);
      renderer.addClass('jp-NotebookGallery-previewMarkdown');
      // Untrusted: rendermime runs the HTML the markdown makes through JupyterLab's sanitizer.
      await renderer.renderModel(new MimeModel({ data: { 'text/markdown': source }, trusted: false }));
      return renderer.node;
    }
    const pre = element('pre', `jp-NotebookGallery-previewCode jp-mod-${cell.cell_type}`);
    pre.append(element('code', '', source));
    return pre;
  }

  private _showError(id: string, error: unknown): void {
    const trans = this._trans;
    this._clear();
    this.node.removeAttribute('aria-busy');
    const box = element('div', 'jp-NotebookGallery-error');
    box.setAttribute('role', 'alert');
    if (isNotebookGone(error)) {
      // Trying again cannot help: say so in words, take it off the list, and offer the copy the user still has.
      void this._model.refresh();
      box.append(element('p', 'jp-NotebookGallery-errorMessage', notebookGoneText(trans)));
      const paths = this._localCopies(id);
      const copies = localCopiesText(trans, paths);
      if (copies) {
        box.append(element('p', 'jp-NotebookGallery-errorMessage', copies));
        const open = element('button', 'jp-mod-styled jp-mod-accept', trans.__('Open your copy'));
        open.type = 'button';
        open.title = paths[0];
        open.addEventListener('click', () => void this._commands.execute('docmanager:open', { path: paths[0] }));
        box.append(open);
      }
    } else {
      const retry = element('button', 'jp-mod-styled jp-mod-accept', trans.__('Try again'));
      retry.type = 'button';
      retry.addEventListener('click', () => void this.show(id));
      box.append(
        element(
          'p',
          'jp-NotebookGallery-errorMessage',
          trans.__('The preview could not be loaded: %1', Private.message(error))
        ),
        retry
      );
    }
    this.node.append(this._toolbar(null), box);
    this.node.querySelector<HTMLElement>('button')?.focus();
  }

  private _clear(): void {
    for (const renderer of this._renderers) {
      renderer.dispose();
    }
    this._renderers = [];
    this.node.replaceChildren();
    this.node.removeAttribute('aria-labelledby');
  }

  private _model: IGalleryModel;
  private _commands: CommandRegistry;
  private _trans: TranslationBundle;
  private _rendermime: IRenderMimeRegistry | null;
  private _localCopies: (id: string) => readonly string[];
  private _close: () => void;
  private _id: string | null = null;
  private _generation = 0;
  private _renderers: Widget[] = [];
  private _notice: HTMLElement = element('p', '');
}

/** Options of the notebook preview. */
export namespace NotebookPreview {
  /** Construction options. */
  export interface IOptions {
    /** Loads the notebook and stars it, so the list shows the same star. */
    model: IGalleryModel;
    /** Runs *Open a copy*. */
    commands: CommandRegistry;
    trans: TranslationBundle;
    /** Renders markdown cells; without one (tests of other parts) markdown shows as its source text. */
    rendermime?: IRenderMimeRegistry | null;
    /** The paths of the user's local copies of a notebook, offered when it is gone from the gallery. */
    localCopies?: (id: string) => readonly string[];
    /** Called on Escape and *Back to results*. */
    close: () => void;
  }
}

namespace Private {
  /** Cells rendered in a preview; the rest is for the opened copy. */
  export const MAX_CELLS = 30;

  export function environmentFacts(
    trans: TranslationBundle,
    environment: INotebookEnvironment
  ): Array<[string, string]> {
    const facts: Array<[string, string]> = [];
    if (environment.kernelName) {
      facts.push([trans.__('Kernel'), environment.kernelName]);
    }
    if (environment.language) {
      facts.push([
        trans.__('Language'),
        environment.languageVersion ? `${environment.language} ${environment.languageVersion}` : environment.language
      ]);
    }
    facts.push([
      trans.__('Packages'),
      environment.packages.length > 0 ? environment.packages.join(', ') : trans.__('none imported')
    ]);
    return facts;
  }

  export function message(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
  }
}
