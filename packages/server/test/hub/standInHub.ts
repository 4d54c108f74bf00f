import * as http from 'node:http';
import * as crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';

/** A hub user the stand-in knows. */
export interface IStandInUser {
  admin: boolean;
}

/**
 * A stand-in for JupyterHub 5/6's REST API on 127.0.0.1, just the calls the gallery makes: `GET /hub/api/user` (the
 * token owner's model with the token's scopes) and `GET /hub/api/groups` (the service token only; the pagination
 * envelope only when `Accept: application/jupyterhub-pagination+json` asks for it; `GET /hub/api/users/<name>` for the
 * service token, otherwise a bare list cut at 200,
 * as the hub does) and `POST /hub/api/oauth2/token` (the code flow's exchange, with PKCE). Tests change its users,
 * tokens, scopes and groups directly.
 */
export class StandInHub {
  readonly users = new Map<string, IStandInUser>();
  /** token -> owner and scopes. */
  readonly tokens = new Map<string, { user: string; scopes: string[] }>();
  /** group -> member usernames. */
  readonly groups = new Map<string, Set<string>>();
  /** Requests seen, by path without the query. */
  readonly requests: string[] = [];
  /** Authorization codes the stand-in "authorize page" gave out: code -> what it was given for. */
  private readonly _codes = new Map<
    string,
    { user: string; clientId: string; redirectUri: string; challenge: string }
  >();
  /** Whether the service token may read user models (`read:users`), as the docs' role grants. */
  serviceMayReadUsers = true;
  /** Scopes of the tokens the OAuth exchange hands out. */
  grantedScopes = ['access:services!service=gallery', 'read:users:name!user'];
  private _server: http.Server | null = null;
  private _port = 0;

  /** The token the gallery service holds; a test changes it to make the hub refuse the service. */
  constructor(public serviceToken: string) {}

