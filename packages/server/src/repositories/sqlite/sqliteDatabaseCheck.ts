import type { GalleryDatabase } from '../../db/database';
import type { IDatabaseCheck } from '../databaseCheckRepository';

/** SQLite's `quick_check` and `integrity_check`, which answer one row `ok` when nothing is wrong. */
export class SqliteDatabaseCheck implements IDatabaseCheck {
  constructor(private readonly _db: GalleryDatabase) {}

  quickCheck(): string[] {
    return this._problems('quick_check');
  }

  integrityCheck(): string[] {
    return this._problems('integrity_check');
  }

  private _problems(pragma: 'quick_check' | 'integrity_check'): string[] {
    const rows = this._db.pragma(pragma, { simple: false }) as Record<string, string>[];
    const lines = rows.map(row => String(Object.values(row)[0]));
    return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
  }
}
