import type { INotebook } from '@notebook-gallery/core';
import { sourceText } from '@notebook-gallery/core';
import { sourceHash } from '../storage/sourceHash';

/** A cell as comments see it: its source and the source's hash. */
export interface ICommentCell {
  source: string;
  hash: string;
}

/** The cells of one stored version of a notebook, by id. */
export type CellsById = ReadonlyMap<string, ICommentCell>;

/** Versions kept; a version is a git commit, so what is cached never goes stale. */
const CACHE_SIZE = 256;

/**
 * The cells of notebook versions by commit, read from git once and kept (least recently used out), so listing
 * 1,000 comments reads each version at most once, and the latest one not at all while it stays cached.
 */
export class CommentCells {
  private readonly _cache = new Map<string, Promise<CellsById>>();

  /** The cells of commit `commit` of notebook `notebookId`, read with `read` when not cached. */
  async of(notebookId: string, commit: string, read: () => Promise<INotebook>): Promise<CellsById> {
    const key = `${notebookId}@${commit}`;
    let cells = this._cache.get(key);
    if (cells) {
      this._cache.delete(key);
    } else {
      cells = read().then(cellsOf);
      // A failed read is not kept, so the next request tries again.
      await cells.catch(() => this._cache.delete(key));
    }
    this._cache.set(key, cells);
    if (this._cache.size > CACHE_SIZE) {
      this._cache.delete(this._cache.keys().next().value as string);
    }
    return cells;
  }
}

/** How many lines `source` has: a final newline ends the last line rather than starting another. */
export function lineCount(source: string): number {
  if (source === '') {
    return 0;
  }
  const lines = source.split('\n');
  return source.endsWith('\n') ? lines.length - 1 : lines.length;
}

function cellsOf(notebook: INotebook): CellsById {
  const cells = new Map<string, ICommentCell>();
  for (const cell of notebook.cells) {
    if (typeof cell.id === 'string') {
      const source = sourceText(cell.source);
      cells.set(cell.id, { source, hash: sourceHash(source) });
    }
  }
  return cells;
}
