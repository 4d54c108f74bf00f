import type { GalleryDatabase } from '../../db/database';
import { isDatabaseDamage } from '../../errors/DatabaseDamagedError';
import type { IDatabaseCheck } from '../databaseCheckRepository';
import { SqliteConnectionGate } from './sqliteConnectionGate';

/**
 * Tables derived from others, which `rebuild-index` makes again: the FTS5 index and its shadow tables, the top-k
 * engine's lists, the similarity and embedding vectors. The check at start leaves them to fsck: at 100,000 notebooks
 * they are most of the file, and FTS5's own check (which quick_check runs on it) compares its whole index with its
 * text, 18 to 26 s before the server could answer anything; the other tables took under a second.
 */
const DERIVED_TABLES = /^(notebook_search|topk_|similarity_|notebook_terms$|notebook_embeddings$)/;

/** SQLite's `quick_check` and `integrity_check`, which answer one row `ok` when nothing is wrong. */
export class SqliteDatabaseCheck implements IDatabaseCheck {
  private readonly _gate: SqliteConnectionGate;

  constructor(private readonly _db: GalleryDatabase) {
    this._gate = SqliteConnectionGate.of(_db);
  }

  /** `quick_check` of each table but the {@link DERIVED_TABLES}, with its indexes. */
  async quickCheck(): Promise<string[]> {
    return this._gate.run(() => {
      const tables = (
        this._db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as {
          name: string;
        }[]
      ).filter(({ name }) => !DERIVED_TABLES.test(name));
      return tables.flatMap(({ name }) => this._problems(`quick_check("${name.replaceAll('"', '""')}")`));
    });
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
  private _problems(pragma: string): string[] {
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
