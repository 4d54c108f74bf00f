import type { INotebookSearchText, IShare, PrincipalKind, Visibility } from '@notebook-gallery/core';
import type { ICaller } from '../../src/auth/permissions';
import type { IListPage, IListRequest, INotebookRecord } from '../../src/repositories/notebookRepository';
import { PgNotebookListing } from '../../src/repositories/postgres/pgNotebookListing';
import { PgSearchIndex } from '../../src/repositories/postgres/pgSearchIndex';
import type { ISearchIndex } from '../../src/repositories/searchIndexRepository';
import type { IFacetRequest, ITagCount } from '../../src/repositories/signalRepository';
import { SqliteNotebookRepository } from '../../src/repositories/sqlite/sqliteNotebookRepository';
import { SqliteSearchIndex } from '../../src/repositories/sqlite/sqliteSearchIndex';
import { SqliteSignalRepository } from '../../src/repositories/sqlite/sqliteSignalRepository';
import type { IFacetsResponse } from '@notebook-gallery/core';
import type { IBackendDatabase } from '../helpers/repositoryBackends';

/*
 * A gallery written row by row into either backend, for the contract tests of the listing and the search index: the
 * same rows in SQLite and PostgreSQL, read through SQLite's repositories or PostgreSQL's listing.
 */

/** The listing reads under test, the same methods on both backends. */
export interface IListingReads {
  list(caller: ICaller, request: IListRequest): Promise<IListPage>;
  listForks(caller: ICaller, id: string): Promise<INotebookRecord[]>;
  facets(caller: ICaller, request: IFacetRequest): Promise<IFacetsResponse>;
  tags(caller: ICaller, prefix: string, limit: number): Promise<ITagCount[]>;
  alsoOpened(caller: ICaller, id: string, limit: number): Promise<INotebookRecord[]>;
}

/** A notebook to write; what is left out takes a plain default. */
export interface IGalleryNotebook {
  id: string;
  title: string;
  owner: string;
  ownerKind?: PrincipalKind;
  visibility?: Visibility;
  group?: string | null;
  tags?: string[];
  description?: string;
  createdAt?: string;
  updatedAt?: string;
  parent?: string;
  shares?: IShare[];
  stats?: { stars?: number; views?: number; runs?: number; healthScore?: number | null; trendingKey?: number | null };
  text?: Partial<INotebookSearchText>;
}

export interface IListingGallery {
  reads: IListingReads;
  search: ISearchIndex;
  /** Runs one statement with `?` placeholders on either backend. */
  run(sql: string, params?: unknown[]): Promise<void>;
  addUser(username: string): Promise<void>;
  addGroup(name: string, members: Record<string, 'owner' | 'editor' | 'member'>): Promise<void>;
  /** Writes the notebook's row, tags, shares and stats and indexes it; resolves to its seq. */
  addNotebook(notebook: IGalleryNotebook): Promise<number>;
  star(id: string, username: string): Promise<void>;
  open(id: string, username: string, at: string): Promise<void>;
}

/** A caller who is `username` (not an admin), or nobody. */
export function callerOf(username: string | null, isAdmin = false): ICaller {
  return { user: username === null ? null : { username, isAdmin }, groups: new Map() };
}

