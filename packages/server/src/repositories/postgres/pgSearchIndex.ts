import type { INotebookSearchText } from '@notebook-gallery/core';
import type { PgDatabase } from '../../db/postgres/pgDatabase';
import { SNIPPET_SOURCE_CHARS, type ISnippetSources } from '../../search/snippet';
import type { ISearchColumns } from '../../search/topKRanking';
import type { INotebookMetadata } from '../notebookRepository';
import type { ISearchEntry, ISearchIndex } from '../searchIndexRepository';
import { isVocabularyWord, LANGUAGE_FILTER, PACKAGE_FILTER, searchVector, type ISearchField } from './pgSearchVector';
import { PgTopKIndex } from './pgTopKIndex';

/** A notebook's indexed text as `notebook_search` keeps it. */
interface IIndexedFields {
  title: string;
  description: string;
  tags: string;
  owner: string;
}

/**
 * The search index in PostgreSQL (schema version 2, db/postgres/pgMigrations.ts): one `notebook_search` row per
 * notebook with its fields as text and a `tsvector` of them, `document`, under a GIN index, and `search_terms`, the
 * vocabulary with each word's notebook count.
 *
 * Why this shape:
 * - The vector is built here from the tokens SQLite's tokenizer makes (pgSearchVector.ts), with PostgreSQL's four
 *   weights for the field groups, so a word matches on both backends alike; queries are tsquery (the `simple`
 *   configuration is not involved: no stemming, no stop words, as FTS5).
 * - `document` is `metadata_vector || body_vector`: title, description, tags and owner change without a commit
 *   ({@link putMetadata}, {@link putOwner}) and are re-vectorised alone, the cells' vector is kept.
 * - The vocabulary is a table kept in step by every put and remove in the same transaction, not `ts_stat` (which
 *   reads every vector): typo correction reads the words starting with a letter from its primary key, in byte order,
 *   as SQLite reads FTS5's vocabulary. pg_trgm would narrow the candidates, but its similarity threshold drops some
 *   words within two edits of short words, so the corrections would differ from SQLite's.
 * - The text columns description, markdown and code are stored uncompressed (`STORAGE EXTERNAL`) so a snippet's
 *   `substr(code, 1, n)` reads only the first chunks of a huge notebook, not all of it (issue 16).
 * - No foreign key to `notebooks`: like FTS5's table, the index row goes when the service removes it, and the vocabulary
 *   counts go with it (a cascade would leave them behind).
 * - The top-k engine's tables (pgTopKIndex.ts) follow each write in the same transaction, after the vocabulary, so
 *   every writer locks the notebook's row, the vocabulary's words, the engine's terms and its totals in that order.
 */
export class PgSearchIndex implements ISearchIndex {
  private readonly _topK: PgTopKIndex;

  constructor(private readonly _db: PgDatabase) {
    this._topK = new PgTopKIndex(_db);
  }

  async put(seq: number, entry: ISearchEntry, text: INotebookSearchText): Promise<void> {
    const fields: IIndexedFields = {
      title: entry.title,
      description: entry.description,
      tags: entry.tags.join(' '),
      owner: entry.owner
    };
    const body = searchVector([
      { text: text.language, weight: 'C', filter: LANGUAGE_FILTER },
      { text: text.packages.join(' '), weight: 'C', filter: PACKAGE_FILTER },
      { text: text.markdown, weight: 'D' },
      { text: text.code, weight: 'D' }
    ]);
    await this._db.transaction(async () => {
      const before = await this._lexemes(seq);
      await this._db.execute(
        `INSERT INTO notebook_search (seq, title, description, tags, owner, language, packages, markdown, code,
           metadata_vector, body_vector, document)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::tsvector, $11::tsvector, $10::tsvector || $11::tsvector)
         ON CONFLICT (seq) DO UPDATE SET title = excluded.title, description = excluded.description,
           tags = excluded.tags, owner = excluded.owner, language = excluded.language, packages = excluded.packages,
           markdown = excluded.markdown, code = excluded.code, metadata_vector = excluded.metadata_vector,
           body_vector = excluded.body_vector, document = excluded.document`,
        [
          seq,
          Private.storable(fields.title),
          Private.storable(fields.description),
          Private.storable(fields.tags),
          Private.storable(fields.owner),
          Private.storable(text.language),
          Private.storable(text.packages.join(' ')),
          Private.storable(text.markdown),
          Private.storable(text.code),
          Private.metadataVector(fields),
          body
        ]
      );
      await this._count(before, await this._lexemes(seq));
      await this._topK.write(seq, {
        title: Private.storable(fields.title),
        description: Private.storable(fields.description),
        tags: Private.storable(fields.tags),
        owner: Private.storable(fields.owner),
        language: Private.storable(text.language),
        packages: Private.storable(text.packages.join(' ')),
        markdown: Private.storable(text.markdown),
        code: Private.storable(text.code)
      });
    });
  }

  async putMetadata(seq: number, metadata: INotebookMetadata): Promise<void> {
    await this._replaceMetadata(seq, stored => ({
      ...stored,
      title: metadata.title,
      description: metadata.description,
      tags: metadata.tags.join(' ')
    }));
  }

  async putOwner(seq: number, owner: string): Promise<void> {
    await this._replaceMetadata(seq, stored => ({ ...stored, owner }));
  }

  async remove(seq: number): Promise<void> {
    await this._db.transaction(async () => {
      const before = await this._lexemes(seq);
      await this._db.execute('DELETE FROM notebook_search WHERE seq = $1', [seq]);
      await this._count(before, []);
      await this._topK.remove(seq);
    });
  }

