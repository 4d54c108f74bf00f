import type { INotebookSearchText } from '@notebook-gallery/core';
import type { GalleryDatabase } from '../../db/database';
import type { ISearchPlan, ITermVocabulary, IVocabularyTerm } from '../../search/ftsQuery';
import { SNIPPET_SOURCE_CHARS, type ISnippetSources } from '../../search/snippet';
import type { INotebookMetadata } from '../notebookRepository';
import type { ISearchEntry, ISearchIndex } from '../searchIndexRepository';
import type { ISqlPredicate } from './readableNotebooksSql';
import { SqliteConnectionGate } from './sqliteConnectionGate';
import { SqliteTopKIndex } from './sqliteTopKIndex';

/** The index's columns, in table order. */
const COLUMNS = ['title', 'description', 'tags', 'owner', 'language', 'packages', 'markdown', 'code'] as const;

/**
 * How much a match in each column counts: a word in the title says far more about a notebook than one in code.
 * Columns are scored in four groups (see {@link RANK_SQL}); within a group the weights scale the word counts.
 */
export const COLUMN_WEIGHTS: Readonly<Record<(typeof COLUMNS)[number], number>> = {
  title: 12,
  description: 5,
  tags: 6,
  owner: 3,
  language: 3,
  packages: 4,
  markdown: 2,
  code: 1
};

/** The groups of columns scored apart: the title, the short metadata fields, markdown, and code. */
const RANK_GROUPS: readonly (readonly (typeof COLUMNS)[number][])[] = [
  ['title'],
  ['description', 'tags', 'owner', 'language', 'packages'],
  ['markdown'],
  ['code']
];

/**
 * A sum of BM25 scores, one per group of columns. FTS5's bm25() with column weights adds the weighted counts of all
 * columns first and then normalises by the length of the whole row, so in a long notebook a title match drowns in
 * its code; scoring the title, the short metadata, markdown and code apart keeps a title match worth a title match
 * whatever the notebook's length. Four groups rather than eight columns: each bm25() call costs a pass over the
 * matches.
 */
export const RANK_SQL = `(${RANK_GROUPS.map(group => {
  const weights = COLUMNS.map(column => (group.includes(column) ? COLUMN_WEIGHTS[column] : 0));
  return group.length === 1
    ? `${COLUMN_WEIGHTS[group[0]]} * bm25(notebook_search, ${weights.map(weight => (weight ? 1 : 0)).join(', ')})`
    : `bm25(notebook_search, ${weights.join(', ')})`;
}).join(' + ')})`;

/** The rowids of notebooks whose index row matches one `?` FTS5 expression. */
export const MATCHING_ROWIDS_SQL = 'SELECT rowid FROM notebook_search WHERE notebook_search MATCH ?';

/**
 * The rows of `notebooks` that match a search plan, with `rank` (lower is better) and `arm` (0: matched the words,
 * 1: only their synonyms, whose snippet marks those) columns. The rank is BM25 per column ({@link RANK_SQL}) over
 * the words as typed, scaled by the share of the query's words a notebook holds; notebooks that match only through
 * synonyms follow, in the order of their BM25 over the synonyms. The listing selects from it instead of `notebooks`
 * when it answers a search; the read rule and filters are applied to it in the same query.
 */
export function matchingNotebooksSql(
  plan: ISearchPlan & { match: string },
  arms: 'both' | 'synonyms' = 'both'
): ISqlPredicate {
  const params: unknown[] = [];
  const share = (): string => {
    if (plan.terms.length < 2) {
      return '1.0';
    }
    params.push(...plan.terms);
    return `((${plan.terms.map(() => `(n.seq IN (${MATCHING_ROWIDS_SQL}))`).join(' + ')}) / ${plan.terms.length}.0)`;
  };
  const arm = (index: number, rank: (score: string) => string, extra = ''): string =>
    `SELECT n.*, ${rank(`${RANK_SQL} * ${share()}`)} AS rank, ${index} AS arm
      FROM notebook_search JOIN notebooks n ON n.seq = notebook_search.rowid
      WHERE notebook_search MATCH ?${extra}`;
  let sql = '';
  if (arms === 'both') {
    sql = arm(0, score => score);
    params.push(plan.match);
  }
  if (plan.synonymMatch !== null) {
    if (sql !== '') {
      sql += '\n      UNION ALL ';
    }
    // BM25 scores are negative; mapped into (0, 1] they keep their order and all sort after the words' matches.
    sql += arm(1, score => `1.0 / (1.0 - ${score})`, ` AND n.seq NOT IN (${MATCHING_ROWIDS_SQL})`);
    params.push(plan.synonymMatch, plan.match);
  }
  // Only synonyms asked for and none known: a source that holds no row.
  return { sql: sql === '' ? '(SELECT *, NULL AS rank, 1 AS arm FROM notebooks WHERE 0)' : `(${sql})`, params };
}

