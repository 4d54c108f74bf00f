import type { INotebook } from '@notebook-gallery/core';
import type { Properties } from 'hast';
import type { INotebookRenderer } from './render/notebookRenderer';
import type { IRenderLibraries } from './render/renderLibraries';
import { TimeSlices } from './render/timeSlices';

/** One rendered cell, its `<li>` taken apart so that a page can add to it: its attributes and its content as HTML. */
export interface ICellItem {
  /** The `<li>`'s properties (`id="cell-N"`, `data-cell-id`, the classes). */
  properties: Readonly<Properties>;
  /** The `<li>`'s content, serialised by `toHtml` from the renderer's sanitized tree, for a `raw` node. */
  html: string;
}

/**
 * The cells of `notebook`, each serialised on its own, so that a page can put comments beside a cell and serialise
 * only what it adds (pages/commentThreads.ts). Rendering and serialising give the event loop back every slice
 * (render/timeSlices.ts): a 500-cell notebook takes about a second of CPU, more under load. The weight is the HTML's
 * length, for the pages plugin's cache.
 */
export async function renderCellItems(
  renderer: INotebookRenderer,
  toHtml: IRenderLibraries['toHtml'],
  notebook: INotebook
): Promise<{ value: readonly ICellItem[]; weight: number }> {
  const slices = new TimeSlices();
  const list = await renderer.renderCellsInSlices(notebook, slices);
  const items: ICellItem[] = [];
  let weight = 0;
  for (const child of list.children) {
    if (child.type !== 'element') {
      continue;
    }
    const html = toHtml(child.children);
    weight += html.length;
    items.push({ properties: child.properties, html });
    await slices.pause();
  }
  return { value: items, weight };
}
