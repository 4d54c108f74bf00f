import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatabaseDamagedError, isDatabaseDamage } from '../errors/DatabaseDamagedError';
import { MIGRATIONS, type IMigration } from './migrations';

/** The gallery's SQLite connection type. */
export type GalleryDatabase = Database.Database;

/** File name of the database inside the data directory. */
export const DATABASE_FILE = 'gallery.sqlite';

/** How the database is opened. */
export interface IDatabaseOptions {
  /**
   * true: `synchronous = FULL`, so a committed transaction survives an OS crash or power loss; false: `NORMAL`,
   * which survives a killed process only.
   */
  fsync: boolean;
}

/**
 * Opens (creating if needed, mode 0600) `<dataDir>/gallery.sqlite` in WAL mode and applies pending migrations; the
 * data directory must exist. SQLite gives the `-wal` and `-shm` files the database file's mode.
 * @throws {DatabaseDamagedError} when SQLite finds the file damaged (a bad header, a malformed page) on opening it.
 * @throws {Error} when the database is newer than this server understands.
 */
export function openDatabase(
  dataDir: string,
  options: IDatabaseOptions,
  migrations: readonly IMigration[] = MIGRATIONS
): GalleryDatabase {
  const file = path.join(dataDir, DATABASE_FILE);
  // Created 0600 before SQLite opens it: it holds password and token hashes, and SQLite gives its mode to -wal/-shm.
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.fsync ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
  } catch (error) {
    db.close();
    throw isDatabaseDamage(error) ? new DatabaseDamagedError(file, (error as Error).message) : error;
  }
  reuseStatements(db);
  return db;
}

/**
 * Opens an existing database file read-only, for a read worker (repositories/sqlite/readPool.ts): the writer's
 * connection ({@link openDatabase}) set WAL mode and applied the migrations, and WAL lets this connection read while
 * that one writes.
 */
export function openReadOnlyDatabase(file: string): GalleryDatabase {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  reuseStatements(db);
  return db;
}

/** How many prepared statements a connection keeps for reuse; more than the gallery's distinct queries in use. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Makes `db.prepare` hand back the statement it compiled before for the same SQL (the least recently used ones are
 * dropped past {@link STATEMENT_CACHE_SIZE}): repositories prepare on every call, and compiling costs more than
 * running most of their queries (a list request prepared five). Safe because this connection runs one statement at a
 * time (nothing iterates) and no caller changes a statement's mode (pluck, raw, expand).
 */
function reuseStatements(db: GalleryDatabase): void {
  const prepare = db.prepare.bind(db);
  const statements = new Map<string, Database.Statement>();
  db.prepare = ((source: string) => {
    let statement = statements.get(source);
    if (statement) {
      statements.delete(source);
    } else {
      statement = prepare(source);
      if (statements.size >= STATEMENT_CACHE_SIZE) {
        statements.delete(statements.keys().next().value as string);
      }
    }
    statements.set(source, statement);
    return statement;
  }) as typeof db.prepare;
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
