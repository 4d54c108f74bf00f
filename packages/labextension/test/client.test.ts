import { ErrorCode } from '@notebook-gallery/core';
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import { GalleryError } from '../src/galleryError';
import type { IAuthSession, IAuthStrategy } from '../src/tokens';
import { PasswordAuth } from '../src/services/auth/passwordAuth';
import { GalleryClient } from '../src/services/client';
import { FakeGallery, MemoryStorage, SERVER, clientFor, storedSession, trans } from './helpers';

const ALICE = { username: 'alice', isAdmin: false };
const STORAGE_KEY = `notebook-gallery:auth:${SERVER}`;

function tokenReply(id: string, token: string, kind: 'session' | 'personal' = 'session') {
  return {
    status: 201,
    body: {
      id,
      token,
      name: 'JupyterLab on localhost',
      kind,
      createdAt: '2026-01-01',
      lastUsedAt: null,
      expiresAt: null
    }
  };
}

/** The rejection of `promise`, which must be a GalleryError. */
async function galleryErrorOf(promise: Promise<unknown>): Promise<GalleryError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason
  );
  expect(error).toBeInstanceOf(GalleryError);
  return error as GalleryError;
}

describe('GalleryClient login', () => {
  it('exchanges a password login for a session token and keeps only that', async () => {
    const gallery = new FakeGallery()
      .on('POST', '/api/auth/login', { status: 200, body: { token: 'short-lived-jwt', user: ALICE } })
      .on('POST', '/api/tokens', tokenReply('tok-9', 'session-secret'))
      .on('GET', '/api/groups', { status: 200, body: { items: [] } });
    const { client, storage } = clientFor(gallery, { loggedIn: false });
    const changed = jest.fn();
    client.authChanged.connect(changed);

    await expect(client.login('alice', 'pw')).resolves.toEqual(ALICE);

    const [login] = gallery.requests('POST', '/api/auth/login');
    expect(login.authorization).toBeUndefined();
    expect(login.body).toEqual({ username: 'alice', password: 'pw' });
    const [exchange] = gallery.requests('POST', '/api/tokens');
    expect(exchange.authorization).toBe('Bearer short-lived-jwt');
    expect(exchange.body).toEqual({ name: expect.stringMatching(/^JupyterLab on /), kind: 'session' });
    expect(client.isLoggedIn).toBe(true);
    expect(client.user).toEqual(ALICE);
    expect(client.tokenId).toBe('tok-9');
    expect(changed).toHaveBeenCalled();
    expect(storage.getItem(STORAGE_KEY)).toContain('session-secret');
    expect(storage.getItem(STORAGE_KEY)).not.toContain('short-lived-jwt');

    await client.listGroups();
    expect(gallery.requests('GET', '/api/groups')[0].authorization).toBe('Bearer session-secret');
  });

  it('registers and stays logged in with a session token', async () => {
    const gallery = new FakeGallery()
      .on('POST', '/api/auth/register', { status: 201, body: { token: 'jwt', user: ALICE } })
      .on('POST', '/api/tokens', tokenReply('tok-1', 'session-secret'));
    const { client } = clientFor(gallery, { loggedIn: false });
    await client.register({ username: 'alice', password: 'a long password' });
    expect(gallery.requests('POST', '/api/tokens')[0].body.kind).toBe('session');
    expect(client.isLoggedIn).toBe(true);
  });

  it('still logs in to a gallery from before token kinds, which refuses the kind field', async () => {
    const gallery = new FakeGallery()
      .on('POST', '/api/auth/login', { status: 200, body: { token: 'jwt', user: ALICE } })
      .on('POST', '/api/tokens', request =>
        'kind' in request.body
          ? {
              status: 400,
              body: { error: ErrorCode.VALIDATION_FAILED, message: 'body must NOT have additional properties' }
            }
          : tokenReply('tok-2', 'plain-secret', 'personal')
      );
    const { client } = clientFor(gallery, { loggedIn: false });
    await client.login('alice', 'pw');
    expect(gallery.requests('POST', '/api/tokens').map(r => r.body)).toEqual([
      { name: expect.any(String), kind: 'session' },
      { name: expect.any(String) }
    ]);
    expect(client.tokenId).toBe('tok-2');
  });

  it('shows the server’s message for a wrong password and stays logged out', async () => {
    const gallery = new FakeGallery().on('POST', '/api/auth/login', {
      status: 401,
      body: { error: ErrorCode.INVALID_CREDENTIALS, message: 'Wrong username or password.' }
    });
    const { client } = clientFor(gallery, { loggedIn: false });
    const error = await galleryErrorOf(client.login('alice', 'nope'));
    expect(error.code).toBe(ErrorCode.INVALID_CREDENTIALS);
    expect(error.message).toBe('Wrong username or password.');
    expect(client.isLoggedIn).toBe(false);
    expect(gallery.requests('POST', '/api/tokens')).toHaveLength(0);
  });

  it('keeps a single sign-on token only after the server confirms whose it is', async () => {
    const gallery = new FakeGallery().on('GET', '/api/auth/me', { status: 200, body: ALICE });
    const { client } = clientFor(gallery, { loggedIn: false });
    await client.loginWithSsoToken({
      type: 'notebook-gallery:token',
      token: 'sso-secret',
      tokenId: 'tok-5',
      expiresAt: null,
      user: { username: 'mallory', isAdmin: true }
    });
    expect(gallery.requests('GET', '/api/auth/me')[0].authorization).toBe('Bearer sso-secret');
    // The user is the server's answer, not what the message claimed.
    expect(client.user).toEqual(ALICE);
    expect(client.tokenId).toBe('tok-5');
  });
});

