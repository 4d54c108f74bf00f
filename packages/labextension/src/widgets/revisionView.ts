import type { INotebook, INotebookSummary, IRevision } from '@notebook-gallery/core';
import { Time } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { element } from './dom';

/**
 * One revision of a gallery notebook, shown read-only: its cells as text, nothing to edit or run, so looking at an
 * old version can never change the user's copy or the gallery. Markdown is shown as written, never as HTML.
 */
export class RevisionView extends Widget {
  /** Show `options.notebook`, the content of `options.revision` of `options.summary`. */
  constructor(options: RevisionView.IOptions) {
    super();
    const { trans, summary, revision, notebook } = options;
    this.addClass('jp-NotebookGallery-revisionView');
    this.title.label = trans.__('%1 (version %2, read-only)', summary.title, revision.number);
    this.title.caption = trans.__('Version %1 of “%2”, read-only', revision.number, summary.title);
    this.node.setAttribute('aria-label', this.title.caption);

    const banner = element('div', 'jp-NotebookGallery-readOnlyBanner');
    banner.setAttribute('role', 'note');
    banner.append(
      element('strong', '', trans.__('Read-only')),
      ' ',
      trans.__(
        'Version %1 of “%2”, saved by %3 %4.',
        revision.number,
        summary.title,
        revision.author,
        Time.formatHuman(revision.createdAt)
      ),
      ' ',
      revision.message ? trans.__('Message: “%1”.', revision.message) : '',
      ' ',
      trans.__('To work on it, download it or restore it from the History panel.')
    );
    const actions = element('div', 'jp-NotebookGallery-historyActions');
    for (const action of options.actions ?? []) {
      const button = element('button', 'jp-mod-styled', action.label);
      button.type = 'button';
      button.addEventListener('click', () => action.execute());
      actions.append(button);
    }
    banner.append(actions);
    this.node.append(banner);

    const cells = element('ol', 'jp-NotebookGallery-revisionCells');
    cells.setAttribute('aria-label', trans.__('Cells'));
    if (notebook.cells.length === 0) {
      cells.append(element('li', 'jp-NotebookGallery-hint', trans.__('This version has no cells.')));
    }
    notebook.cells.forEach((cell, index) => {
      const item = element('li', `jp-NotebookGallery-revisionCell jp-mod-${cell.cell_type}`);
      const kind =
        cell.cell_type === 'code'
          ? trans.__('Code')
          : cell.cell_type === 'markdown'
            ? trans.__('Text')
            : trans.__('Raw');
      item.append(element('span', 'jp-NotebookGallery-revisionCellLabel', trans.__('Cell %1 · %2', index + 1, kind)));
      const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
      const pre = element('pre', 'jp-NotebookGallery-revisionSource', source);
      pre.tabIndex = 0;
      pre.setAttribute('aria-label', trans.__('Cell %1, %2', index + 1, kind));
      item.append(pre);
      cells.append(item);
    });
    this.node.append(cells);
  }
}

/** Options of the read-only revision view. */
export namespace RevisionView {
  /** A button in the banner. */
  export interface IAction {
    label: string;
    execute: () => void;
  }

  /** Construction options. */
  export interface IOptions {
    trans: TranslationBundle;
    summary: INotebookSummary;
    revision: IRevision;
    notebook: INotebook;
    /** Buttons shown in the banner, such as Download. */
    actions?: IAction[];
  }
}
