import type { PgDatabase } from '../../db/postgres/pgDatabase';
import type { IDatabaseCheck } from '../databaseCheckRepository';

/** Notebooks named per kind of problem at most: enough to find the rest (fsck shows the first five problems). */
const MAX_EXAMPLES = 5;

interface IForeignKey {
  name: string;
  child: string;
  parent: string;
  childColumns: string[];
  parentColumns: string[];
}

/**
 * What fsck and the start-up check ask of a PostgreSQL database. SQLite's `quick_check` and `integrity_check` read
 * every page of the file; PostgreSQL keeps its own pages behind the server (checksums, WAL), so this checks what the
 * gallery relies on and a server cannot vouch for after rows were copied or restored with its checks switched off
 * (`session_replication_role = replica`, `DISABLE TRIGGER`, a partial restore):
 * - quick (every replica's start, so it reads the catalog and one row per notebook, under a second at 100,000
 *   notebooks): every foreign key is enforced now (validated, its triggers enabled); every notebook has its stats row,
 *   and its head is its newest revision with the number the row counts;
 * - full (fsck): the same; every row of every foreign key points at a row (no revision, tag, share, star… of a
 *   notebook that is gone), a scan of every referencing table; and, when the `amcheck` extension is installed
 *   (`CREATE EXTENSION amcheck`, by a superuser), every B-tree index of the schema against its table
 *   (`bt_index_check` with `heapallindexed`).
 * Not covered: damage to table pages themselves (enable data checksums, `initdb -k`, and watch the server's log),
 * indexes when amcheck is not installed, and whether a CHECK or UNIQUE constraint holds for rows written while it was
 * off (PostgreSQL cannot switch those off short of dropping them).
 */
export class PgDatabaseCheck implements IDatabaseCheck {
  constructor(private readonly _db: PgDatabase) {}

  async quickCheck(): Promise<string[]> {
    return [...(await this._unenforcedForeignKeys()), ...(await this._notebookProblems())];
  }

  async ping(): Promise<void> {
    await this._db.query('SELECT 1');
  }

  async integrityCheck(): Promise<string[]> {
    return [...(await this.quickCheck()), ...(await this._foreignKeyProblems()), ...(await this._indexProblems())];
  }

  /** Foreign keys of the schema PostgreSQL does not enforce now: added `NOT VALID`, or their triggers disabled. */
  private async _unenforcedForeignKeys(): Promise<string[]> {
    const rows = await this._db.query<{ name: string; child: string; validated: boolean }>(
      `SELECT c.conname AS name, c.conrelid::regclass::text AS child, c.convalidated AS validated
       FROM pg_constraint c JOIN pg_namespace ns ON ns.oid = c.connamespace
       WHERE c.contype = 'f' AND ns.nspname = current_schema()
         AND (NOT c.convalidated OR EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgconstraint = c.oid AND t.tgenabled = 'D'))
       ORDER BY c.conname COLLATE "C"`
    );
    return rows.map(row =>
      row.validated
        ? `foreign key ${row.name} of ${row.child} is not enforced: its triggers are disabled`
        : `foreign key ${row.name} of ${row.child} was added NOT VALID: existing rows were never checked`
    );
  }

  /** Rows whose foreign key points at no row, for every foreign key of the gallery's schema (read from the catalog). */
  private async _foreignKeyProblems(): Promise<string[]> {
    const keys = await this._db.query<IForeignKey>(
      `SELECT c.conname AS name, c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
         ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k (attnum, i)
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.i) AS "childColumns",
         ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k (attnum, i)
           JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.i) AS "parentColumns"
       FROM pg_constraint c JOIN pg_namespace ns ON ns.oid = c.connamespace
       WHERE c.contype = 'f' AND ns.nspname = current_schema()
       ORDER BY c.conname COLLATE "C"`
    );
    const problems: string[] = [];
    for (const key of keys) {
      // Identifiers come from the catalog and are quoted by PostgreSQL itself (regclass, quote_ident below).
      const child = (column: string): string => `c.${quoteIdent(column)}`;
      const parent = (column: string): string => `p.${quoteIdent(column)}`;
      const present = key.childColumns.map(column => `${child(column)} IS NOT NULL`).join(' AND ');
      const joined = key.childColumns
        .map((column, i) => `${parent(key.parentColumns[i])} = ${child(column)}`)
        .join(' AND ');
      const row = await this._db.queryOne<{ orphans: number; example: string | null }>(
        `SELECT count(*) AS orphans, min(concat_ws(', ', ${key.childColumns.map(child).join(', ')})) AS example
         FROM ${key.child} c WHERE ${present} AND NOT EXISTS (SELECT 1 FROM ${key.parent} p WHERE ${joined})`
      );
      if (row && row.orphans > 0) {
        problems.push(
          `${row.orphans} row(s) of ${key.child} point at no row of ${key.parent} (foreign key ${key.name}, ` +
            `e.g. ${key.childColumns.join(', ')} = ${row.example})`
        );
      }
    }
    return problems;
  }

  /** The invariants of `notebooks` the repositories keep in one transaction: stats row, head and revision count. */
  private async _notebookProblems(): Promise<string[]> {
    const problems: string[] = [];
    const withoutStats = await this._db.query<{ id: string }>(
      `SELECT n.id FROM notebooks n WHERE NOT EXISTS (SELECT 1 FROM notebook_stats s WHERE s.notebook_id = n.id)
       ORDER BY n.id COLLATE "C" LIMIT ${MAX_EXAMPLES}`
    );
    problems.push(...withoutStats.map(({ id }) => `notebook ${id} has no notebook_stats row`));
    const wrongHead = await this._db.query<{
      id: string;
      head_sha: string;
      revision_count: number;
      sha: string | null;
      number: number | null;
    }>(
      `SELECT n.id, n.head_sha, n.revision_count, r.sha, r.number FROM notebooks n
       LEFT JOIN LATERAL (SELECT sha, number FROM revisions r WHERE r.notebook_id = n.id ORDER BY number DESC LIMIT 1) r
         ON true
       WHERE r.sha IS DISTINCT FROM n.head_sha OR r.number IS DISTINCT FROM n.revision_count
       ORDER BY n.id COLLATE "C" LIMIT ${MAX_EXAMPLES}`
    );
    problems.push(
      ...wrongHead.map(row =>
        row.sha === null
          ? `notebook ${row.id} has no revisions`
          : `notebook ${row.id}: head ${row.head_sha} (revision ${row.revision_count}) is not its newest revision ` +
            `${row.sha} (revision ${row.number})`
      )
    );
    return problems;
  }

  /** amcheck's verdict on every B-tree index of the schema; nothing when amcheck is not installed. */
  private async _indexProblems(): Promise<string[]> {
    const installed = await this._db.queryOne("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'");
    if (!installed) {
      return [];
    }
    const indexes = await this._db.query<{ index: string }>(
      `SELECT i.indexrelid::regclass::text AS index FROM pg_index i
       JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
       JOIN pg_namespace ns ON ns.oid = c.relnamespace
       WHERE am.amname = 'btree' AND ns.nspname = current_schema() AND i.indisvalid
       ORDER BY i.indexrelid::regclass::text COLLATE "C"`
    );
    const problems: string[] = [];
    for (const { index } of indexes) {
      try {
        await this._db.execute('SELECT bt_index_check($1::regclass, true)', [index]);
      } catch (error) {
        problems.push(`index ${index}: ${(error as Error).message}`);
      }
    }
    return problems;
  }
}

/** A column name as an SQL identifier (names from the catalog; doubled quotes as PostgreSQL's quote_ident does). */
function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
