import type { ICell, INotebook, MultilineString } from '@notebook-gallery/core';
import type { Element, ElementContent } from 'hast';
import type { CellAttachments } from './attachmentImages';
import { codeBlock, notebookLanguage } from './codeHighlight';
import { createMarkdownProcessor, type IMarkdownProcessor } from './markdownProcessor';
import { RenderCache } from './renderCache';
import { loadRenderLibraries, type IRenderLibraries } from './renderLibraries';

/**
 * Notebooks and user-written markdown as hast, for the pages to place in their own trees and serialise with
 * `toHtml`. Pure: no I/O, no HTTP. Outputs are never rendered, even when a notebook has some.
 */
export interface INotebookRenderer {
  /**
   * The notebook's cells as one `<ol class="nb-cells">` with one `<li>` per cell: `id="cell-N"` (N is the 1-based
   * cell number shown to the reader, so a comment can say "cell 7" and `#cell-7` links to it),
   * `data-cell-id` (the nbformat cell id, when present), class `nb-cell nb-cell--markdown|code|raw`.
   */
  renderCells(notebook: INotebook): Element;
  /**
   * {@link renderCells} through a cache keyed by `revisionKey`, which must name immutable content (a notebook id
   * and a git revision). The element is shared between callers and frozen: copy what you change.
   */
  renderCellsCached(revisionKey: string, notebook: INotebook): Element;
  /** Markdown (a description, a comment) to a sanitized `<div class="nb-markdown">`; no attachments. */
  renderMarkdown(text: string): Element;
}

/**
 * A markdown cell longer than this is shown as its text, unformatted. remark and rehype take about 0.x s for
 * this much (see the bench), and a page must not hold the server's one thread for longer.
 */
export const MARKDOWN_CELL_CHARS = 100_000;
/** A code cell longer than this is shown without highlighting, for the same reason. */
export const HIGHLIGHT_CELL_CHARS = 100_000;
/**
 * Characters of a notebook that are formatted (markdown rendered, code highlighted); the cells after are shown as
 * plain text, so a notebook of many cells costs what one of a few long cells costs.
 */
export const NOTEBOOK_FORMAT_CHARS = 2_000_000;
/** Characters of source the render cache keeps at most, over all its notebooks (the hast is several times that). */
export const RENDER_CACHE_CHARS = 20_000_000;

/** The renderer; loads the render libraries on first use. */
export async function createNotebookRenderer(): Promise<INotebookRenderer> {
  return new NotebookRenderer(await loadRenderLibraries());
}

class NotebookRenderer implements INotebookRenderer {
  private readonly _markdown: IMarkdownProcessor;
  private readonly _cache = new RenderCache<Element>(RENDER_CACHE_CHARS);

  constructor(private readonly _libraries: IRenderLibraries) {
    this._markdown = createMarkdownProcessor(_libraries);
  }

  renderCells(notebook: INotebook): Element {
    const { h } = this._libraries;
    const language = notebookLanguage(notebook, this._libraries.lowlight);
    let budget = NOTEBOOK_FORMAT_CHARS;
    const cells = notebook.cells.map((cell, index) => {
      const source = Private.sourceText(cell.source);
      const within = source.length <= budget;
      if (within) {
        budget -= source.length;
      }
      return this._cell(cell, index + 1, source, language, within);
    });
    return h('ol', { className: ['nb-cells'] }, cells);
  }

  renderCellsCached(revisionKey: string, notebook: INotebook): Element {
    return this._cache.getOrMake(revisionKey, () => ({
      value: Private.deepFreeze(this.renderCells(notebook)),
      weight: notebook.cells.reduce((sum, cell) => sum + Private.sourceText(cell.source).length, 0)
    }));
  }

  renderMarkdown(text: string): Element {
    const { h } = this._libraries;
    if (text.length > MARKDOWN_CELL_CHARS) {
      return h('div', { className: ['nb-markdown'] }, h('pre', { className: ['nb-plain'] }, text));
    }
    return h('div', { className: ['nb-markdown'] }, this._markdown.toHast(text).children as ElementContent[]);
  }

  /** One `<li>`: the cell number (a link to itself, labelled for screen readers) and the cell's body. */
  private _cell(cell: ICell, number: number, source: string, language: string, withinBudget: boolean): Element {
    const { h } = this._libraries;
    const kind = cell.cell_type === 'markdown' || cell.cell_type === 'code' ? cell.cell_type : 'raw';
    const anchor = `cell-${number}`;
    return h(
      'li',
      {
        id: anchor,
        className: ['nb-cell', `nb-cell--${kind}`],
        dataCellId: typeof cell.id === 'string' ? cell.id : undefined
      },
      h(
        'a',
        { className: ['nb-cell__number'], href: `#${anchor}`, ariaLabel: `Cell ${number}, ${kind}` },
        String(number)
      ),
      h('div', { className: ['nb-cell__body'] }, this._body(cell, kind, source, language, withinBudget))
    );
  }

  private _body(
    cell: ICell,
    kind: 'markdown' | 'code' | 'raw',
    source: string,
    language: string,
    withinBudget: boolean
  ): ElementContent[] {
    const { h } = this._libraries;
    const limit = kind === 'markdown' ? MARKDOWN_CELL_CHARS : kind === 'code' ? HIGHLIGHT_CELL_CHARS : Infinity;
    const formatted = withinBudget && source.length <= limit;
    const note =
      formatted || kind === 'raw'
        ? []
        : [h('p', { className: ['nb-cell__note'] }, Private.plainNote(source.length, withinBudget))];
    if (kind === 'code') {
      return [...note, codeBlock(this._libraries, source, language, formatted)];
    }
    if (kind === 'markdown' && formatted) {
      const attachments = (cell as { attachments?: unknown }).attachments;
      const root = this._markdown.toHast(
        source,
        Private.isRecord(attachments) ? (attachments as CellAttachments) : undefined
      );
      return [h('div', { className: ['nb-markdown'] }, root.children as ElementContent[])];
    }
    return [...note, h('pre', { className: [kind === 'raw' ? 'nb-raw' : 'nb-plain'] }, source)];
  }
}

namespace Private {
  /** A cell's source as one string, whichever form nbformat stored it in. */
  export function sourceText(source: MultilineString): string {
    return Array.isArray(source) ? source.join('') : typeof source === 'string' ? source : '';
  }

  export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  /** Why a cell is shown as plain text. */
  export function plainNote(length: number, withinBudget: boolean): string {
    return withinBudget
      ? `This cell is long (${length.toLocaleString('en')} characters), so it is shown as plain text.`
      : 'This notebook is long, so this cell and the ones after it are shown as plain text.';
  }

  /** Freezes a hast tree shared through the cache, so that a page that changes it fails instead of changing others. */
  export function deepFreeze<T>(value: T): T {
    if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const child of Object.values(value)) {
        deepFreeze(child);
      }
    }
    return value;
  }
}
