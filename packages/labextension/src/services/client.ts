import {
  ErrorCode,
  type IApiError,
  type IApiTokenInfo,
  type IApiTokenListResponse,
  type IAuthConfig,
  type IChangePasswordRequest,
  type IChangeRequest,
  type IChangeRequestDetail,
  type IChangeRequestListQuery,
  type IChangeRequestListResponse,
  type ICreateChangeRequest,
  type IDecideChangeRequest,
  type ILineageResponse,
  type IMergedSaveResponse,
  type IRestoreRevisionRequest,
  type IRevision,
  type IRevisionDiffQuery,
  type IRevisionDiffResponse,
  type IRevisionListResponse,
  type ICreateApiTokenRequest,
  type ICreateApiTokenResponse,
  type ICreateNotebookRequest,
  type IGroup,
  type IGroupListResponse,
  type ILoginRequest,
  type ILoginResponse,
  type INotebook,
  type IRegisterRequest,
  type ISaveNotebookResponse,
  type ISharing,
  type IDeletionImpact,
  type ISsoTokenMessage,
  type IUpdateNotebookRequest,
  type IUser,
  type ActivityKind,
  type IFacetsQuery,
  type IFacetsResponse,
  type INotebookListQuery,
  type IStarResponse,
  type ITagsResponse,
  type IHealthReportRequest,
  type INotebookListResponse,
  type INotebookSummary,
  type ISimilarResponse,
  type IPrincipalSearchResponse,
  type IComment,
  type ICommentListResponse,
  type ICreateCommentRequest,
  type IEditCommentRequest,
  type IInboxQuery,
  type IInboxResponse,
  type IMarkReadRequest,
  type IMuteResponse,
  type IUnreadCountResponse
} from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Signal, type ISignal } from '@lumino/signaling';
import { GalleryError } from '../galleryError';
import type { IAuthStrategy, IGalleryClient } from '../tokens';
import { PasswordAuth } from './auth/passwordAuth';
import { normalizeServerUrl } from './serverUrl';

/** The one module that calls the gallery server, so every failure becomes a `GalleryError`. */
export class GalleryClient implements IGalleryClient {
  /** Create a client for `options.serverUrl`, picking up the login its strategy holds for it. */
  constructor(options: GalleryClient.IOptions) {
    this._trans = options.trans;
    this._fetch = options.fetch ?? ((input, init) => window.fetch(input, init));
    this._serverUrl = normalizeServerUrl(options.serverUrl);
    this._auth = options.auth ?? new PasswordAuth();
    this._auth.changed.connect(this._onAuthChanged, this);
    this._auth.useServer(this._serverUrl);
  }

  get auth(): IAuthStrategy {
    return this._auth;
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
    this.auth.useServer(url);
  }

  /**
   * Point at `serverUrl` and log in with `auth` from now on, as when the settings move between
   * the hub's own gallery service and a gallery outside the hub.
   */
  connect(serverUrl: string, auth: IAuthStrategy): void {
    if (auth === this._auth) {
      this.serverUrl = serverUrl;
      return;
    }
    this._auth.changed.disconnect(this._onAuthChanged, this);
    this._serverUrl = normalizeServerUrl(serverUrl);
    this._auth = auth;
    this._auth.changed.connect(this._onAuthChanged, this);
    this._auth.useServer(this._serverUrl);
  }

  get user(): IUser | null {
    return this.auth.session?.user ?? null;
  }

  get isLoggedIn(): boolean {
    return this.auth.session !== null;
  }

  get tokenId(): string | null {
    return this.auth.session?.tokenId ?? null;
  }

  get authChanged(): ISignal<IGalleryClient, void> {
    return this._authChanged;
  }

  authConfig(): Promise<IAuthConfig> {
    return this._request<IAuthConfig>('GET', '/api/auth/config', { auth: false });
  }

  async login(username: string, password: string): Promise<IUser> {
    this._requireOwnLogin();
    const body: ILoginRequest = { username, password };
    const reply = await this._request<ILoginResponse>('POST', '/api/auth/login', { body, auth: false });
    return this._keepSessionToken(reply.token, reply.user);
  }

  async loginWithSsoToken(message: ISsoTokenMessage): Promise<IUser> {
    this._requireOwnLogin();
    const user = await this._request<IUser>('GET', '/api/auth/me', { token: message.token });
    this.auth.keep({ token: message.token, tokenId: message.tokenId, expiresAt: message.expiresAt, user });
    return user;
  }

  async register(request: IRegisterRequest): Promise<IUser> {
    this._requireOwnLogin();
    const reply = await this._request<ILoginResponse>('POST', '/api/auth/register', { body: request, auth: false });
    return this._keepSessionToken(reply.token, reply.user);
  }