/**
 * What the snippets of the given notebooks quote from, by rowid: the first {@link SNIPPET_SOURCE_CHARS} characters
 * of the description, markdown and code. Read by rowid, without MATCH: FTS5's snippet() re-reads every match in a
 * notebook (quadratic in them), while finding the phrases again in a bounded text costs the same for any notebook.
 */
export function snippetSources(db: GalleryDatabase, seqs: readonly number[]): Map<number, ISnippetSources> {
  if (seqs.length === 0) {
    return new Map();
  }
  const bounded = (column: string): string => `substr(${column}, 1, ${SNIPPET_SOURCE_CHARS}) AS ${column}`;
  const rows = db
    .prepare(
      `SELECT rowid AS seq, ${['description', 'markdown', 'code'].map(bounded).join(', ')} FROM notebook_search
       WHERE rowid IN (${seqs.map(() => '?').join(', ')})`
    )
    .all(...seqs) as ({ seq: number } & { [column in keyof ISnippetSources]: string | null })[];
  return new Map(
    rows.map(row => [
      row.seq,
      { description: row.description ?? '', markdown: row.markdown ?? '', code: row.code ?? '' }
    ])
  );
}

/**
 * The FTS5 table `notebook_search`, whose rowid is the notebook's `seq`, and the top-k engine's tables
 * (sqliteTopKIndex.ts), updated from the FTS5 row after each change in the same transaction.
 */
export class SqliteSearchIndex implements ISearchIndex {
  private readonly _gate: SqliteConnectionGate;
  private readonly _topK: SqliteTopKIndex;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
    this._topK = new SqliteTopKIndex(_db);
  }

  async put(seq: number, entry: ISearchEntry, text: INotebookSearchText): Promise<void> {
    return this._gate.run(() => {
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
      this._topK.reindex(seq);
    });
  }

  async putMetadata(seq: number, metadata: INotebookMetadata): Promise<void> {
    return this._gate.run(() => {
      this._db
        .prepare('UPDATE notebook_search SET title = ?, description = ?, tags = ? WHERE rowid = ?')
        .run(metadata.title, metadata.description, metadata.tags.join(' '), seq);
      this._topK.reindex(seq);
    });
  }

  async putOwner(seq: number, owner: string): Promise<void> {
    return this._gate.run(() => {
      this._db.prepare('UPDATE notebook_search SET owner = ? WHERE rowid = ?').run(owner, seq);
      this._topK.reindex(seq);
    });
  }

  async remove(seq: number): Promise<void> {
    return this._gate.run(() => {
      this._db.prepare('DELETE FROM notebook_search WHERE rowid = ?').run(seq);
      this._topK.remove(seq);
    });
  }

  async pendingText(): Promise<string[]> {
    return this._gate.run(() =>
      (this._db.prepare('SELECT notebook_id FROM search_reindex_queue').all() as { notebook_id: string }[]).map(
        row => row.notebook_id
      )
    );
  }

  async clearPending(id: string): Promise<void> {
    return this._gate.run(() => {
      this._db.prepare('DELETE FROM search_reindex_queue WHERE notebook_id = ?').run(id);
    });
  }
}

/** Past every character, so `term >= p AND term < p || LAST` selects the terms starting with `p`. */
const LAST = '\u{10FFFF}';

/** The index's vocabulary through the fts5vocab table `notebook_search_terms` (one row per term, with `doc`). */
export class SqliteTermVocabulary implements ITermVocabulary {
  constructor(private readonly _db: GalleryDatabase) {}

  has(term: string): boolean {
    // Asked of the index itself, which reads the term's first page only; fts5vocab would count all its notebooks.
    return this._db.prepare(`${MATCHING_ROWIDS_SQL} LIMIT 1`).get(`"${term}"`) !== undefined;
  }

  hasPrefix(prefix: string): boolean {
    return (
      this._db
        .prepare('SELECT 1 FROM notebook_search_terms WHERE term >= ? AND term < ? LIMIT 1')
        .get(prefix, prefix + LAST) !== undefined
    );
  }

  startingWith(first: string, minLength: number, maxLength: number): IVocabularyTerm[] {
    // The top-k engine's term table holds the same terms with the same notebook counts in a plain B-tree, read as
    // one range; fts5vocab decodes the FTS5 index's segments for every term of the letter, which took about 0.6 s
    // per typo at 100,000 notebooks. Until the engine's tables are filled after an upgrade, fts5vocab answers.
    const source =
      this._db.prepare('SELECT 1 FROM topk_fill_queue LIMIT 1').get() === undefined
        ? 'SELECT term, documents FROM topk_terms WHERE documents > 0 AND'
        : 'SELECT term, doc AS documents FROM notebook_search_terms WHERE';
    return this._db
      .prepare(`${source} term >= ? AND term < ? AND length(term) BETWEEN ? AND ?`)
      .all(first, first + LAST, minLength, Number.isFinite(maxLength) ? maxLength : 1_000_000) as IVocabularyTerm[];
  }
}
