/**
 * The database was migrated by a newer gallery than this one: starting would read and write tables whose meaning
 * this version does not know, so it refuses and says which version to run. Not an API error (nothing serves yet);
 * the CLI prints the message and exits non-zero.
 */
export class SchemaTooNewError extends Error {
  readonly code = 'SCHEMA_TOO_NEW';

  constructor(
    readonly database: string,
    readonly found: number,
    readonly known: number
  ) {
    super(
      `${database} has schema version ${found}, but this notebook-gallery only knows up to ${known}: another ` +
        'replica or an earlier run of a newer version migrated it. Upgrade this server to that version (every ' +
        'replica runs the same one); the database was not changed.'
    );
    this.name = 'SchemaTooNewError';
  }
}