  async pendingText(): Promise<string[]> {
    const rows = await this._db.query<{ notebook_id: string }>('SELECT notebook_id FROM search_reindex_queue');
    return rows.map(row => row.notebook_id);
  }

  async clearPending(id: string): Promise<void> {
    await this._db.execute('DELETE FROM search_reindex_queue WHERE notebook_id = $1', [id]);
  }

  /** Re-vectorises title, description, tags and owner as `change` makes them; a notebook not indexed is left alone. */
  private async _replaceMetadata(seq: number, change: (stored: IIndexedFields) => IIndexedFields): Promise<void> {
    await this._db.transaction(async () => {
      const stored = await this._db.queryOne<IIndexedFields>(
        'SELECT title, description, tags, owner FROM notebook_search WHERE seq = $1 FOR UPDATE',
        [seq]
      );
      if (stored === undefined) {
        return;
      }
      const before = await this._lexemes(seq);
      const fields = change(stored);
      await this._db.execute(
        `UPDATE notebook_search SET title = $2, description = $3, tags = $4, owner = $5,
           metadata_vector = $6::tsvector, document = $6::tsvector || body_vector
         WHERE seq = $1`,
        [
          seq,
          Private.storable(fields.title),
          Private.storable(fields.description),
          Private.storable(fields.tags),
          Private.storable(fields.owner),
          Private.metadataVector(fields)
        ]
      );
      await this._count(before, await this._lexemes(seq));
      const body = await this._db.queryOne<Pick<ISearchColumns, 'language' | 'packages' | 'markdown' | 'code'>>(
        'SELECT language, packages, markdown, code FROM notebook_search WHERE seq = $1',
        [seq]
      );
      await this._topK.write(seq, {
        title: Private.storable(fields.title),
        description: Private.storable(fields.description),
        tags: Private.storable(fields.tags),
        owner: Private.storable(fields.owner),
        ...body!
      });
    });
  }

  /**
   * The words notebook `seq` is indexed under now (none when it is not indexed); its row stays locked to the end of
   * the transaction, so the vocabulary's counts move from exactly these words.
   */
  private async _lexemes(seq: number): Promise<string[]> {
    const row = await this._db.queryOne<{ lexemes: string[] }>(
      'SELECT tsvector_to_array(document) AS lexemes FROM notebook_search WHERE seq = $1 FOR UPDATE',
      [seq]
    );
    return (row?.lexemes ?? []).filter(isVocabularyWord);
  }

  /**
   * Moves the vocabulary's counts from the words of `before` to those of `after`, in one statement that locks the
   * words' rows in byte order: two saves sharing words wait for each other instead of deadlocking.
   */
  private async _count(before: readonly string[], after: readonly string[]): Promise<void> {
    const old = new Set(before);
    const now = new Set(after);
    const terms: string[] = [];
    const deltas: number[] = [];
    for (const term of now) {
      if (!old.has(term)) {
        terms.push(term);
        deltas.push(1);
      }
    }
    for (const term of old) {
      if (!now.has(term)) {
        terms.push(term);
        deltas.push(-1);
      }
    }
    if (terms.length === 0) {
      return;
    }
    await this._db.execute(
      `INSERT INTO search_terms (term, documents)
       SELECT term, delta FROM unnest($1::text[], $2::integer[]) AS d (term, delta) ORDER BY term COLLATE "C"
       ON CONFLICT (term) DO UPDATE SET documents = search_terms.documents + excluded.documents`,
      [terms, deltas]
    );
    if (deltas.includes(-1)) {
      await this._db.execute('DELETE FROM search_terms WHERE term = ANY($1::text[]) AND documents <= 0', [terms]);
    }
  }
}

/**
 * What the snippets of the given notebooks quote from, by seq: the first {@link SNIPPET_SOURCE_CHARS} characters of
 * the description, markdown and code, read without detoasting the rest (the columns are stored uncompressed).
 */
export async function pgSnippetSources(db: PgDatabase, seqs: readonly number[]): Promise<Map<number, ISnippetSources>> {
  if (seqs.length === 0) {
    return new Map();
  }
  const rows = await db.query<{ seq: number } & ISnippetSources>(
    `SELECT seq, substr(description, 1, $2) AS description, substr(markdown, 1, $2) AS markdown,
       substr(code, 1, $2) AS code
     FROM notebook_search WHERE seq = ANY($1::bigint[])`,
    [seqs, SNIPPET_SOURCE_CHARS]
  );
  return new Map(rows.map(({ seq, ...sources }) => [seq, sources]));
}

namespace Private {
  /**
   * `text` as a PostgreSQL text value: PostgreSQL refuses the NUL character, which JSON and so a notebook may hold.
   * It becomes a space, a word separator as it is for the tokenizer, so the notebook is saved and matches the same
   * words as on SQLite (which stores NUL as it is).
   */
  export function storable(text: string): string {
    return text.includes('\u0000') ? text.replace(/\u0000/g, ' ') : text;
  }

  /** The vector of the fields that change without a commit. */
  export function metadataVector(fields: IIndexedFields): string {
    const parts: ISearchField[] = [
      { text: fields.title, weight: 'A' },
      { text: fields.description, weight: 'B' },
      { text: fields.tags, weight: 'B' },
      { text: fields.owner, weight: 'C' }
    ];
    return searchVector(parts);
  }
}
