import type { PgDatabase } from '../../db/postgres/pgDatabase';
import type { IAppliedRevision, IImportRepository } from '../importRepository';

/** The `import_items` and `import_revisions` tables in PostgreSQL, the twin of SqliteImportRepository. */
export class PgImportRepository implements IImportRepository {
  constructor(private readonly _db: PgDatabase) {}

  async findNotebook(origin: string, sourceKey: string): Promise<string | undefined> {
    const row = await this._db.queryOne<{ notebook_id: string }>(
      'SELECT notebook_id FROM import_items WHERE origin = $1 AND source_key = $2',
      [origin, sourceKey]
    );
    return row?.notebook_id;
  }

  async isApplied(origin: string, sourceKey: string, revisionKey: string): Promise<boolean> {
    const row = await this._db.queryOne(
      'SELECT 1 FROM import_revisions WHERE origin = $1 AND source_key = $2 AND revision_key = $3',
      [origin, sourceKey, revisionKey]
    );
    return row !== undefined;
  }

  async recordApplied(entry: IAppliedRevision): Promise<void> {
    await this._db.transaction(async () => {
      // The item's mapping is kept as first recorded: insert-unless-present in one statement, not a read then a write.
      await this._db.execute(
        `INSERT INTO import_items (origin, source_key, notebook_id, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (origin, source_key) DO NOTHING`,
        [entry.origin, entry.sourceKey, entry.notebookId, entry.importedAt]
      );
      await this._db.execute(
        `INSERT INTO import_revisions (origin, source_key, revision_key, revision, created_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [entry.origin, entry.sourceKey, entry.revisionKey, entry.revision, entry.importedAt]
      );
    });
  }
}
