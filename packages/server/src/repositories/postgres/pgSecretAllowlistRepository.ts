import type { PgDatabase } from '../../db/postgres/pgDatabase';
import type { ISecretAllowlistRepository } from '../secretAllowlistRepository';

/** The `secret_allowlist` table in PostgreSQL, the twin of SqliteSecretAllowlistRepository. */
export class PgSecretAllowlistRepository implements ISecretAllowlistRepository {
  constructor(private readonly _db: PgDatabase) {}

  async forNotebook(notebookId: string): Promise<Set<string>> {
    const rows = await this._db.query<{ fingerprint: string }>(
      'SELECT fingerprint FROM secret_allowlist WHERE notebook_id = $1',
      [notebookId]
    );
    return new Set(rows.map(row => row.fingerprint));
  }

  async add(notebookId: string, fingerprints: readonly string[], confirmedBy: string, when: string): Promise<void> {
    if (fingerprints.length === 0) {
      return;
    }
    // One statement for all of them: all-or-nothing without a transaction, and a fingerprint another replica
    // confirms at the same moment conflicts instead of failing, so the first confirmation is the one kept.
    await this._db.execute(
      `INSERT INTO secret_allowlist (notebook_id, fingerprint, confirmed_by, confirmed_at)
       SELECT $1, fingerprint, $3, $4 FROM unnest($2::text[]) AS f (fingerprint)
       ON CONFLICT (notebook_id, fingerprint) DO NOTHING`,
      [notebookId, fingerprints, confirmedBy, when]
    );
  }
}
