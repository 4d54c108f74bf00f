/**
 * Every error code the gallery API can answer with, so clients can branch on codes, not on text.
 * Replies are `{ error: <code>, message: <human text>, ...details }`.
 */
export const ErrorCode = {
  /** The body (or a notebook file) is not valid JSON. */
  INVALID_JSON: 'INVALID_JSON',
  /** JSON that is not a Jupyter notebook at all. */
  NOT_A_NOTEBOOK: 'NOT_A_NOTEBOOK',
  /** nbformat older than 4 (or newer than we understand). */
  UNSUPPORTED_NBFORMAT: 'UNSUPPORTED_NBFORMAT',
  /** A notebook that breaks nbformat 4's rules; the message says where. */
  INVALID_NOTEBOOK: 'INVALID_NOTEBOOK',
  /** Two cells share an id. */
  DUPLICATE_CELL_ID: 'DUPLICATE_CELL_ID',
  /** A cell id that nbformat does not allow. */
  INVALID_CELL_ID: 'INVALID_CELL_ID',
  /** Request fields that fail the route's schema. */
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  /** The body is over the configured limit. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The body's Content-Type is not one the route reads (JSON, mostly). */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** A malformed request that no route schema describes (bad URL, bad Content-Length...). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** No notebook with that id (or the caller may not see it). */
  NOTEBOOK_NOT_FOUND: 'NOTEBOOK_NOT_FOUND',
  /** No such revision of that notebook. */
  REVISION_NOT_FOUND: 'REVISION_NOT_FOUND',
  /**
   * The notebook holds what looks like secrets (tokens, keys, passwords) that nobody confirmed as not secrets; the
   * reply's `findings` list them masked, with the fingerprints a later save may send in `confirmedSecrets`.
   */
  SECRETS_FOUND: 'SECRETS_FOUND',
  /** The save was based on a revision that is no longer the latest. */
  REVISION_CONFLICT: 'REVISION_CONFLICT',
  /**
   * The notebook's repository is damaged (a missing or unreadable commit, blob or ref): it is not saved on top of
   * it; `notebook-gallery fsck --repair` repairs what survives.
   */
  STORAGE_DAMAGED: 'STORAGE_DAMAGED',
  /** The server's disk is full; nothing was written, and the same request works once the admin frees space. */
  STORAGE_FULL: 'STORAGE_FULL',
  /** The server's data directory is read-only; nothing was written. */
  STORAGE_READ_ONLY: 'STORAGE_READ_ONLY',
  /** The server's data directory is gone (an unmounted or deleted disk); nothing was written. */
  STORAGE_MISSING: 'STORAGE_MISSING',
  /**
   * The gallery's PostgreSQL database cannot be reached now (down, restarting, or out of connections); nothing was
   * written, and the reply says when to try again (`retryAfterSeconds`, Retry-After).
   */
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  /** The gallery's database is damaged; the administrator runs `notebook-gallery fsck` and restores a backup. */
  DATABASE_DAMAGED: 'DATABASE_DAMAGED',
  /** An admin command that needs the gallery stopped (restore, rebuild-index) found its server running. */
  DATA_DIRECTORY_IN_USE: 'DATA_DIRECTORY_IN_USE',
  /** `backup` or `restore` was pointed at a place it must not write or cannot read. */
  BACKUP_REFUSED: 'BACKUP_REFUSED',
  /**
   * An archive given to `import` failed a safety check, or is our export of a newer format version than this gallery
   * reads; nothing of it was imported.
   */
  ARCHIVE_REFUSED: 'ARCHIVE_REFUSED',
  /** No such change request on that notebook (or the caller may not see it). */
  CHANGE_REQUEST_NOT_FOUND: 'CHANGE_REQUEST_NOT_FOUND',
  /** The change request was already accepted, declined or withdrawn. */
  CHANGE_REQUEST_CLOSED: 'CHANGE_REQUEST_CLOSED',
  /** No such comment (or the caller may not read its notebook). */
  COMMENT_NOT_FOUND: 'COMMENT_NOT_FOUND',
  /** A comment's anchor names a cell or lines the revision does not have; `field` says which part. */
  INVALID_ANCHOR: 'INVALID_ANCHOR',
  /** No or bad credentials. */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** Wrong username or password (the same message for both). */
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  /** Logged in, but not allowed to do this. */
  FORBIDDEN: 'FORBIDDEN',
  /** A username that is already taken. */
  USER_EXISTS: 'USER_EXISTS',
  /** A group name that is already taken. */
  GROUP_EXISTS: 'GROUP_EXISTS',
  /** No such group (or the caller is not in it). */
  GROUP_NOT_FOUND: 'GROUP_NOT_FOUND',
  /** No such user. */
  USER_NOT_FOUND: 'USER_NOT_FOUND',
  /** The user exists but is not a member of that group. */
  MEMBER_NOT_FOUND: 'MEMBER_NOT_FOUND',
  /** No such API token of the caller's. */
  TOKEN_NOT_FOUND: 'TOKEN_NOT_FOUND',
  /** Registration is closed, or the email domain is not allowed. */
  REGISTRATION_CLOSED: 'REGISTRATION_CLOSED',
  /** Too many attempts; the reply says which limit (`limit`) and when to try again (`retryAfterSeconds`, Retry-After). */
  RATE_LIMITED: 'RATE_LIMITED',
  /** A cap on how many of something one user may have (API tokens, open change requests); `limit` names it. */
  LIMIT_REACHED: 'LIMIT_REACHED',
  /** The request did not arrive within the server's timeout (a slow or stalled upload). */
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  /** A query did not finish within its time budget; the reply says when to try again. */
  SERVER_BUSY: 'SERVER_BUSY',
  /** In a JupyterHub: the hub token lacks the `access:services` scope for the gallery; the admin must grant it. */
  HUB_ACCESS_DENIED: 'HUB_ACCESS_DENIED',
  /** In a JupyterHub: the hub's API could not be reached or answered with an error; try again shortly. */
  HUB_UNAVAILABLE: 'HUB_UNAVAILABLE',
  /** `export` cannot read the data directory (no gallery, or a database of another schema version). */
  EXPORT_REFUSED: 'EXPORT_REFUSED',
  /** No such route. */
  NOT_FOUND: 'NOT_FOUND',
  /** The gallery could not be reached (client side only). */
  NETWORK_ERROR: 'NETWORK_ERROR',
  /** Anything unexpected; the server logs the details. */
  INTERNAL_ERROR: 'INTERNAL_ERROR'
} as const;

/** One of the gallery's error codes. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
