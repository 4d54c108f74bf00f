import type { ICell, INotebook, MultilineString } from '@notebook-gallery/core';
import type { Element, ElementContent } from 'hast';
import type { CellAttachments } from './attachmentImages';
import { codeBlock, notebookLanguage } from './codeHighlight';
import { linkInPage } from './inPageLinks';
import { createMarkdownProcessor, type IMarkdownContext, type IMarkdownProcessor } from './markdownProcessor';
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
 * How much of a notebook is formatted. Rendering is synchronous and holds the server's one thread, so every bound is
 * on characters of source, which the time grows with (see `npm run bench`, "Notebook pages").
 */
export interface IRenderLimits {
  /** A markdown cell (or description, comment) longer than this is shown as its text, unformatted. */
  markdownCellChars: number;
  /** A code cell longer than this is shown without highlighting. */
  highlightCellChars: number;
  /**
   * Characters of a notebook that are formatted (markdown rendered, code highlighted); the cells after are shown as
   * plain text, so a notebook of many cells costs at most what a few long cells cost.
   */
  notebookChars: number;
  /** Formulas of a notebook (or description, comment) rendered by KaTeX; past it, formulas show their TeX source. */
  notebookFormulas: number;
  /** Characters of source the render cache keeps at most, over all its notebooks (the hast is several times that). */
  cacheChars: number;
}

/**
 * Measured by `npm run bench -- --only=render` on the 2-core bench machine under load: a 500-cell notebook of
 * 164,000 characters renders in about 0.8 s, one markdown cell of 20,000 characters in 0.26 s, one Python cell of
 * 100,000 characters highlights in 0.05 s, and KaTeX takes about 0.4 ms a formula. So the longest formatted
 * markdown cell holds the server about a quarter of a second, and a whole notebook at most about 1.5 s (300,000
 * characters) plus 0.9 s of formulas, once: the cache keeps the result. The largest notebook of the search corpus
 * has 63,000 characters and its longest markdown cell 5,300, so real notebooks stay well within the bounds; past
 * them the text is still shown whole, unformatted.
 */
export const DEFAULT_RENDER_LIMITS: Readonly<IRenderLimits> = Object.freeze({
  markdownCellChars: 20_000,
  highlightCellChars: 100_000,
  notebookChars: 300_000,
  notebookFormulas: 2_000,
  cacheChars: 20_000_000
});

/** The renderer; loads the render libraries on first use. `limits` replace the defaults (tests use small ones). */
export async function createNotebookRenderer(limits: Partial<IRenderLimits> = {}): Promise<INotebookRenderer> {
  return new NotebookRenderer(await loadRenderLibraries(), { ...DEFAULT_RENDER_LIMITS, ...limits });
}

class NotebookRenderer implements INotebookRenderer {
  private readonly _markdown: IMarkdownProcessor;
  private readonly _cache: RenderCache<Element>;

  constructor(
    private readonly _libraries: IRenderLibraries,
    private readonly _limits: IRenderLimits
  ) {
    this._markdown = createMarkdownProcessor(_libraries);
    this._cache = new RenderCache<Element>(_limits.cacheChars);
  }

  renderCells(notebook: INotebook): Element {
    const { h } = this._libraries;
    const language = notebookLanguage(notebook, this._libraries.lowlight);
    let budget = this._limits.notebookChars;
    const formulas = { remaining: this._limits.notebookFormulas };
    const cells = notebook.cells.map((cell, index) => {
      const kind = Private.kindOf(cell);
      const source = Private.sourceText(cell.source);
      let shown: Shown = 'formatted';
      if (kind === 'raw') {
        shown = 'plain';
      } else if (
        source.length > (kind === 'markdown' ? this._limits.markdownCellChars : this._limits.highlightCellChars)
      ) {
        shown = 'long';
      } else if (budget === 0 || source.length > budget) {
        // Once the budget is spent, every cell after is plain, so that the page says where formatting stopped.
        budget = 0;
        shown = 'pastBudget';
      } else {
        budget -= source.length;
      }
      return this._cell(cell, kind, index + 1, source, { language, shown, formulas });
    });
    linkInPage(cells.map(Private.bodyOf));
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
    if (text.length > this._limits.markdownCellChars) {
      return h('div', { className: ['nb-markdown'] }, h('pre', { className: ['nb-plain'] }, text));
    }
    return h(
      'div',
      { className: ['nb-markdown'] },
      this._markdown.toHast(text, { formulas: { remaining: this._limits.notebookFormulas } })
        .children as ElementContent[]
    );
  }

  /** One `<li>`: the cell number (a link to itself, labelled for screen readers) and the cell's body. */
  private _cell(cell: ICell, kind: CellKind, number: number, source: string, how: ICellRendering): Element {
    const { h } = this._libraries;
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
      h('div', { className: ['nb-cell__body'] }, this._body(cell, kind, source, how))
    );
  }

  private _body(cell: ICell, kind: CellKind, source: string, how: ICellRendering): ElementContent[] {
    const { h } = this._libraries;
    const { shown } = how;
    if (kind === 'raw') {
      return [h('pre', { className: ['nb-raw'] }, source)];
    }
    const note =
      shown === 'formatted' ? [] : [h('p', { className: ['nb-cell__note'] }, Private.plainNote(source.length, shown))];
    if (kind === 'code') {
      return [...note, codeBlock(this._libraries, source, how.language, shown === 'formatted')];
    }
    if (shown === 'formatted') {
      const attachments = (cell as { attachments?: unknown }).attachments;
      const root = this._markdown.toHast(source, {
        attachments: Private.isRecord(attachments) ? (attachments as CellAttachments) : undefined,
        formulas: how.formulas
      });
      return [h('div', { className: ['nb-markdown'] }, root.children as ElementContent[])];
    }
    return [...note, h('pre', { className: ['nb-plain'] }, source)];
  }
}

type CellKind = 'markdown' | 'code' | 'raw';
/** How a cell is shown: formatted, or as plain text because it is long or comes after the notebook's budget. */
type Shown = 'formatted' | 'plain' | 'long' | 'pastBudget';

/** How one cell is rendered: the notebook's language, how it is shown, the formula budget left. */
interface ICellRendering {
  language: string;
  shown: Shown;
  formulas: IMarkdownContext['formulas'];
}

namespace Private {
  /** A cell's source as one string, whichever form nbformat stored it in. */
  export function sourceText(source: MultilineString): string {
    return Array.isArray(source) ? source.join('') : typeof source === 'string' ? source : '';
  }

  export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  /** The `<div class="nb-cell__body">` of a cell's `<li>`, as {@link NotebookRenderer._cell} builds it. */
  export function bodyOf(cell: Element): Element {
    return cell.children.find(
      (child): child is Element =>
        child.type === 'element' && (child.properties.className as string[]).includes('nb-cell__body')
    )!;
  }

  /** A cell of a type nbformat does not know is shown like a raw cell: as its text. */
  export function kindOf(cell: ICell): CellKind {
    return cell.cell_type === 'markdown' || cell.cell_type === 'code' ? cell.cell_type : 'raw';
  }

  /** Why a cell is shown as plain text. */
  export function plainNote(length: number, shown: Shown): string {
    return shown === 'long'
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
