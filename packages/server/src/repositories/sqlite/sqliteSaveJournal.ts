import type { GalleryDatabase } from '../../db/database';
import type { IJournalEntry, ISaveJournalRepository, JournalKind } from '../saveJournalRepository';
import { SqliteConnectionGate } from './sqliteConnectionGate';

/** The `save_journal` table. */
export class SqliteSaveJournal implements ISaveJournalRepository {
  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
  }

  async begin(notebookId: string, kind: JournalKind, when: string, sha?: string): Promise<number> {
    return this._gate.run(() =>
      Number(
        this._db
          .prepare('INSERT INTO save_journal (notebook_id, kind, sha, created_at) VALUES (?, ?, ?, ?)')
          .run(notebookId, kind, sha ?? null, when).lastInsertRowid
      )
    );
  }

  async setSha(seq: number, sha: string): Promise<void> {
    return this._gate.run(() => {
      this._db.prepare('UPDATE save_journal SET sha = ? WHERE seq = ?').run(sha, seq);
    });
  }

  async clear(seq: number): Promise<void> {
    return this._gate.run(() => {
      this._db.prepare('DELETE FROM save_journal WHERE seq = ?').run(seq);
    });
  }

  async pending(): Promise<IJournalEntry[]> {
    return this._gate.run(
      () =>
        this._db
          .prepare('SELECT seq, notebook_id AS notebookId, kind FROM save_journal ORDER BY seq')
          .all() as IJournalEntry[]
    );
  }
}
