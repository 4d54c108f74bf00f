/**
 * The values bound to a PostgreSQL statement being built: each value is added where the SQL uses it and
 * {@link add} returns its `$n`, so the numbering always follows the SQL, whatever order its parts are put together
 * in. A value used several times (the caller's name in the read rule) is added once and its `$n` repeated.
 */
export class PgParams {
  readonly values: unknown[] = [];

  /** Binds `value` and returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