export function listingGallery(db: IBackendDatabase): IListingGallery {
  let reads: IListingReads;
  let search: ISearchIndex;
  let run: (sql: string, params?: unknown[]) => Promise<void>;
  let seqOf: (id: string) => Promise<number>;
  if (db.backend === 'sqlite') {
    const notebooks = new SqliteNotebookRepository(db.sqlite);
    const signals = new SqliteSignalRepository(db.sqlite, notebooks);
    const n = notebooks;
    const s = signals;
    reads = {
      list: (...args) => n.list(...args),
      listForks: (...args) => n.listForks(...args),
      facets: (...args) => s.facets(...args),
      tags: (...args) => s.tags(...args),
      alsoOpened: (...args) => s.alsoOpened(...args)
    };
    search = new SqliteSearchIndex(db.sqlite);
    run = async (sql, params = []) => {
      db.sqlite.prepare(sql).run(...params.map(value => (typeof value === 'boolean' ? Number(value) : value)));
    };
    seqOf = async id => (db.sqlite.prepare('SELECT seq FROM notebooks WHERE id = ?').get(id) as { seq: number }).seq;
  } else {
    const listing = new PgNotebookListing(db.pg);
    reads = listing;
    search = new PgSearchIndex(db.pg);
    run = async (sql, params = []) => {
      let n = 0;
      await db.pg.execute(
        sql.replace(/\?/g, () => `$${++n}`),
        params
      );
    };
    seqOf = async id =>
      ((await db.pg.queryOne('SELECT seq FROM notebooks WHERE id = $1', [id])) as { seq: number }).seq;
  }
  const gallery: IListingGallery = {
    reads,
    search,
    run,
    async addUser(username) {
      await run('INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?)', [
        username,
        'x',
        '2026-01-01T00:00:00.000Z'
      ]);
    },
    async addGroup(name, members) {
      await run('INSERT INTO groups (name, created_at) VALUES (?, ?)', [name, '2026-01-01T00:00:00.000Z']);
      for (const [username, role] of Object.entries(members)) {
        await run('INSERT INTO group_members (group_name, username, role) VALUES (?, ?, ?)', [name, username, role]);
      }
    },
    async addNotebook(notebook) {
      const created = notebook.createdAt ?? '2026-01-01T00:00:00.000Z';
      await run(
        `INSERT INTO notebooks (id, title, description, owner, created_at, updated_at, head_sha, head_blob_sha,
           revision_count, parent_id, parent_revision, owner_kind, visibility, group_name)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)`,
        [
          notebook.id,
          notebook.title,
          notebook.description ?? '',
          notebook.owner,
          created,
          notebook.updatedAt ?? created,
          'a'.repeat(40),
          'b'.repeat(40),
          notebook.parent ?? null,
          notebook.parent ? 'c'.repeat(40) : null,
          notebook.ownerKind ?? 'user',
          notebook.visibility ?? 'public',
          notebook.group ?? null
        ]
      );
      for (const [position, tag] of (notebook.tags ?? []).entries()) {
        await run('INSERT INTO notebook_tags (notebook_id, position, tag) VALUES (?, ?, ?)', [
          notebook.id,
          position,
          tag
        ]);
      }
      for (const share of notebook.shares ?? []) {
        await run('INSERT INTO notebook_shares (notebook_id, principal_kind, principal, role) VALUES (?, ?, ?, ?)', [
          notebook.id,
          share.kind,
          share.name,
          share.role
        ]);
      }
      const stats = notebook.stats ?? {};
      await run(
        `INSERT INTO notebook_stats (notebook_id, stars, views, runs, health_score, trending_key)
         VALUES (?, ?, ?, ?, ?, ?)`,
        [
          notebook.id,
          stats.stars ?? 0,
          stats.views ?? 0,
          stats.runs ?? 0,
          stats.healthScore ?? null,
          stats.trendingKey ?? null
        ]
      );
      const seq = await seqOf(notebook.id);
      const owner = (notebook.ownerKind ?? 'user') === 'group' ? (notebook.group ?? notebook.owner) : notebook.owner;
      await search.put(
        seq,
        { title: notebook.title, description: notebook.description ?? '', tags: notebook.tags ?? [], owner },
        { markdown: '', code: '', packages: [], language: 'python python3', ...notebook.text }
      );
      return seq;
    },
    async star(id, username) {
      await run('INSERT INTO notebook_stars (notebook_id, username, created_at) VALUES (?, ?, ?)', [
        id,
        username,
        '2026-01-01T00:00:00.000Z'
      ]);
    },
    async open(id, username, at) {
      await run('INSERT INTO notebook_opens (notebook_id, username, opened_at) VALUES (?, ?, ?)', [id, username, at]);
    }
  };
  return gallery;
}

/** Every page of a listing from the first, following nextCursor; the ids in order. */
export async function allPages(reads: IListingReads, caller: ICaller, request: IListRequest): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await reads.list(caller, { ...request, cursor });
    ids.push(...page.records.map(record => record.id));
    if (page.nextCursor === null) {
      return ids;
    }
    cursor = page.nextCursor;
  }
  throw new Error('the listing never ended');
}
