import type { GalleryDatabase } from '../../db/database';
import type { IJournalEntry, ISaveJournalRepository, JournalKind } from '../saveJournalRepository';

/** The `save_journal` table. */
export class SqliteSaveJournal implements ISaveJournalRepository {
  constructor(private readonly _db: GalleryDatabase) {}

  begin(notebookId: string, kind: JournalKind, when: string, sha?: string): number {
    return Number(
      this._db
        .prepare('INSERT INTO save_journal (notebook_id, kind, sha, created_at) VALUES (?, ?, ?, ?)')
        .run(notebookId, kind, sha ?? null, when).lastInsertRowid
    );
  }

  setSha(seq: number, sha: string): void {
    this._db.prepare('UPDATE save_journal SET sha = ? WHERE seq = ?').run(sha, seq);
  }

  clear(seq: number): void {
    this._db.prepare('DELETE FROM save_journal WHERE seq = ?').run(seq);
  }

  pending(): IJournalEntry[] {
    return this._db
      .prepare('SELECT seq, notebook_id AS notebookId, kind FROM save_journal ORDER BY seq')
      .all() as IJournalEntry[];
  }
}
