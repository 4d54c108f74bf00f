/**
 * The `code` of {@link PgConnectionFailure}. storage/storageFailure.ts matches this string (storage/ does not import
 * db/) and answers 503 DATABASE_UNAVAILABLE with Retry-After.
 */
export const PG_CONNECTION_FAILED = 'PG_CONNECTION_FAILED';

/** System error codes of a connection to PostgreSQL that could not be made or broke (ENOENT: no Unix socket). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOENT',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN'
]);

/** The pg driver's own errors of a connection that failed or ended; they carry no code at all. */
const DRIVER_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|Client was closed|timeout exceeded when trying to connect|Query read timeout)/;

/**
 * A statement or checkout failed because the connection to PostgreSQL did (refused, cut, timed out), not because of
 * what it asked. Such failures carry a system code or only a message, never a SQLSTATE, and a system code alone
 * cannot tell them from a failed file write (ENOENT, EPIPE): so PgDatabase wraps the errors of its own driver calls,
 * and only those, in this.
 */
export class PgConnectionFailure extends Error {
  readonly code = PG_CONNECTION_FAILED;

  constructor(
    /** The driver's or the socket's error. */
    readonly cause: unknown
  ) {
    super(`the connection to PostgreSQL failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'PgConnectionFailure';
  }
}

/** `error` from a pg driver call, wrapped in {@link PgConnectionFailure} when it is a failed connection. */
export function asConnectionFailure(error: unknown): unknown {
  if (typeof error !== 'object' || error === null || error instanceof PgConnectionFailure) {
    return error;
  }
  const { code, message, severity } = error as { code?: unknown; message?: unknown; severity?: unknown };
  if (severity !== undefined) {
    // PostgreSQL answered (a DatabaseError): its SQLSTATE says what happened.
    return error;
  }
  if (
    (typeof code === 'string' && NETWORK_CODES.has(code)) ||
    (typeof message === 'string' && DRIVER_MESSAGES.test(message))
  ) {
    return new PgConnectionFailure(error);
  }
  return error;
}

/** `call`'s result, with a failed connection rethrown as {@link PgConnectionFailure}. */
export async function pgCall<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw asConnectionFailure(error);
  }
}