describe('GalleryClient errors', () => {
  it('turns the server’s { error, message } into a GalleryError with its code, status and details', async () => {
    const gallery = new FakeGallery().on('PUT', '/api/notebooks/nb-1', {
      status: 409,
      body: { error: ErrorCode.REVISION_CONFLICT, message: 'Someone saved first.', currentRevision: 'b'.repeat(40) }
    });
    const { client } = clientFor(gallery);
    const error = await galleryErrorOf(
      client.updateNotebook('nb-1', { notebook: {} as never, baseRevision: 'a'.repeat(40) })
    );
    expect(error.code).toBe(ErrorCode.REVISION_CONFLICT);
    expect(error.status).toBe(409);
    expect(error.message).toBe('Someone saved first.');
    expect(error.details).toEqual({ currentRevision: 'b'.repeat(40) });
  });

  it.each([
    [403, ErrorCode.FORBIDDEN],
    [404, ErrorCode.NOT_FOUND],
    [413, ErrorCode.PAYLOAD_TOO_LARGE],
    [502, ErrorCode.INTERNAL_ERROR]
  ])('describes a %i without a JSON body (a proxy page) by its status', async (status, code) => {
    const gallery = new FakeGallery().on('GET', '/api/notebooks/nb-1', {
      status,
      statusText: 'Proxy Says No',
      text: '<html>nope</html>'
    });
    const { client } = clientFor(gallery);
    const error = await galleryErrorOf(client.getNotebook('nb-1'));
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.message).toBe(`The Notebook Gallery at ${SERVER} answered ${status} Proxy Says No.`);
  });

  it('says the server could not be reached, and where, when the network fails', async () => {
    const gallery = new FakeGallery().on('GET', '/api/auth/config', 'network-error');
    const { client } = clientFor(gallery);
    const error = await galleryErrorOf(client.authConfig());
    expect(error.code).toBe(ErrorCode.NETWORK_ERROR);
    expect(error.status).toBe(0);
    expect(error.message).toContain(`The Notebook Gallery at ${SERVER} could not be reached`);
    expect(error.message).toContain('Settings → Notebook Gallery');
  });

  it('rejects a 200 reply that is not JSON', async () => {
    const gallery = new FakeGallery().on('GET', '/api/groups', { status: 200, text: 'not json' });
    const { client } = clientFor(gallery);
    const error = await galleryErrorOf(client.listGroups());
    expect(error.code).toBe(ErrorCode.INVALID_JSON);
  });

  it('rejects content that is not a notebook', async () => {
    const gallery = new FakeGallery().on('GET', '/api/notebooks/nb-1/content', { status: 200, body: { cells: 3 } });
    const { client } = clientFor(gallery);
    const error = await galleryErrorOf(client.getNotebookContent('nb-1'));
    expect(error.code).toBe(ErrorCode.NOT_A_NOTEBOOK);
  });

  it('asks for a login without calling the server when logged out', async () => {
    const gallery = new FakeGallery();
    const { client } = clientFor(gallery, { loggedIn: false });
    const error = await galleryErrorOf(client.listNotebooks());
    expect(error.code).toBe(ErrorCode.UNAUTHORIZED);
    expect(error.message).toBe('Log in to the Notebook Gallery first.');
    expect(gallery.sent).toHaveLength(0);
  });

  it('forgets an expired or revoked token on 401, so the sidebar asks for a login again', async () => {
    const gallery = new FakeGallery().on('GET', '/api/notebooks', {
      status: 401,
      body: { error: ErrorCode.UNAUTHORIZED, message: 'Your login has expired.' }
    });
    const { client, storage } = clientFor(gallery);
    const changed = jest.fn();
    client.authChanged.connect(changed);
    const error = await galleryErrorOf(client.listNotebooks());
    expect(error.message).toBe('Your login has expired.');
    expect(client.isLoggedIn).toBe(false);
    expect(storage.getItem(STORAGE_KEY)).toBeNull();
    expect(changed).toHaveBeenCalled();
  });

  it('keeps the login when a wrong current password is refused with 401', async () => {
    const gallery = new FakeGallery().on('POST', '/api/auth/password', {
      status: 401,
      body: { error: ErrorCode.INVALID_CREDENTIALS, message: 'Your current password is wrong.' }
    });
    const { client } = clientFor(gallery);
    const error = await galleryErrorOf(client.changePassword({ currentPassword: 'x', newPassword: 'y'.repeat(10) }));
    expect(error.message).toBe('Your current password is wrong.');
    expect(client.isLoggedIn).toBe(true);
  });
});

