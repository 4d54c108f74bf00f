import { GALLERY_METADATA_KEY } from '@notebook-gallery/core';
import type { Cell } from '@jupyterlab/cells';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { Widget, type PanelLayout } from '@lumino/widgets';
import { commentCounts } from '../services/commentThreads';
import type { NotebookComments } from '../services/notebookComments';
import { readProvenance } from '../services/provenance';
import { CommandIDs, type IGalleryClient } from '../tokens';
import { element } from './dom';
import { commentIcon } from './icons';

/** A cell's comment marker: a row under its input with a button, "2 comments", that opens the panel at them. */
export class CommentMarker extends Widget {
  /** A marker for the cell with id `cellId`. */
  constructor(cellId: string, commands: CommandRegistry, trans: TranslationBundle) {
    super();
    this._trans = trans;
    this.addClass('jp-NotebookGallery-cellCommentsRow');
    const button = element('button', 'jp-NotebookGallery-cellComments');
    button.type = 'button';
    this.node.append(button);
    this._button = button;
    button.append(
      commentIcon.element({ tag: 'span', className: 'jp-NotebookGallery-cellCommentsIcon' }),
      (this._count = element('span', 'jp-NotebookGallery-cellCommentsCount'))
    );
    button.addEventListener('click', event => {
      // The click is for the marker, not for selecting the cell under it.
      event.stopPropagation();
      void commands.execute(CommandIDs.comments, { cellId });
    });
  }

  /** How many comments the marker shows. */
  get count(): number {
    return this._value;
  }

  set count(value: number) {
    this._value = value;
    this._count.textContent = this._trans._n('%1 comment', '%1 comments', value);
    this._button.title = this._trans._n(
      '%1 comment on this cell: show it',
      '%1 comments on this cell: show them',
      value
    );
  }

  private _trans: TranslationBundle;
  private _button: HTMLButtonElement;
  private _count: HTMLElement;
  private _value = 0;
}

/**
 * Put a comment marker on each cell of an open gallery copy that has comments in the gallery, the way JupyterLab's
 * cell toolbar puts its toolbar on cells: a widget in the cell's own layout, so it stays through re-renders and goes
 * with the cell. Markers follow the comments (loaded when a copy opens, and again when the user comes back to it)
 * and the cells as they are added, moved or deleted.
 */
export function followCommentMarkers(options: ICommentMarkersOptions): void {
  const { tracker } = options;
  tracker.widgetAdded.connect((_tracker, panel) => {
    void panel.context.ready
      .then(() => Private.follow(panel, options))
      .catch(reason => console.error('Notebook Gallery: could not show the comments of the copy.', reason));
  });
}

/** What {@link followCommentMarkers} needs. */
export interface ICommentMarkersOptions {
  client: IGalleryClient;
  tracker: INotebookTracker;
  comments: NotebookComments;
  commands: CommandRegistry;
  trans: TranslationBundle;
}

/**
 * Make the markers of `panel`'s cells show `counts`: a marker on each cell with comments, none elsewhere.
 * Exported for tests.
 */
export function updateMarkers(
  cells: readonly Cell[],
  counts: ReadonlyMap<string, number>,
  markers: WeakMap<Cell, CommentMarker>,
  create: (cellId: string) => CommentMarker
): void {
  for (const cell of cells) {
    const count = counts.get(cell.model.id) ?? 0;
    let marker = markers.get(cell);
    if (count === 0) {
      marker?.dispose();
      markers.delete(cell);
      continue;
    }
    if (!marker || marker.isDisposed) {
      marker = create(cell.model.id);
      // Right under the input, in the flow: over the input it would hide the active cell's toolbar, or its code.
      const layout = cell.layout as PanelLayout;
      const input = layout.widgets.indexOf(cell.inputArea?.parent as Widget);
      layout.insertWidget(input === -1 ? layout.widgets.length : input + 1, marker);
      markers.set(cell, marker);
    }
    marker.count = count;
  }
}

namespace Private {
  export function follow(panel: NotebookPanel, options: ICommentMarkersOptions): void {
    const { client, comments, commands, trans } = options;
    const metadata = { [GALLERY_METADATA_KEY]: panel.model?.getMetadata(GALLERY_METADATA_KEY) };
    const provenance = readProvenance(metadata, client.serverUrl);
    if (!provenance || panel.isDisposed) {
      return;
    }
    const id = provenance.id;
    const markers = new WeakMap<Cell, CommentMarker>();
    const update = (): void => {
      const list = comments.state(id).list;
      const counts = list ? commentCounts(list) : new Map<string, number>();
      updateMarkers(panel.content.widgets, counts, markers, cellId => new CommentMarker(cellId, commands, trans));
    };
    const onComments = (_sender: NotebookComments, changedId: string): void => {
      if (changedId === id) {
        update();
      }
    };
    const onFocus = (): void => void comments.loadOnFocus(id);
    comments.changed.connect(onComments);
    // The notebook makes the widgets of new cells before this runs: it connected to the list first.
    panel.content.model?.cells.changed.connect(update);
    panel.node.addEventListener('focusin', onFocus);
    panel.disposed.connect(() => {
      comments.changed.disconnect(onComments);
      panel.node.removeEventListener('focusin', onFocus);
    });
    update();
    void comments.load(id);
  }
}
