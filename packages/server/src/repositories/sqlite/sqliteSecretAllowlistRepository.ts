import type { GalleryDatabase } from '../../db/database';
import type { ISecretAllowlistRepository } from '../secretAllowlistRepository';
import { SqliteConnectionGate } from './sqliteConnectionGate';

/** The `secret_allowlist` table. */
export class SqliteSecretAllowlistRepository implements ISecretAllowlistRepository {
  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
  }

  async forNotebook(notebookId: string): Promise<Set<string>> {
    return this._gate.run(() => {
      const rows = this._db
        .prepare('SELECT fingerprint FROM secret_allowlist WHERE notebook_id = ?')
        .all(notebookId) as {
        fingerprint: string;
      }[];
      return new Set(rows.map(row => row.fingerprint));
    });
  }

  async add(notebookId: string, fingerprints: readonly string[], confirmedBy: string, when: string): Promise<void> {
    return this._gate.run(() => {
      // ON CONFLICT DO NOTHING is the same in SQLite and PostgreSQL.
      const insert = this._db.prepare(
        `INSERT INTO secret_allowlist (notebook_id, fingerprint, confirmed_by, confirmed_at)
       VALUES (?, ?, ?, ?) ON CONFLICT (notebook_id, fingerprint) DO NOTHING`
      );
      this._db.transaction(() => {
        for (const fingerprint of fingerprints) {
          insert.run(notebookId, fingerprint, confirmedBy, when);
        }
      })();
    });
  }
}