describe('GalleryClient account', () => {
  it('lists tokens with their kind, so the account dialog can tell sessions from personal tokens', async () => {
    const items = [
      { id: 't1', name: 'JupyterLab on lab', kind: 'session', createdAt: 'x', lastUsedAt: null, expiresAt: null },
      { id: 't2', name: 'nightly', kind: 'personal', createdAt: 'x', lastUsedAt: null, expiresAt: null }
    ];
    const gallery = new FakeGallery()
      .on('GET', '/api/tokens', { status: 200, body: { items } })
      .on('POST', '/api/tokens', tokenReply('t3', 'script-secret', 'personal'));
    const { client } = clientFor(gallery);
    expect((await client.listTokens()).map(token => token.kind)).toEqual(['session', 'personal']);

    const created = await client.createToken({ name: 'nightly' });
    expect(created.token).toBe('script-secret');
    // A token made by name is personal: the client does not ask for a session token here.
    expect(gallery.requests('POST', '/api/tokens')[0].body).toEqual({ name: 'nightly' });
    expect(client.tokenId).toBe('tok-1');
  });

  it('signs out everywhere, then is logged out here too without trying to revoke anything', async () => {
    const gallery = new FakeGallery().on('POST', '/api/auth/sign-out-everywhere', { status: 204 });
    const { client, storage } = clientFor(gallery);
    await client.signOutEverywhere();
    expect(gallery.requests('POST', '/api/auth/sign-out-everywhere')[0].authorization).toBe('Bearer session-token');
    expect(client.isLoggedIn).toBe(false);
    expect(storage.getItem(STORAGE_KEY)).toBeNull();
    expect(gallery.sent.map(request => request.method)).toEqual(['POST']);
  });

  it('stays logged in and shows the server’s message when signing out everywhere fails', async () => {
    const gallery = new FakeGallery().on('POST', '/api/auth/sign-out-everywhere', {
      status: 503,
      body: { error: ErrorCode.INTERNAL_ERROR, message: 'The gallery is restarting; try again in a minute.' }
    });
    const { client } = clientFor(gallery);
    const error = await galleryErrorOf(client.signOutEverywhere());
    expect(error.message).toBe('The gallery is restarting; try again in a minute.');
    expect(client.isLoggedIn).toBe(true);
  });

  it('logs out by revoking its own token, and forgets it even when revoking fails', async () => {
    const gallery = new FakeGallery().on('DELETE', '/api/tokens/tok-1', 'network-error');
    const { client, storage } = clientFor(gallery);
    await client.logout();
    expect(gallery.requests('DELETE', '/api/tokens/tok-1')[0].authorization).toBe('Bearer session-token');
    expect(client.isLoggedIn).toBe(false);
    expect(storage.getItem(STORAGE_KEY)).toBeNull();
  });

  it('revoking this JupyterLab’s own token logs it out; revoking another does not', async () => {
    const gallery = new FakeGallery()
      .on('DELETE', '/api/tokens/other', { status: 204 })
      .on('DELETE', '/api/tokens/tok-1', { status: 204 });
    const { client } = clientFor(gallery);
    await client.deleteToken('other');
    expect(client.isLoggedIn).toBe(true);
    await client.deleteToken('tok-1');
    expect(client.isLoggedIn).toBe(false);
  });

  it('keeps one login per server and switches with the server URL', async () => {
    const storage = new MemoryStorage();
    storage.setItem('notebook-gallery:auth:https://other.example', storedSession('other-token', 'bob'));
    const gallery = new FakeGallery();
    const { client } = clientFor(gallery, { storage });
    client.serverUrl = 'https://other.example/';
    expect(client.serverUrl).toBe('https://other.example');
    expect(client.user?.username).toBe('bob');
    client.serverUrl = SERVER;
    expect(client.user?.username).toBe('alice');
  });
});