  /** `http://127.0.0.1:<port>/hub/api`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this._port}/hub/api`;
  }

  /** Listens on a free port, or on the same port again after {@link stop}. */
  async start(): Promise<void> {
    const server = http.createServer((request, response) => this._handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this._port, '127.0.0.1', () => resolve());
    });
    this._port = (server.address() as AddressInfo).port;
    this._server = server;
  }

  /** Stops answering: connections are refused until {@link start}. */
  async stop(): Promise<void> {
    const server = this._server;
    this._server = null;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    }
  }

  /** Adds a user with a token carrying `scopes` (by default the gallery's access scope); returns the token. */
  addUser(name: string, options: { admin?: boolean; groups?: string[]; scopes?: string[] } = {}): string {
    this.users.set(name, { admin: options.admin ?? false });
    for (const group of options.groups ?? []) {
      this.addMember(group, name);
    }
    const token = `hubtoken-${name}-${this.tokens.size}`;
    this.tokens.set(token, { user: name, scopes: options.scopes ?? ['access:services!service=gallery'] });
    return token;
  }

  /**
   * What the hub's authorize page does once `user` is logged in: checks the request of the gallery's redirect
   * (`location`) and returns the code it would send back to the callback.
   */
  authorize(user: string, location: string): { code: string; state: string; redirectUri: string } {
    const url = new URL(location, 'http://hub');
    if (url.pathname !== '/hub/api/oauth2/authorize' || url.searchParams.get('code_challenge_method') !== 'S256') {
      throw new Error(`not an authorize request with PKCE: ${location}`);
    }
    const code = crypto.randomBytes(12).toString('hex');
    const redirectUri = url.searchParams.get('redirect_uri') ?? '';
    this._codes.set(code, {
      user,
      clientId: url.searchParams.get('client_id') ?? '',
      redirectUri,
      challenge: url.searchParams.get('code_challenge') ?? ''
    });
    return { code, state: url.searchParams.get('state') ?? '', redirectUri };
  }

  addMember(group: string, user: string): void {
    const members = this.groups.get(group) ?? new Set<string>();
    members.add(user);
    this.groups.set(group, members);
  }

  /** Deletes a user, their tokens and their group memberships, as the hub does. */
  deleteUser(name: string): void {
    this.users.delete(name);
    for (const [token, owner] of this.tokens) {
      if (owner.user === name) {
        this.tokens.delete(token);
      }
    }
    for (const members of this.groups.values()) {
      members.delete(name);
    }
  }

  /** A user's model as the hub answers it to a token that may read everything about them. */
  private _model(name: string): Record<string, unknown> {
    const groups = [...this.groups].filter(([, members]) => members.has(name)).map(([group]) => group);
    return {
      kind: 'user',
      name,
      admin: this.users.get(name)?.admin ?? false,
      groups,
      roles: ['user'],
      server: null,
      pending: null,
      last_activity: new Date().toISOString()
    };
  }

  private _handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://hub');
    this.requests.push(url.pathname);
    const match = /^token\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const send = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/hub/api/user') {
      const token = match ? this.tokens.get(match[1]) : undefined;
      const user = token ? this.users.get(token.user) : undefined;
      if (!token || !user) {
        send(403, { status: 403, message: 'Missing or invalid credentials.' });
        return;
      }
      // A token reads its owner's name and groups (the identify scopes); the admin flag needs read:users.
      const mayReadAll = token.scopes.some(scope => scope === 'read:users' || scope === 'admin:users');
      send(200, { ...this._model(token.user), ...(mayReadAll ? {} : { admin: undefined }), scopes: token.scopes });
      return;
    }
    const userPath = /^\/hub\/api\/users\/([^/]+)$/.exec(url.pathname);
    if (userPath) {
      const name = decodeURIComponent(userPath[1]);
      if (!match || match[1] !== this.serviceToken || !this.serviceMayReadUsers) {
        send(403, {
          status: 403,
          message: 'Action is not authorized with current scopes; requires any of [read:users]'
        });
      } else if (!this.users.has(name)) {
        send(404, { status: 404, message: `No such user: ${name}` });
      } else {
        send(200, this._model(name));
      }
      return;
    }
    if (url.pathname === '/hub/api/oauth2/token' && request.method === 'POST') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const form = new URLSearchParams(body);
        const grant = this._codes.get(form.get('code') ?? '');
        this._codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
        if (
          !grant ||
          form.get('grant_type') !== 'authorization_code' ||
          form.get('client_secret') !== this.serviceToken ||
          form.get('client_id') !== grant.clientId ||
          form.get('redirect_uri') !== grant.redirectUri ||
          challenge !== grant.challenge
        ) {
          send(400, { error: 'invalid_grant', error_description: 'Invalid grant' });
          return;
        }
        const token = `oauth-${crypto.randomBytes(12).toString('hex')}`;
        this.tokens.set(token, {
          user: grant.user,
          scopes: [...this.grantedScopes]
        });
        send(200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
      });
      return;
    }
    if (url.pathname === '/hub/api/groups') {
      if (!match || match[1] !== this.serviceToken) {
        send(403, {
          status: 403,
          message: 'Action is not authorized with current scopes; requires any of [list:groups]'
        });
        return;
      }
      const all = [...this.groups].sort(([a], [b]) => a.localeCompare(b));
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 200), 200);
      const items = all.slice(offset, offset + limit).map(([name, members]) => ({
        kind: 'group',
        name,
        users: [...members],
        properties: {},
        roles: []
      }));
      if (request.headers.accept !== 'application/jupyterhub-pagination+json') {
        send(200, items);
        return;
      }
      const nextOffset = offset + limit;
      send(200, {
        items,
        _pagination: {
          offset,
          limit,
          total: all.length,
          next:
            nextOffset < all.length
              ? { offset: nextOffset, limit, url: `${this.apiUrl}/groups?offset=${nextOffset}&limit=${limit}` }
              : null
        }
      });
      return;
    }
    send(404, { status: 404, message: 'Not Found' });
  }
}
