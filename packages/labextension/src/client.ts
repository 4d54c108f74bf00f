import {
  ErrorCode,
  type IApiError,
  type IApiTokenInfo,
  type IApiTokenListResponse,
  type IAuthConfig,
  type IChangePasswordRequest,
  type ICreateApiTokenRequest,
  type ICreateApiTokenResponse,
  type ICreateNotebookRequest,
  type IGroup,
  type IGroupListResponse,
  type ILoginRequest,
  type ILoginResponse,
  type INotebook,
  type INotebookListQuery,
  type INotebookListResponse,
  type INotebookSummary,
  type IPatchNotebookRequest,
  type IPrincipal,
  type IRegisterRequest,
  type IRevisionListResponse,
  type ISaveNotebookResponse,
  type ISharing,
  type ITransferRequest,
  type IUpdateNotebookRequest,
  type IUser
} from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Signal, type ISignal } from '@lumino/signaling';
import { GalleryError } from './galleryError';
import { normalizeServerUrl } from './serverUrl';
import type { IGalleryClient } from './tokens';

/** The one module that calls the gallery server, so every failure becomes a `GalleryError`. */
export class GalleryClient implements IGalleryClient {
  /** Create a client for `options.serverUrl`, picking up a token stored for it. */
  constructor(options: GalleryClient.IOptions) {
    this._trans = options.trans;
    this._storage = options.storage ?? window.localStorage;
    this._fetch = options.fetch ?? ((input, init) => window.fetch(input, init));
    this._serverUrl = normalizeServerUrl(options.serverUrl);
    this._credentials = this._loadCredentials();
  }

  get serverUrl(): string {
    return this._serverUrl;
  }

  /** Switching servers switches to the token stored for the new one. */
  set serverUrl(value: string) {
    const url = normalizeServerUrl(value);
    if (url === this._serverUrl) {
      return;
    }
    this._serverUrl = url;
    this._credentials = this._loadCredentials();
    this._authChanged.emit();
  }

  get user(): IUser | null {
    return this._credentials?.user ?? null;
  }

  get isLoggedIn(): boolean {
    return this._credentials !== null;
  }

  get tokenId(): string | null {
    return this._credentials?.tokenId ?? null;
  }

  get authChanged(): ISignal<IGalleryClient, void> {
    return this._authChanged;
  }

  authConfig(): Promise<IAuthConfig> {
    return this._request<IAuthConfig>('GET', '/api/auth/config', { auth: false });
  }

  async login(username: string, password: string): Promise<IUser> {
    const body: ILoginRequest = { username, password };
    const reply = await this._request<ILoginResponse>('POST', '/api/auth/login', { body, auth: false });
    return this._keepApiToken(reply.token, reply.user);
  }

  async loginWithApiToken(apiToken: string, tokenId: string, expiresAt: string | null): Promise<IUser> {
    const user = await this._request<IUser>('GET', '/api/auth/me', { token: apiToken });
    this._setCredentials({ token: apiToken, tokenId, expiresAt, user });
    return user;
  }

  async register(request: IRegisterRequest): Promise<IUser> {
    const reply = await this._request<ILoginResponse>('POST', '/api/auth/register', { body: request, auth: false });
    return this._keepApiToken(reply.token, reply.user);
  }

  async logout(): Promise<void> {
    const credentials = this._credentials;
    this._setCredentials(null);
    if (credentials?.tokenId) {
      try {
        await this._request<unknown>('DELETE', Private.tokenPath(credentials.tokenId), {
          token: credentials.token,
          expectBody: false
        });
      } catch {
        // Forgetting the token is what logs out; revoking it is tidiness the server may refuse.
      }
    }
  }

  me(): Promise<IUser> {
    return this._request<IUser>('GET', '/api/auth/me');
  }

  async changePassword(request: IChangePasswordRequest): Promise<void> {
    await this._request<unknown>('POST', '/api/auth/password', { body: request, expectBody: false });
  }

  async listTokens(): Promise<IApiTokenInfo[]> {
    return (await this._request<IApiTokenListResponse>('GET', '/api/tokens')).items;
  }

  createToken(request: ICreateApiTokenRequest): Promise<ICreateApiTokenResponse> {
    return this._request<ICreateApiTokenResponse>('POST', '/api/tokens', { body: request });
  }

  async deleteToken(id: string): Promise<void> {
    await this._request<unknown>('DELETE', Private.tokenPath(id), { expectBody: false });
    if (id === this._credentials?.tokenId) {
      this._setCredentials(null);
    }
  }

  listNotebooks(query: INotebookListQuery = {}): Promise<INotebookListResponse> {
    return this._request<INotebookListResponse>('GET', '/api/notebooks', { query: { ...query } });
  }

  getNotebook(id: string): Promise<INotebookSummary> {
    return this._request<INotebookSummary>('GET', Private.notebookPath(id));
  }

