import type { INotebook } from '@notebook-gallery/core';
import type { Properties } from 'hast';
import type { INotebookRenderer } from './render/notebookRenderer';
import { RenderCache } from './render/renderCache';
import type { IRenderLibraries } from './render/renderLibraries';

/** One rendered cell, its `<li>` taken apart so that a page can add to it: its attributes and its content as HTML. */
export interface ICellItem {
  /** The `<li>`'s properties (`id="cell-N"`, `data-cell-id`, the classes). */
  properties: Readonly<Properties>;
  /** The `<li>`'s content, serialised by `toHtml` from the renderer's sanitized tree, for a `raw` node. */
  html: string;
}

/**
 * Characters of cell HTML kept (about twice that in bytes), as the pages plugin keeps for whole notebooks: the
 * comments of a page go inside each cell's `<li>`, so it cannot use that one string, and serialising the cells of a
 * 500-cell notebook takes about 0.3 s.
 */
const CELL_ITEMS_BUDGET_CHARS = 40_000_000;

/**
 * The rendered cells of notebook revisions, each cell serialised once and kept, so that a page with comments beside
 * its cells serialises only what it adds (see pages/commentThreads.ts). The HTML is the renderer's sanitized output,
 * the only HTML pages place as `raw` nodes (see `cells()` in plugins/pagesPlugin.ts).
 */
export class CellItems {
  private readonly _cache = new RenderCache<readonly ICellItem[]>(CELL_ITEMS_BUDGET_CHARS);

  constructor(
    private readonly _renderer: INotebookRenderer,
    private readonly _toHtml: IRenderLibraries['toHtml']
  ) {}

  /** The cells of `notebook`, whose content `revisionKey` names for good (`<id>@<revision>`). */
  of(revisionKey: string, notebook: INotebook): readonly ICellItem[] {
    return this._cache.getOrMake(revisionKey, () => {
      let weight = 0;
      const items = this._renderer.renderCells(notebook).children.flatMap(child => {
        if (child.type !== 'element') {
          return [];
        }
        const html = this._toHtml(child.children);
        weight += html.length;
        return [{ properties: child.properties, html }];
      });
      return { value: items, weight };
    });
  }
}
