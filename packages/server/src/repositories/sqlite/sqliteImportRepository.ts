import type { GalleryDatabase } from '../../db/database';
import type { IAppliedRevision, IImportRepository } from '../importRepository';
import { SqliteConnectionGate } from './sqliteConnectionGate';

/** The `import_items` and `import_revisions` tables. */
export class SqliteImportRepository implements IImportRepository {
  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
  }

  async findNotebook(origin: string, sourceKey: string): Promise<string | undefined> {
    return this._gate.run(() => this._findNotebook(origin, sourceKey));
  }

  private _findNotebook(origin: string, sourceKey: string): string | undefined {
    const row = this._db
      .prepare('SELECT notebook_id AS notebookId FROM import_items WHERE origin = ? AND source_key = ?')
      .get(origin, sourceKey) as { notebookId: string } | undefined;
    return row?.notebookId;
  }

  async isApplied(origin: string, sourceKey: string, revisionKey: string): Promise<boolean> {
    return this._gate.run(
      () =>
        this._db
          .prepare('SELECT 1 FROM import_revisions WHERE origin = ? AND source_key = ? AND revision_key = ?')
          .get(origin, sourceKey, revisionKey) !== undefined
    );
  }

  async recordApplied(entry: IAppliedRevision): Promise<void> {
    return this._gate.run(() => {
      if (this._findNotebook(entry.origin, entry.sourceKey) === undefined) {
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
    });
  }
}