  async getNotebookContent(id: string, revision?: string): Promise<INotebook> {
    const notebook = await this._request<unknown>('GET', `${Private.notebookPath(id)}/content`, {
      query: { revision }
    });
    if (!Private.looksLikeNotebook(notebook)) {
      throw new GalleryError(
        ErrorCode.NOT_A_NOTEBOOK,
        200,
        this._trans.__('The gallery sent something that is not a notebook for %1.', id)
      );
    }
    return notebook;
  }

  createNotebook(request: ICreateNotebookRequest): Promise<ISaveNotebookResponse> {
    return this._request<ISaveNotebookResponse>('POST', '/api/notebooks', { body: request });
  }

  updateNotebook(id: string, request: IUpdateNotebookRequest): Promise<ISaveNotebookResponse> {
    return this._request<ISaveNotebookResponse>('PUT', Private.notebookPath(id), { body: request });
  }

  patchNotebook(id: string, request: IPatchNotebookRequest): Promise<INotebookSummary> {
    return this._request<INotebookSummary>('PATCH', Private.notebookPath(id), { body: request });
  }

  async deleteNotebook(id: string): Promise<void> {
    await this._request<unknown>('DELETE', Private.notebookPath(id), { expectBody: false });
  }

  listRevisions(id: string): Promise<IRevisionListResponse> {
    return this._request<IRevisionListResponse>('GET', `${Private.notebookPath(id)}/revisions`);
  }

  getSharing(id: string): Promise<ISharing> {
    return this._request<ISharing>('GET', `${Private.notebookPath(id)}/sharing`);
  }

  setSharing(id: string, sharing: ISharing): Promise<ISharing> {
    return this._request<ISharing>('PUT', `${Private.notebookPath(id)}/sharing`, { body: sharing });
  }

  transferNotebook(id: string, owner: IPrincipal): Promise<INotebookSummary> {
    const body: ITransferRequest = { owner };
    return this._request<INotebookSummary>('POST', `${Private.notebookPath(id)}/transfer`, { body });
  }

  async listGroups(): Promise<IGroup[]> {
    return (await this._request<IGroupListResponse>('GET', '/api/groups')).items;
  }

  async searchUsers(query: string): Promise<string[]> {
    const reply = await this._request<{ items: Array<{ username: string }> }>('GET', '/api/users', {
      query: { q: query }
    });
    return reply.items.map(user => user.username);
  }

  /**
   * Trade a short-lived login token for a personal API token and keep that, so the login
   * outlives the login token and can be revoked on logout.
   */
  private async _keepApiToken(loginToken: string, user: IUser): Promise<IUser> {
    const body: ICreateApiTokenRequest = { name: `JupyterLab on ${window.location.host}` };
    const created = await this._request<ICreateApiTokenResponse>('POST', '/api/tokens', { body, token: loginToken });
    this._setCredentials({ token: created.token, tokenId: created.id, expiresAt: created.expiresAt, user });
    return user;
  }