  async identify(): Promise<IUser | null> {
    const auth = this.auth;
    const token = auth.ambientToken;
    if (!token) {
      return null;
    }
    const user = await this._request<IUser>('GET', '/api/auth/me', { token });
    // The settings may have switched strategy while the server answered.
    if (auth === this.auth) {
      auth.keep({ token, tokenId: null, expiresAt: null, user });
    }
    return user;
  }

  async logout(): Promise<void> {
    if (!this.auth.canLogIn) {
      return;
    }
    const session = this.auth.session;
    this.auth.forget();
    if (session?.tokenId) {
      try {
        await this._request<unknown>('DELETE', Private.tokenPath(session.tokenId), {
          token: session.token,
          expectBody: false
        });
      } catch {
        // Forgetting the token is what logs out; revoking it is tidiness the server may refuse.
      }
    }
  }

  async changePassword(request: IChangePasswordRequest): Promise<void> {
    this._requireOwnLogin();
    await this._request<unknown>('POST', '/api/auth/password', { body: request, expectBody: false });
  }

  async signOutEverywhere(): Promise<void> {
    this._requireOwnLogin();
    await this._request<unknown>('POST', '/api/auth/sign-out-everywhere', { expectBody: false });
    // The server has already ended this JupyterLab's token too: there is nothing left to revoke.
    this.auth.forget();
  }

  async listTokens(): Promise<IApiTokenInfo[]> {
    return (await this._request<IApiTokenListResponse>('GET', '/api/tokens')).items;
  }

  createToken(request: ICreateApiTokenRequest): Promise<ICreateApiTokenResponse> {
    return this._createToken(request);
  }

