import type { PgDatabase } from '../../db/postgres/pgDatabase';
import type { IJournalEntry, ISaveJournalRepository, JournalKind } from '../saveJournalRepository';

/**
 * The `save_journal` table in PostgreSQL, the twin of SqliteSaveJournal. Every replica writes to the same journal, so
 * `pending` lists entries left behind by any of them; which replica repairs which entry is decided by the notebook's
 * advisory lock, not here.
 */
export class PgSaveJournal implements ISaveJournalRepository {
  constructor(private readonly _db: PgDatabase) {}

  async begin(notebookId: string, kind: JournalKind, when: string, sha?: string): Promise<number> {
    const row = await this._db.queryOne<{ seq: number }>(
      'INSERT INTO save_journal (notebook_id, kind, sha, created_at) VALUES ($1, $2, $3, $4) RETURNING seq',
      [notebookId, kind, sha ?? null, when]
    );
    return row!.seq;
  }

  async setSha(seq: number, sha: string): Promise<void> {
    await this._db.execute('UPDATE save_journal SET sha = $1 WHERE seq = $2', [sha, seq]);
  }

  async clear(seq: number): Promise<void> {
    await this._db.execute('DELETE FROM save_journal WHERE seq = $1', [seq]);
  }

  async pending(): Promise<IJournalEntry[]> {
    return this._db.query<IJournalEntry>(
      'SELECT seq, notebook_id AS "notebookId", kind FROM save_journal ORDER BY seq'
    );
  }
}
