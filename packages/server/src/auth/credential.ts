import type { ApiTokenKind } from '@notebook-gallery/core';

/**
 * What proved who a request comes from: a password change ends every session but this one, so the services need
 * to know which one it was.
 */
export type ICredential =
  /** A login token from POST /api/auth/login; `sessionId` is its `sid` claim (null in tokens signed before it existed). */
  | { kind: 'jwt'; sessionId: string | null }
  | { kind: 'apiToken'; tokenId: string; tokenKind: ApiTokenKind }
  /** The trusted reverse proxy's header. */
  | { kind: 'proxy' };
