import type {
  IApiTokenInfo as ICoreApiTokenInfo,
  ICreateApiTokenRequest as ICoreCreateApiTokenRequest
} from '@notebook-gallery/core';

/**
 * What a token is for: `session` tokens are what a password login or single sign-on hands to
 * JupyterLab (a password change or Sign out everywhere ends them); `personal` tokens are the
 * ones a user creates by name for scripts, and they survive both.
 */
export type ApiTokenKind = 'personal' | 'session';

/**
 * An API token as the server lists it. `kind` is optional because a gallery from before token
 * kinds does not send it; every token it has is then a personal one.
 */
export interface IApiTokenInfo extends ICoreApiTokenInfo {
  kind?: ApiTokenKind;
}

/** `POST /api/tokens` body; `kind` defaults to `'personal'` on the server. */
export interface ICreateApiTokenRequest extends ICoreCreateApiTokenRequest {
  kind?: ApiTokenKind;
}

/** `POST /api/tokens` reply: `token` is shown this once and stored only hashed. */
export interface ICreateApiTokenResponse extends IApiTokenInfo {
  token: string;
}

/** `GET /api/tokens` reply. */
export interface IApiTokenListResponse {
  items: IApiTokenInfo[];
}