  /** Send one request and turn every kind of failure into a `GalleryError`. */
  private async _request<T>(method: string, path: string, options: Private.IRequestOptions = {}): Promise<T> {
    const { body, query, auth = true, expectBody = true } = options;
    const url = `${this._serverUrl}${path}${Private.queryString(query)}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = auth ? (options.token ?? this._credentials?.token) : undefined;
    if (auth && !token) {
      throw new GalleryError(ErrorCode.UNAUTHORIZED, 401, this._trans.__('Log in to the Notebook Gallery first.'));
    }
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }

    let response: Response;
    try {
      response = await this._fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        mode: 'cors',
        credentials: 'omit'
      });
    } catch {
      throw new GalleryError(
        ErrorCode.NETWORK_ERROR,
        0,
        this._trans.__(
          'The Notebook Gallery at %1 could not be reached. Check that it is running and that the server URL in Settings → Notebook Gallery is right.',
          this._serverUrl
        )
      );
    }

    if (!response.ok) {
      const error = await this._errorFrom(response);
      if (
        response.status === 401 &&
        error.code !== ErrorCode.INVALID_CREDENTIALS &&
        token &&
        token === this._credentials?.token
      ) {
        // The token expired or was revoked (a wrong current password is not that): drop it so
        // the sidebar asks for a login again.
        this._setCredentials(null);
      }
      throw error;
    }
    if (!expectBody || response.status === 204) {
      return undefined as T;
    }
    try {
      return (await response.json()) as T;
    } catch {
      throw new GalleryError(
        ErrorCode.INVALID_JSON,
        response.status,
        this._trans.__('The Notebook Gallery at %1 sent a reply that is not JSON.', this._serverUrl)
      );
    }
  }

  /** Read the server's `{ error, message }` body, or describe the status when there is none. */
  private async _errorFrom(response: Response): Promise<GalleryError> {
    let payload: unknown = null;
    try {
      payload = await response.json();
    } catch {
      // A proxy or a crash can answer with HTML or nothing; the status line still says enough.
    }
    if (Private.isApiError(payload)) {
      const { error, message, ...details } = payload;
      return new GalleryError(error, response.status, message, details);
    }
    return new GalleryError(
      Private.codeForStatus(response.status),
      response.status,
      this._trans.__(
        'The Notebook Gallery at %1 answered %2 %3.',
        this._serverUrl,
        response.status,
        response.statusText
      )
    );
  }

  private _loadCredentials(): Private.ICredentials | null {
    const stored = this._storage.getItem(Private.storageKey(this._serverUrl));
    const credentials = stored === null ? null : Private.parseCredentials(stored);
    if (credentials?.expiresAt && Date.parse(credentials.expiresAt) <= Date.now()) {
      this._storage.removeItem(Private.storageKey(this._serverUrl));
      return null;
    }
    return credentials;
  }

  private _setCredentials(credentials: Private.ICredentials | null): void {
    const key = Private.storageKey(this._serverUrl);
    if (credentials) {
      this._storage.setItem(key, JSON.stringify(credentials));
    } else {
      this._storage.removeItem(key);
    }
    this._credentials = credentials;
    this._authChanged.emit();
  }

  private _trans: TranslationBundle;
  private _storage: Storage;
  private _fetch: GalleryClient.FetchFunction;
  private _serverUrl: string;
  private _credentials: Private.ICredentials | null;
  private _authChanged = new Signal<IGalleryClient, void>(this);
}

/** Options and types of the gallery client. */
export namespace GalleryClient {
  /** The `fetch` signature, injectable for tests. */
  export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

  /** Construction options. */
  export interface IOptions {
    /** Base URL of the gallery server. */
    serverUrl: string;
    /** Bundle used for the messages of client-side failures. */
    trans: TranslationBundle;
    /** Where tokens are kept; `window.localStorage` by default. */
    storage?: Storage;
    /** `window.fetch` by default. */
    fetch?: FetchFunction;
  }
}

namespace Private {
  export interface IRequestOptions {
    body?: unknown;
    query?: Record<string, string | number | undefined>;
    /** Send the bearer token; true by default. */
    auth?: boolean;
    /** A bearer token to send instead of the stored one. */
    token?: string;
    /** False for replies without a body, such as DELETE. */
    expectBody?: boolean;
  }

  /** What is stored per server: a personal API token, never the short-lived login token. */
  export interface ICredentials {
    token: string;
    /** The API token's id, to revoke it on logout; null for a token kept by an older version. */
    tokenId: string | null;
    /** Null when the token does not expire. */
    expiresAt: string | null;
    user: IUser;
  }

  /** One key per server, so a user logs in once per gallery. */
  export function storageKey(serverUrl: string): string {
    return `notebook-gallery:auth:${serverUrl}`;
  }

  export function tokenPath(id: string): string {
    return `/api/tokens/${encodeURIComponent(id)}`;
  }

  export function notebookPath(id: string): string {
    return `/api/notebooks/${encodeURIComponent(id)}`;
  }

  export function queryString(query: IRequestOptions['query']): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== '') {
        params.set(key, String(value));
      }
    }
    const text = params.toString();
    return text ? `?${text}` : '';
  }

  export function parseCredentials(text: string): ICredentials | null {
    try {
      const value = JSON.parse(text) as Partial<ICredentials> | null;
      if (typeof value?.token === 'string' && typeof value.user?.username === 'string') {
        return {
          token: value.token,
          tokenId: typeof value.tokenId === 'string' ? value.tokenId : null,
          expiresAt: typeof value.expiresAt === 'string' ? value.expiresAt : null,
          user: value.user
        };
      }
    } catch {
      // A hand-edited or truncated entry just means "logged out".
    }
    return null;
  }

  export function isApiError(value: unknown): value is IApiError {
    const candidate = value as Partial<IApiError> | null;
    return typeof candidate?.error === 'string' && typeof candidate.message === 'string';
  }

  export function looksLikeNotebook(value: unknown): value is INotebook {
    const candidate = value as Partial<INotebook> | null;
    return (
      typeof candidate === 'object' &&
      candidate !== null &&
      Array.isArray(candidate.cells) &&
      typeof candidate.metadata === 'object'
    );
  }

  export function codeForStatus(status: number): ErrorCode {
    switch (status) {
      case 401:
        return ErrorCode.UNAUTHORIZED;
      case 403:
        return ErrorCode.FORBIDDEN;
      case 404:
        return ErrorCode.NOT_FOUND;
      case 413:
        return ErrorCode.PAYLOAD_TOO_LARGE;
      default:
        return ErrorCode.INTERNAL_ERROR;
    }
  }
}
