import type { IRevision, IShare, Visibility } from '@notebook-gallery/core';
import type { ICaller } from '../../auth/permissions';
import type { PgDatabase } from '../../db/postgres/pgDatabase';
import type { INotebookRow } from '../notebookRecords';
import type {
  IListPage,
  IListRequest,
  INewNotebook,
  INotebookHead,
  INotebookMetadata,
  INotebookOwnership,
  INotebookRecord,
  INotebookRepository,
  IRevisionRow,
  IStoredRevision
} from '../notebookRepository';
import { pgNotebookRecords } from './pgNotebookRecords';

/** The reads of {@link INotebookRepository} that go through the permission rule (repositories/postgres/pgNotebookListing.ts). */
export type PgNotebookReadable = Pick<INotebookRepository, 'list' | 'listForks'>;

/** One revision with its blob, as {@link IStoredRevision}. */
const REVISION_SQL = `SELECT sha AS revision, number, author, message, created_at AS "createdAt", blob_sha AS "blobSha"
  FROM revisions`;

/**
 * Notebooks, tags, shares and revisions in PostgreSQL, the twin of SqliteNotebookRepository. Methods that write
 * several tables run in one transaction (joining the caller's when there is one), so a replica that dies half-way
 * leaves no notebook without its first revision or stats row. The listing and forks, which read through the
 * permission rule, are delegated to `listing`.
 */
export class PgNotebookRepository implements INotebookRepository {
  constructor(
    private readonly _db: PgDatabase,
    private readonly _listing: PgNotebookReadable
  ) {}

  async find(id: string, viewer: string | null = null): Promise<INotebookRecord | undefined> {
    const rows = await this._db.query<INotebookRow>('SELECT * FROM notebooks WHERE id = $1', [id]);
    return (await pgNotebookRecords(this._db, rows, viewer))[0];
  }

  async findMany(ids: readonly string[], viewer: string | null = null): Promise<INotebookRecord[]> {
    if (ids.length === 0) {
      return [];
    }
    const rows = await this._db.query<INotebookRow>('SELECT * FROM notebooks WHERE id = ANY($1)', [ids]);
    const byId = new Map((await pgNotebookRecords(this._db, rows, viewer)).map(record => [record.id, record]));
    return ids.flatMap(id => byId.get(id) ?? []);
  }

  async headOf(id: string): Promise<string | undefined> {
    const row = await this._db.queryOne<{ head_sha: string }>('SELECT head_sha FROM notebooks WHERE id = $1', [id]);
    return row?.head_sha;
  }

  async listHeads(): Promise<INotebookHead[]> {
    return this._db.query<INotebookHead>(
      `SELECT id, seq, title,
         CASE WHEN owner_kind = 'group' AND group_name IS NOT NULL THEN group_name ELSE owner END AS owner,
         owner AS "ownerUser", head_sha AS "headSha", revision_count AS "revisionCount"
       FROM notebooks ORDER BY seq`
    );
  }

  async existsWithTitle(title: string): Promise<boolean> {
    // Equality under a deterministic collation compares bytes, as SQLite's BINARY collation does; the lower() term,
    // implied by it, lets the query use the title index (notebooks_by_title) instead of reading every row.
    const row = await this._db.queryOne(
      'SELECT 1 FROM notebooks WHERE lower(title) = lower($1) AND title = $1 LIMIT 1',
      [title]
    );
    return row !== undefined;
  }

  async findRevision(id: string, sha: string): Promise<IStoredRevision | undefined> {
    return this._db.queryOne<IStoredRevision>(`${REVISION_SQL} WHERE notebook_id = $1 AND sha = $2`, [id, sha]);
  }

  async revisionByNumber(id: string, number: number): Promise<IStoredRevision | undefined> {
    return this._db.queryOne<IStoredRevision>(`${REVISION_SQL} WHERE notebook_id = $1 AND number = $2`, [id, number]);
  }

  async listRevisions(id: string): Promise<IRevision[]> {
    return this._db.query<IRevision>(
      `SELECT sha AS revision, number, author, message, created_at AS "createdAt" FROM revisions
       WHERE notebook_id = $1 ORDER BY number DESC`,
      [id]
    );
  }

  async listStoredRevisions(id: string): Promise<IStoredRevision[]> {
    return this._db.query<IStoredRevision>(`${REVISION_SQL} WHERE notebook_id = $1 ORDER BY number DESC`, [id]);
  }

  list(caller: ICaller, request: IListRequest): Promise<IListPage> {
    return this._listing.list(caller, request);
  }

  listForks(caller: ICaller, id: string): Promise<INotebookRecord[]> {
    return this._listing.listForks(caller, id);
  }

  async countForks(id: string): Promise<number> {
    const row = await this._db.queryOne<{ forks: number }>(
      'SELECT count(*) AS forks FROM notebooks WHERE parent_id = $1',
      [id]
    );
    return row?.forks ?? 0;
  }

