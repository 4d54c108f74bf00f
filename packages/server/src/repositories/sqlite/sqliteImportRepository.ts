import type { GalleryDatabase } from '../../db/database';
import type { IAppliedRevision, IImportRepository } from '../importRepository';

/** The `import_items` and `import_revisions` tables. */
export class SqliteImportRepository implements IImportRepository {
  constructor(private readonly _db: GalleryDatabase) {}

  findNotebook(origin: string, sourceKey: string): string | undefined {
    const row = this._db
      .prepare('SELECT notebook_id AS notebookId FROM import_items WHERE origin = ? AND source_key = ?')
      .get(origin, sourceKey) as { notebookId: string } | undefined;
    return row?.notebookId;
  }

  isApplied(origin: string, sourceKey: string, revisionKey: string): boolean {
    return (
      this._db
        .prepare('SELECT 1 FROM import_revisions WHERE origin = ? AND source_key = ? AND revision_key = ?')
        .get(origin, sourceKey, revisionKey) !== undefined
    );
  }

  recordApplied(entry: IAppliedRevision): void {
    if (this.findNotebook(entry.origin, entry.sourceKey) === undefined) {
      this._db
        .prepare('INSERT INTO import_items (origin, source_key, notebook_id, created_at) VALUES (?, ?, ?, ?)')
        .run(entry.origin, entry.sourceKey, entry.notebookId, entry.importedAt);
    }
    this._db
      .prepare(
        `INSERT INTO import_revisions (origin, source_key, revision_key, revision, created_at)
         VALUES (?, ?, ?, ?, ?)`
      )
      .run(entry.origin, entry.sourceKey, entry.revisionKey, entry.revision, entry.importedAt);
  }
}
