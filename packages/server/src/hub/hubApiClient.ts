import { HubUnavailableError } from '../errors/HubUnavailableError';

/** A token's owner as `GET {api}/user` describes it; fields the token may not read are absent. */
export interface IHubUser {
  name: string;
  /** Absent when the token may not read it. */
  admin?: boolean;
  /** Hub group names; absent when the token may not read them. */
  groups?: string[];
  /** The token's scopes. */
  scopes: string[];
}

/** A hub group as `GET {api}/groups` lists it. */
export interface IHubGroup {
  name: string;
  /** Hub usernames. */
  users: string[];
}

/** Options of {@link HubApiClient}. */
export interface IHubApiClientOptions {
  /** `JUPYTERHUB_API_URL` without a trailing slash. */
  apiUrl: string;
  /** The service's own token (`JUPYTERHUB_API_TOKEN`), for the groups list. */
  serviceToken: string;
  /** Each request gives up after this many milliseconds; 5000 when absent. */
  timeoutMs?: number;
}

/** Without this Accept header the hub silently cuts a list at its page size (200). */
const PAGINATION_TYPE = 'application/jupyterhub-pagination+json';
/** A page larger than the hub allows is cut to its maximum; `next` then says where to go on. */
const PAGE_SIZE = 200;

/** The few calls the gallery makes to the hub's REST API, with JupyterHub's `Authorization: token` scheme. */
export class HubApiClient {
  private readonly _timeoutMs: number;

  constructor(private readonly _options: IHubApiClientOptions) {
    this._timeoutMs = _options.timeoutMs ?? 5000;
  }

  /**
   * The owner of `token`, or null when the hub does not know it (revoked, expired, or its user deleted). A user's
   * own token identifies only the name and groups (JupyterHub's "identify" scopes), so the admin flag is read with
   * the service token (`read:users`) when `/user` leaves it out; it stays absent when the service may not read it.
   * @throws {HubUnavailableError} when the hub cannot be reached or fails.
   */
  async user(token: string): Promise<IHubUser | null> {
    const response = await this._get('/user', token);
    if (response.status === 401 || response.status === 403 || response.status === 404) {
      return null;
    }
    const body = await this._json(response, '/user');
    if (typeof body?.name !== 'string' || !Array.isArray(body.scopes)) {
      throw new HubUnavailableError('the hub answered /user without a name and scopes');
    }
    const user: IHubUser = {
      name: body.name,
      admin: typeof body.admin === 'boolean' ? body.admin : undefined,
      groups: Array.isArray(body.groups) ? body.groups.filter(isString) : undefined,
      scopes: body.scopes.filter(isString)
    };
    if (user.admin === undefined) {
      const path = `/users/${encodeURIComponent(user.name)}`;
      const full = await this._get(path, this._options.serviceToken);
      if (full.status !== 403 && full.status !== 404) {
        const model = await this._json(full, path);
        user.admin = typeof model?.admin === 'boolean' ? model.admin : undefined;
      }
    }
    return user;
  }

  /**
   * Every hub group with its members, page by page.
   * @throws {HubUnavailableError} when the hub cannot be reached, fails, or refuses the service token.
   */
  async groups(): Promise<IHubGroup[]> {
    const groups: IHubGroup[] = [];
    let offset = 0;
    for (;;) {
      const path = `/groups?offset=${offset}&limit=${PAGE_SIZE}`;
      const body = await this._json(await this._get(path, this._options.serviceToken, PAGINATION_TYPE), path);
      if (!Array.isArray(body?.items)) {
        throw new HubUnavailableError('the hub answered /groups without the pagination envelope');
      }
      for (const item of body.items) {
        if (typeof item?.name === 'string') {
          groups.push({ name: item.name, users: Array.isArray(item.users) ? item.users.filter(isString) : [] });
        }
      }
      const next = body._pagination?.next;
      if (!next || typeof next.offset !== 'number' || next.offset <= offset) {
        return groups;
      }
      offset = next.offset;
    }
  }

  /**
   * Trades an OAuth authorization code (with its PKCE verifier) for the user's hub token; null when the hub refuses
   * the code (used, expired, or the verifier does not match).
   * @throws {HubUnavailableError} when the hub cannot be reached or fails.
   */
  async exchangeCode(grant: {
    code: string;
    verifier: string;
    clientId: string;
    redirectUri: string;
  }): Promise<string | null> {
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code: grant.code,
      code_verifier: grant.verifier,
      client_id: grant.clientId,
      client_secret: this._options.serviceToken,
      redirect_uri: grant.redirectUri
    });
    let response: Response;
    try {
      response = await fetch(`${this._options.apiUrl}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(this._timeoutMs)
      });
    } catch {
      throw new HubUnavailableError(`no connection from ${this._options.apiUrl}`);
    }
    if (response.status === 400 || response.status === 401 || response.status === 403) {
      return null;
    }
    const body = await this._json(response, '/oauth2/token');
    return typeof body?.access_token === 'string' ? body.access_token : null;
  }

  private async _get(path: string, token: string, accept = 'application/json'): Promise<Response> {
    try {
      return await fetch(`${this._options.apiUrl}${path}`, {
        headers: { authorization: `token ${token}`, accept },
        signal: AbortSignal.timeout(this._timeoutMs)
      });
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `no answer in ${this._timeoutMs} ms` : 'no connection';
      throw new HubUnavailableError(`${reason} from ${this._options.apiUrl}`);
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the hub's JSON, checked field by field by the callers
  private async _json(response: Response, path: string): Promise<any> {
    if (!response.ok) {
      throw new HubUnavailableError(`the hub answered ${path.split('?')[0]} with HTTP ${response.status}`);
    }
    try {
      return await response.json();
    } catch {
      throw new HubUnavailableError(`the hub answered ${path.split('?')[0]} with something that is not JSON`);
    }
  }
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