describe('GalleryClient with another authentication strategy', () => {
  /** What a page-supplied token (a JupyterHub's, say) looks like to the client. */
  class PageTokenAuth implements IAuthStrategy {
    readonly canLogIn = false;
    readonly ambientToken = 'page-token';
    session: IAuthSession | null = { token: 'page-token', tokenId: null, expiresAt: null, user: ALICE };
    readonly changed: ISignal<IAuthStrategy, void> = new Signal<IAuthStrategy, void>(this);
    servers: string[] = [];
    useServer(serverUrl: string): void {
      this.servers.push(serverUrl);
    }
    keep(session: IAuthSession): void {
      this.session = session;
    }
    forget(): void {
      this.session = null;
      (this.changed as Signal<IAuthStrategy, void>).emit();
    }
    authorization(token: string): string {
      return `token ${token}`;
    }
  }

  it('sends the strategy’s credential in its scheme and tells it when the server refuses it', async () => {
    const gallery = new FakeGallery()
      .on('GET', '/api/groups', { status: 200, body: { items: [] } })
      .on('GET', '/api/notebooks', { status: 401, body: { error: ErrorCode.UNAUTHORIZED, message: 'No access.' } });
    const auth = new PageTokenAuth();
    const client = new GalleryClient({ serverUrl: `${SERVER}/`, trans, fetch: gallery.fetch, auth });
    expect(auth.servers).toEqual([SERVER]);
    await client.listGroups();
    expect(gallery.requests('GET', '/api/groups')[0].authorization).toBe('token page-token');
    const changed = jest.fn();
    client.authChanged.connect(changed);
    await expect(client.listNotebooks()).rejects.toThrow('No access.');
    expect(client.isLoggedIn).toBe(false);
    expect(changed).toHaveBeenCalled();
  });
});

describe('PasswordAuth', () => {
  it('drops a stored token that has expired', () => {
    const storage = new MemoryStorage();
    storage.setItem(
      STORAGE_KEY,
      JSON.stringify({ token: 't', tokenId: 'i', expiresAt: '2000-01-01T00:00:00Z', user: ALICE })
    );
    const auth = new PasswordAuth({ storage });
    auth.useServer(SERVER);
    expect(auth.session).toBeNull();
    expect(storage.getItem(STORAGE_KEY)).toBeNull();
  });

  it('treats a damaged stored entry as logged out', () => {
    const storage = new MemoryStorage();
    storage.setItem(STORAGE_KEY, '{"token": 42');
    const auth = new PasswordAuth({ storage });
    auth.useServer(`${SERVER}/`);
    expect(auth.session).toBeNull();
  });

  it('keeps a login across a reload', () => {
    const storage = new MemoryStorage();
    const first = new PasswordAuth({ storage });
    first.useServer(SERVER);
    first.keep({ token: 'secret', tokenId: 'id', expiresAt: '2999-01-01T00:00:00Z', user: ALICE });
    const second = new PasswordAuth({ storage });
    second.useServer(SERVER);
    expect(second.session).toEqual({ token: 'secret', tokenId: 'id', expiresAt: '2999-01-01T00:00:00Z', user: ALICE });
    expect(second.authorization('secret')).toBe('Bearer secret');
  });
});
