import type { INotebookSearchText } from '@notebook-gallery/core';
import type { GalleryDatabase } from '../../db/database';
import type { INotebookMetadata } from '../notebookRepository';
import type { ISearchIndex } from '../searchIndexRepository';

/** Column weights for ranking: a hit in the title counts most, one in code least. */
const BM25_WEIGHTS = '10.0, 4.0, 6.0, 2.0, 1.0';

/** Snippet markers: matches are wrapped in `**` so the snippet stays plain text that reads as markdown bold. */
const SNIPPET = `snippet(notebook_search, -1, '**', '**', '…', 16)`;

/**
 * The rows of `notebooks` that match an FTS5 query, with `rank` (lower is better) and `snippet` columns; one `?`
 * parameter, the query. The listing selects from it instead of `notebooks` when it answers a search.
 */
export const MATCHING_NOTEBOOKS_SQL = `(SELECT n.*, bm25(notebook_search, ${BM25_WEIGHTS}) AS rank, ${SNIPPET} AS snippet
  FROM notebook_search JOIN notebooks n ON n.seq = notebook_search.rowid
  WHERE notebook_search MATCH ?)`;

/** The FTS5 table `notebook_search`, whose rowid is the notebook's `seq`. */
export class SqliteSearchIndex implements ISearchIndex {
  constructor(private readonly _db: GalleryDatabase) {}

  put(seq: number, metadata: INotebookMetadata, text: INotebookSearchText): void {
    this._db
      .prepare(
        'INSERT OR REPLACE INTO notebook_search (rowid, title, description, tags, markdown, code) VALUES (?, ?, ?, ?, ?, ?)'
      )
      .run(seq, metadata.title, metadata.description, metadata.tags.join(' '), text.markdown, text.code);
  }

  putMetadata(seq: number, metadata: INotebookMetadata): void {
    this._db
      .prepare('UPDATE notebook_search SET title = ?, description = ?, tags = ? WHERE rowid = ?')
      .run(metadata.title, metadata.description, metadata.tags.join(' '), seq);
  }

  remove(seq: number): void {
    this._db.prepare('DELETE FROM notebook_search WHERE rowid = ?').run(seq);
  }
}