  async insert(notebook: INewNotebook): Promise<number> {
    return this._db.transaction(async () => {
      // The identity column gives each insert a larger seq than any committed before it, on every replica.
      const row = await this._db.queryOne<{ seq: number }>(
        `INSERT INTO notebooks (id, title, description, owner, created_at, updated_at, head_sha, head_blob_sha,
           revision_count, parent_id, parent_revision, owner_kind, visibility, group_name)
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING seq`,
        [
          notebook.id,
          notebook.title,
          notebook.description,
          notebook.owner,
          notebook.revision.createdAt,
          notebook.revision.sha,
          notebook.revision.blobSha,
          notebook.revision.number,
          notebook.parent?.id ?? null,
          notebook.parent?.revision ?? null,
          notebook.ownerKind,
          notebook.visibility,
          notebook.group
        ]
      );
      await this._insertTags(notebook.id, notebook.tags);
      await this._insertRevision(notebook.id, notebook.revision);
      await this._db.execute('INSERT INTO notebook_stats (notebook_id) VALUES ($1)', [notebook.id]);
      return row!.seq;
    });
  }

  async addRevision(id: string, revision: IRevisionRow): Promise<void> {
    await this._db.transaction(async () => {
      await this._insertRevision(id, revision);
      await this._db.execute(
        'UPDATE notebooks SET updated_at = $1, head_sha = $2, head_blob_sha = $3, revision_count = $4 WHERE id = $5',
        [revision.createdAt, revision.sha, revision.blobSha, revision.number, id]
      );
    });
  }

  async updateMetadata(
    id: string,
    metadata: Omit<INotebookMetadata, 'tags'> & { tags?: string[] },
    when: string
  ): Promise<void> {
    await this._db.transaction(async () => {
      await this._db.execute('UPDATE notebooks SET title = $1, description = $2, updated_at = $3 WHERE id = $4', [
        metadata.title,
        metadata.description,
        when,
        id
      ]);
      if (metadata.tags) {
        await this._db.execute('DELETE FROM notebook_tags WHERE notebook_id = $1', [id]);
        await this._insertTags(id, metadata.tags);
      }
    });
  }

  async setAccess(id: string, access: { visibility: Visibility; group: string | null }): Promise<void> {
    await this._db.execute('UPDATE notebooks SET visibility = $1, group_name = $2 WHERE id = $3', [
      access.visibility,
      access.group,
      id
    ]);
  }

  async replaceShares(id: string, shares: readonly IShare[]): Promise<void> {
    await this._db.transaction(async () => {
      await this._db.execute('DELETE FROM notebook_shares WHERE notebook_id = $1', [id]);
      if (shares.length > 0) {
        await this._db.execute(
          `INSERT INTO notebook_shares (notebook_id, principal_kind, principal, role)
           SELECT $1, kind, name, role FROM unnest($2::text[], $3::text[], $4::text[]) AS s (kind, name, role)`,
          [id, shares.map(share => share.kind), shares.map(share => share.name), shares.map(share => share.role)]
        );
      }
    });
  }

  async setOwnership(id: string, ownership: INotebookOwnership): Promise<void> {
    await this._db.execute(
      'UPDATE notebooks SET owner_kind = $1, owner = $2, visibility = $3, group_name = $4 WHERE id = $5',
      [ownership.ownerKind, ownership.owner, ownership.visibility, ownership.group, id]
    );
  }

  async forgetRevisions(id: string, numbers: readonly number[]): Promise<void> {
    if (numbers.length > 0) {
      await this._db.execute('DELETE FROM revisions WHERE notebook_id = $1 AND number = ANY($2::integer[])', [
        id,
        numbers
      ]);
    }
  }

  async remove(id: string): Promise<void> {
    // Tags, shares, revisions, stars, stats, comments… go with it through ON DELETE CASCADE (schema version 1).
    await this._db.execute('DELETE FROM notebooks WHERE id = $1', [id]);
  }

  /** Inserts tags in their order, in one statement (`WITH ORDINALITY` numbers them from 1, positions start at 0). */
  private async _insertTags(id: string, tags: readonly string[]): Promise<void> {
    if (tags.length > 0) {
      await this._db.execute(
        `INSERT INTO notebook_tags (notebook_id, position, tag)
         SELECT $1, t.ordinality - 1, t.tag FROM unnest($2::text[]) WITH ORDINALITY AS t (tag, ordinality)`,
        [id, tags]
      );
    }
  }

  private async _insertRevision(id: string, revision: IRevisionRow): Promise<void> {
    await this._db.execute(
      `INSERT INTO revisions (notebook_id, number, sha, blob_sha, author, message, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, revision.number, revision.sha, revision.blobSha, revision.author, revision.message, revision.createdAt]
    );
  }
}
