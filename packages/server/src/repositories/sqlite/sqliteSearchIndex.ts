import type { INotebookSearchText } from '@notebook-gallery/core';
import type { GalleryDatabase } from '../../db/database';
import type { ISearchPlan, ITermVocabulary, IVocabularyTerm } from '../../search/ftsQuery';
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../../search/snippet';
import type { INotebookMetadata } from '../notebookRepository';
import type { ISearchEntry, ISearchIndex } from '../searchIndexRepository';
import type { ISqlPredicate } from './readableNotebooksSql';

/**
 * Column weights for BM25, in the table's column order: title, description, tags, owner, language, packages,
 * markdown, code. A word in the title says far more about what a notebook is than the same word in its code.
 */
export const BM25_WEIGHTS = '12.0, 5.0, 6.0, 3.0, 3.0, 4.0, 2.0, 1.0';

/** Snippet of about 16 tokens around the best matches, matches marked for {@link parseMarkedSnippet}. */
const SNIPPET = `snippet(notebook_search, -1, char(${SNIPPET_OPEN.charCodeAt(0)}), char(${SNIPPET_CLOSE.charCodeAt(0)}), '…', 16)`;

/** The rowids of notebooks whose index row matches one `?` FTS5 expression. */
export const MATCHING_ROWIDS_SQL = 'SELECT rowid FROM notebook_search WHERE notebook_search MATCH ?';

/**
 * The rows of `notebooks` that match a search plan, with `rank` (lower is better) and `snippet` columns. The rank is
 * BM25 with {@link BM25_WEIGHTS}, scaled by the share of the query's words a notebook holds. The listing selects
 * from it instead of `notebooks` when it answers a search.
 */
export function matchingNotebooksSql(plan: ISearchPlan & { match: string }): ISqlPredicate {
  const params: unknown[] = [];
  let share = '1.0';
  if (plan.terms.length > 1) {
    share = `((${plan.terms.map(() => `(n.seq IN (${MATCHING_ROWIDS_SQL}))`).join(' + ')}) / ${plan.terms.length}.0)`;
    params.push(...plan.terms);
  }
  params.push(plan.match);
  return {
    sql: `(SELECT n.*, bm25(notebook_search, ${BM25_WEIGHTS}) * ${share} AS rank, ${SNIPPET} AS snippet
      FROM notebook_search JOIN notebooks n ON n.seq = notebook_search.rowid
      WHERE notebook_search MATCH ?)`,
    params
  };
}

/** The FTS5 table `notebook_search`, whose rowid is the notebook's `seq`. */
export class SqliteSearchIndex implements ISearchIndex {
  constructor(private readonly _db: GalleryDatabase) {}

  put(seq: number, entry: ISearchEntry, text: INotebookSearchText): void {
    this._db
      .prepare(
        `INSERT OR REPLACE INTO notebook_search (rowid, title, description, tags, owner, language, packages, markdown, code)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(
        seq,
        entry.title,
        entry.description,
        entry.tags.join(' '),
        entry.owner,
        text.language,
        text.packages.join(' '),
        text.markdown,
        text.code
      );
  }

  putMetadata(seq: number, metadata: INotebookMetadata): void {
    this._db
      .prepare('UPDATE notebook_search SET title = ?, description = ?, tags = ? WHERE rowid = ?')
      .run(metadata.title, metadata.description, metadata.tags.join(' '), seq);
  }

  putOwner(seq: number, owner: string): void {
    this._db.prepare('UPDATE notebook_search SET owner = ? WHERE rowid = ?').run(owner, seq);
  }

  remove(seq: number): void {
    this._db.prepare('DELETE FROM notebook_search WHERE rowid = ?').run(seq);
  }

  pendingText(): string[] {
    return (this._db.prepare('SELECT notebook_id FROM search_reindex_queue').all() as { notebook_id: string }[]).map(
      row => row.notebook_id
    );
  }

  clearPending(id: string): void {
    this._db.prepare('DELETE FROM search_reindex_queue WHERE notebook_id = ?').run(id);
  }
}

/** Past every character, so `term >= p AND term < p || LAST` selects the terms starting with `p`. */
const LAST = '\u{10FFFF}';

/** The index's vocabulary through the fts5vocab table `notebook_search_terms` (one row per term, with `doc`). */
export class SqliteTermVocabulary implements ITermVocabulary {
  constructor(private readonly _db: GalleryDatabase) {}

  documents(term: string): number {
    const row = this._db.prepare('SELECT doc FROM notebook_search_terms WHERE term = ?').get(term) as
      | { doc: number }
      | undefined;
    return row?.doc ?? 0;
  }

  hasPrefix(prefix: string): boolean {
    return (
      this._db
        .prepare('SELECT 1 FROM notebook_search_terms WHERE term >= ? AND term < ? LIMIT 1')
        .get(prefix, prefix + LAST) !== undefined
    );
  }

  startingWith(first: string, minLength: number, maxLength: number): IVocabularyTerm[] {
    return this._db
      .prepare(
        `SELECT term, doc AS documents FROM notebook_search_terms
         WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ?`
      )
      .all(first, first + LAST, minLength, Number.isFinite(maxLength) ? maxLength : 1_000_000) as IVocabularyTerm[];
  }
}
