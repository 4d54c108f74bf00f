/** A boolean as a query hands it back: PostgreSQL's `boolean`, or SQLite's 0 and 1 (it has no boolean type). */
export type SqlBoolean = boolean | 0 | 1;

/** True for PostgreSQL's true and SQLite's 1; false for false, 0 and NULL (as a WHERE clause reads them). */
export function fromSqlBoolean(value: SqlBoolean | null): boolean {
  return value === true || value === 1;
}
