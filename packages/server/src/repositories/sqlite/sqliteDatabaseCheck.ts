import type { GalleryDatabase } from '../../db/database';
import { isDatabaseDamage } from '../../errors/DatabaseDamagedError';
import type { IDatabaseCheck } from '../databaseCheckRepository';
import { SqliteConnectionGate } from './sqliteConnectionGate';

/** SQLite's `quick_check` and `integrity_check`, which answer one row `ok` when nothing is wrong. */
export class SqliteDatabaseCheck implements IDatabaseCheck {
  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
  }

  async quickCheck(): Promise<string[]> {
    return this._gate.run(() => this._problems('quick_check'));
  }

  async integrityCheck(): Promise<string[]> {
    return this._gate.run(() => this._problems('integrity_check'));
  }

  async ping(): Promise<void> {
    await this._gate.run(() => this._db.prepare('SELECT 1').get());
  }

  /**
   * The check's findings. A page damaged badly enough makes SQLite fail the check itself with SQLITE_CORRUPT
   * ("database disk image is malformed") instead of listing it: that is a finding too, not an error of the check.
   */
  private _problems(pragma: 'quick_check' | 'integrity_check'): string[] {
    let rows: Record<string, string>[];
    try {
      rows = this._db.pragma(pragma, { simple: false }) as Record<string, string>[];
    } catch (error) {
      if (isDatabaseDamage(error)) {
        return [(error as Error).message];
      }
      throw error;
    }
    const lines = rows.map(row => String(Object.values(row)[0]));
    return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
  }
}