  async deleteToken(id: string): Promise<void> {
    await this._request<unknown>('DELETE', Private.tokenPath(id), { expectBody: false });
    if (id === this.tokenId) {
      this.auth.forget();
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

  updateNotebook(id: string, request: IUpdateNotebookRequest): Promise<ISaveNotebookResponse | IMergedSaveResponse> {
    return this._request<ISaveNotebookResponse | IMergedSaveResponse>('PUT', Private.notebookPath(id), {
      body: request
    });
  }

  getDeletionImpact(id: string): Promise<IDeletionImpact> {
    return this._request<IDeletionImpact>('GET', `${Private.notebookPath(id)}/deletion-impact`);
  }

  async deleteNotebook(id: string): Promise<void> {
    await this._request<unknown>('DELETE', Private.notebookPath(id), { expectBody: false });
  }

  getSharing(id: string): Promise<ISharing> {
    return this._request<ISharing>('GET', `${Private.notebookPath(id)}/sharing`);
  }

  setSharing(id: string, sharing: ISharing): Promise<ISharing> {
    return this._request<ISharing>('PUT', `${Private.notebookPath(id)}/sharing`, { body: sharing });
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

  findPrincipals(prefix: string, limit?: number): Promise<IPrincipalSearchResponse> {
    return this._request<IPrincipalSearchResponse>('GET', '/api/principals', { query: { prefix, limit } });
  }

  async listRevisions(id: string): Promise<IRevision[]> {
    return (await this._request<IRevisionListResponse>('GET', `${Private.notebookPath(id)}/revisions`)).items;
  }

  getRevisionDiff(id: string, query: IRevisionDiffQuery = {}): Promise<IRevisionDiffResponse> {
    return this._request<IRevisionDiffResponse>('GET', `${Private.notebookPath(id)}/diff`, { query: { ...query } });
  }

  restoreRevision(id: string, request: IRestoreRevisionRequest): Promise<IMergedSaveResponse> {
    return this._request<IMergedSaveResponse>('POST', `${Private.notebookPath(id)}/restore`, { body: request });
  }

  getLineage(id: string): Promise<ILineageResponse> {
    return this._request<ILineageResponse>('GET', `${Private.notebookPath(id)}/lineage`);
  }

  createChangeRequest(id: string, request: ICreateChangeRequest): Promise<IChangeRequest> {
    return this._request<IChangeRequest>('POST', `${Private.notebookPath(id)}/change-requests`, { body: request });
  }

  async listChangeRequests(query: IChangeRequestListQuery = {}): Promise<IChangeRequest[]> {
    return (await this._request<IChangeRequestListResponse>('GET', '/api/change-requests', { query: { ...query } }))
      .items;
  }

  async listNotebookChangeRequests(id: string, status?: IChangeRequest['status']): Promise<IChangeRequest[]> {
    const path = `${Private.notebookPath(id)}/change-requests`;
    return (await this._request<IChangeRequestListResponse>('GET', path, { query: { status } })).items;
  }

  getChangeRequest(id: string, requestId: string): Promise<IChangeRequestDetail> {
    return this._request<IChangeRequestDetail>('GET', Private.changeRequestPath(id, requestId));
  }

  async getChangeRequestContent(id: string, requestId: string): Promise<INotebook> {
    const notebook = await this._request<unknown>('GET', `${Private.changeRequestPath(id, requestId)}/content`);
    if (!Private.looksLikeNotebook(notebook)) {
      throw new GalleryError(
        ErrorCode.NOT_A_NOTEBOOK,
        200,
        this._trans.__('The gallery sent something that is not a notebook for change request %1.', requestId)
      );
    }
    return notebook;
  }

  acceptChangeRequest(id: string, requestId: string, comment?: string): Promise<IMergedSaveResponse> {
    const body: IDecideChangeRequest = comment ? { comment } : {};
    return this._request<IMergedSaveResponse>('POST', `${Private.changeRequestPath(id, requestId)}/accept`, { body });
  }

  declineChangeRequest(id: string, requestId: string, comment?: string): Promise<IChangeRequest> {
    const body: IDecideChangeRequest = comment ? { comment } : {};
    return this._request<IChangeRequest>('POST', `${Private.changeRequestPath(id, requestId)}/decline`, { body });
  }

  withdrawChangeRequest(id: string, requestId: string): Promise<IChangeRequest> {
    return this._request<IChangeRequest>('POST', `${Private.changeRequestPath(id, requestId)}/withdraw`, {
      body: {}
    });
  }

  async reportHealth(id: string, report: IHealthReportRequest): Promise<void> {
    await this._request<unknown>('POST', `${Private.notebookPath(id)}/health`, { body: report, expectBody: false });
  }

  // Discovery: stars, activity, facets, tag suggestions and similar notebooks.

  starNotebook(id: string): Promise<IStarResponse> {
    return this._request<IStarResponse>('PUT', `${Private.notebookPath(id)}/star`);
  }

  unstarNotebook(id: string): Promise<IStarResponse> {
    return this._request<IStarResponse>('DELETE', `${Private.notebookPath(id)}/star`);
  }

  async recordActivity(id: string, kind: ActivityKind): Promise<void> {
    await this._request<unknown>('POST', `${Private.notebookPath(id)}/activity`, {
      body: { kind },
      expectBody: false
    });
  }

  getFacets(query: IFacetsQuery = {}): Promise<IFacetsResponse> {
    return this._request<IFacetsResponse>('GET', '/api/notebooks/facets', { query: { ...query } });
  }

  async suggestTags(prefix: string, limit?: number): Promise<ITagsResponse['items']> {
    const reply = await this._request<ITagsResponse>('GET', '/api/tags', { query: { prefix, limit } });
    return reply.items;
  }

  getSimilar(id: string, limit?: number): Promise<ISimilarResponse> {
    return this._request<ISimilarResponse>('GET', `${Private.notebookPath(id)}/similar`, { query: { limit } });
  }

  // Comments and the inbox.

  listComments(id: string): Promise<ICommentListResponse> {
    return this._request<ICommentListResponse>('GET', `${Private.notebookPath(id)}/comments`);
  }

  createComment(id: string, request: ICreateCommentRequest): Promise<IComment> {
    return this._request<IComment>('POST', `${Private.notebookPath(id)}/comments`, { body: request });
  }

  editComment(commentId: string, body: string): Promise<IComment> {
    const request: IEditCommentRequest = { body };
    return this._request<IComment>('PATCH', Private.commentPath(commentId), { body: request });
  }

  setCommentResolved(commentId: string, resolved: boolean): Promise<IComment> {
    return this._request<IComment>('POST', `${Private.commentPath(commentId)}/${resolved ? 'resolve' : 'reopen'}`);
  }

  async deleteComment(commentId: string): Promise<void> {
    await this._request<unknown>('DELETE', Private.commentPath(commentId), { expectBody: false });
  }

  listInbox(query: IInboxQuery = {}): Promise<IInboxResponse> {
    return this._request<IInboxResponse>('GET', '/api/inbox', { query: { ...query } });
  }

  async unreadCount(): Promise<number> {
    return (await this._request<IUnreadCountResponse>('GET', '/api/inbox/unread-count')).unread;
  }

  async markInboxRead(request: IMarkReadRequest): Promise<void> {
    await this._request<unknown>('POST', '/api/inbox/read', { body: request, expectBody: false });
  }

  setMuted(id: string, muted: boolean): Promise<IMuteResponse> {
    return this._request<IMuteResponse>(muted ? 'PUT' : 'DELETE', `${Private.notebookPath(id)}/mute`);
  }

  /**
   * Trade a short-lived login token for a session API token and keep that, so the login outlives
   * the login token, can be revoked on logout, and ends when the password changes elsewhere.
   */
  private async _keepSessionToken(loginToken: string, user: IUser): Promise<IUser> {
    const name = `JupyterLab on ${window.location.host}`;
    let created: ICreateApiTokenResponse;
    try {
      created = await this._createToken({ name, kind: 'session' }, loginToken);
    } catch (error) {
      // A gallery from before token kinds refuses the unknown field; it only has personal tokens.
      if (!GalleryError.is(error, ErrorCode.VALIDATION_FAILED)) {
        throw error;
      }
      created = await this._createToken({ name }, loginToken);
    }
    this.auth.keep({ token: created.token, tokenId: created.id, expiresAt: created.expiresAt, user });
    return user;
  }

  /**
   * Refuse what only the gallery's own login has: inside JupyterHub the hub holds the password
   * and the login, so changing or ending them here would mean nothing.
   *
   * @throws {GalleryError} FORBIDDEN when the strategy cannot log in.
   */
  private _requireOwnLogin(): void {
    if (!this.auth.canLogIn) {
      throw new GalleryError(
        ErrorCode.FORBIDDEN,
        0,
        this._trans.__(
          'You are logged in to the Notebook Gallery through JupyterHub. Log in, log out and change your password in JupyterHub instead.'
        )
      );
    }
  }

  private _onAuthChanged(): void {
    this._authChanged.emit();
  }

  private _createToken(body: ICreateApiTokenRequest, token?: string): Promise<ICreateApiTokenResponse> {
    return this._request<ICreateApiTokenResponse>('POST', '/api/tokens', { body, token });
  }

  /** Send one request and turn every kind of failure into a `GalleryError`. */
  private async _request<T>(method: string, path: string, options: Private.IRequestOptions = {}): Promise<T> {
    const { body, query, auth = true, expectBody = true } = options;
    const url = `${this._serverUrl}${path}${Private.queryString(query)}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = auth ? (options.token ?? this.auth.session?.token) : undefined;
    if (auth && !token) {
      throw new GalleryError(
        ErrorCode.UNAUTHORIZED,
        401,
        this.auth.canLogIn
          ? this._trans.__('Log in to the Notebook Gallery first.')
          : this._trans.__(
              'The Notebook Gallery has not accepted your JupyterHub login yet. Open the Gallery sidebar to see why.'
            )
      );
    }
    if (token) {
      headers.Authorization = this.auth.authorization(token);
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
        this.auth.canLogIn
          ? this._trans.__(
              'The Notebook Gallery at %1 could not be reached. Check that it is running and that the server URL in Settings → Notebook Gallery is right.',
              this._serverUrl
            )
          : this._trans.__(
              'The Notebook Gallery service at %1 could not be reached through JupyterHub. It may be starting or stopped: try again in a moment, and if it stays unreachable, tell your JupyterHub administrator.',
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
        token === this.auth.session?.token
      ) {
        // The token expired or was revoked (a wrong current password is not that): drop it so
        // the sidebar asks for a login again.
        this.auth.forget();
      } else if (
        response.status === 403 &&
        error.code === ErrorCode.HUB_ACCESS_DENIED &&
        token &&
        token === this.auth.session?.token
      ) {
        // The hub took the gallery's access scope away: the sidebar says whom to ask.
        this.auth.forget();
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

  private _auth: IAuthStrategy;
  private _trans: TranslationBundle;
  private _fetch: GalleryClient.FetchFunction;
  private _serverUrl: string;
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
    /** How to log in and where the login is kept; a `PasswordAuth` by default. */
    auth?: IAuthStrategy;
    /** `window.fetch` by default. */
    fetch?: FetchFunction;
  }
}

namespace Private {
  export interface IRequestOptions {
    body?: unknown;
    /** Query parameters; undefined, empty and false ones are left out. */
    query?: Record<string, string | number | boolean | undefined>;
    /** Send the bearer token; true by default. */
    auth?: boolean;
    /** A bearer token to send instead of the stored one. */
    token?: string;
    /** False for replies without a body, such as DELETE. */
    expectBody?: boolean;
  }

  export function tokenPath(id: string): string {
    return `/api/tokens/${encodeURIComponent(id)}`;
  }

  export function notebookPath(id: string): string {
    return `/api/notebooks/${encodeURIComponent(id)}`;
  }

  export function commentPath(commentId: string): string {
    return `/api/comments/${encodeURIComponent(commentId)}`;
  }

  export function changeRequestPath(id: string, requestId: string): string {
    return `${notebookPath(id)}/change-requests/${encodeURIComponent(requestId)}`;
  }

  export function queryString(query: IRequestOptions['query']): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== '' && value !== false) {
        params.set(key, String(value));
      }
    }
    const text = params.toString();
    return text ? `?${text}` : '';
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
