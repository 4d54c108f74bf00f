import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MIGRATIONS, type IMigration } from './migrations';

/** The gallery's SQLite connection type. */
export type GalleryDatabase = Database.Database;

/** File name of the database inside the data directory. */
export const DATABASE_FILE = 'gallery.sqlite';

/**
 * Opens (creating if needed) `<dataDir>/gallery.sqlite` in WAL mode and applies pending migrations.
 * @throws {Error} when the database is newer than this server understands.
 */
export function openDatabase(dataDir: string, migrations: readonly IMigration[] = MIGRATIONS): GalleryDatabase {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL survives a killed process; only an OS crash can lose the last transactions.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

/**
 * Applies every migration newer than `PRAGMA user_version`, each in its own transaction.
 * @throws {Error} when the database was written by a newer server.
 */
export function migrate(db: GalleryDatabase, migrations: readonly IMigration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  if (current > latest) {
    throw new Error(
      `${db.name} has schema version ${current}, but this server only knows up to ${latest}; upgrade the server`
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current) {
      continue;
    }
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
