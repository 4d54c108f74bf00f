import Database from 'better-sqlite3';
import * as path from 'node:path';
import { DATABASE_FILE } from './database';

/** Pages per backup step: all of them, so the copy is one read transaction (one consistent snapshot). */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies `<dataDir>/gallery.sqlite` to `destination` with SQLite's online backup API while a server may be writing
 * it. The copy is made in a single step, one read transaction, so it is the database as of one moment: in WAL mode
 * that neither waits for nor blocks the server's writers, and no writer can restart it. No migration runs on the
 * source (a newer CLI must not upgrade a running server's database).
 * @throws {Error} when the database cannot be opened or read, or `destination` cannot be written.
 */
export async function backupDatabase(dataDir: string, destination: string): Promise<void> {
  const source = new Database(path.join(dataDir, DATABASE_FILE), { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(destination, { progress: () => ALL_PAGES });
  } finally {
    source.close();
  }
}
