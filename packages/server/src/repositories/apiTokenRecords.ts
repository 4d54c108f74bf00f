import type { ApiTokenKind } from '@notebook-gallery/core';
import type { IApiTokenRecord } from './apiTokenRepository';

/** A row of `api_tokens` as both backends select it ({@link API_TOKEN_COLUMNS}): never the token's hash. */
export interface IApiTokenRow {
  id: string;
  username: string;
  name: string;
  kind: ApiTokenKind;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

/** The columns of {@link IApiTokenRow}. */
export const API_TOKEN_COLUMNS = 'id, username, name, kind, created_at, last_used_at, expires_at';

/** The token a row holds. */
export function apiTokenRecord(row: IApiTokenRow): IApiTokenRecord {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    kind: row.kind,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at
  };
}
