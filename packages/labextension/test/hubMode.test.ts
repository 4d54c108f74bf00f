import { fakeSettings } from './fakeSettings';
import { ErrorCode } from '@notebook-gallery/core';
import { GalleryError } from '../src/galleryError';
import { HubTokenAuth } from '../src/services/auth/hubTokenAuth';
import { PasswordAuth } from '../src/services/auth/passwordAuth';
import { connectClient } from '../src/services/connectClient';
import { HubConnection } from '../src/services/hubConnection';
import { GallerySettings } from '../src/services/settings';
import { FakeGallery, MemoryStorage, SERVER, storedSession, trans } from './helpers';

const PAGE = 'http://localhost';
const SERVICE = '/services/gallery';
const ALICE = { username: 'alice', isAdmin: false };
const HUB = { hubPrefix: '/hub/', hubHost: '', token: 'hub-token' };
const ASK_ADMIN =
  'Ask your JupyterHub administrator for access to the gallery: your token lacks access:services!service=gallery.';
const EMPTY_PAGE = { status: 200, body: { items: [], nextCursor: null } };

/** The extension's client as index.ts builds it, for a page inside `hub` (or outside any hub). */
function setUp(gallery: FakeGallery, options: { hub?: typeof HUB | null; serverUrl?: string; storage?: Storage } = {}) {
  const hub = options.hub === undefined ? HUB : options.hub;
  const values = fakeSettings({ serverUrl: options.serverUrl ?? '', hubServiceName: 'gallery', folder: 'gallery' });
  const settings = new GallerySettings({ hub, pageOrigin: PAGE });
  settings.follow(values.settings);
  const storage = options.storage ?? new MemoryStorage();
  const client = connectClient({ settings, hub, trans, fetch: gallery.fetch, storage });
  const connection = new HubConnection(client);
  return { client, connection, storage, edit: values.edit };
}

/** Wait until `connection` settles on something other than connecting. */
async function settled(connection: HubConnection): Promise<void> {
  await connection.connect();
}

describe('HubTokenAuth', () => {
  it('presents the page token with JupyterHub’s scheme and offers no gallery login', () => {
    const auth = new HubTokenAuth({ token: ' hub-token ' });
    expect(auth.authorization('hub-token')).toBe('token hub-token');
    expect(auth.ambientToken).toBe('hub-token');
    expect(auth.canLogIn).toBe(false);
    expect(auth.session).toBeNull();
  });

  it('has no token to present when the page holds none', () => {
    expect(new HubTokenAuth({ token: '' }).ambientToken).toBeNull();
  });
});

describe('the client outside a hub', () => {
  it('uses the password login kept for the local default server, sent as a bearer token', async () => {
    const gallery = new FakeGallery().on('GET', '/api/notebooks', EMPTY_PAGE);
    const storage = new MemoryStorage();
    storage.setItem(`notebook-gallery:auth:${SERVER}`, storedSession('session-token'));
    const { client } = setUp(gallery, { hub: null, storage });

    expect(client.auth).toBeInstanceOf(PasswordAuth);
    expect(client.auth.canLogIn).toBe(true);
    expect(client.serverUrl).toBe(SERVER);
    await client.listNotebooks();
    expect(gallery.sent[0].url).toBe(`${SERVER}/api/notebooks`);
    expect(gallery.sent[0].authorization).toBe('Bearer session-token');
  });
});

describe('the client inside a hub', () => {
  it('logs in as the hub user with the page token, without storing anything', async () => {
    const gallery = new FakeGallery()
      .on('GET', `${SERVICE}/api/auth/me`, { status: 200, body: ALICE })
      .on('GET', `${SERVICE}/api/notebooks`, EMPTY_PAGE);
    const { client, connection, storage } = setUp(gallery);
    expect(client.auth).toBeInstanceOf(HubTokenAuth);

    await settled(connection);

    expect(connection.status).toBe('connected');
    expect(client.isLoggedIn).toBe(true);
    expect(client.user).toEqual(ALICE);
    const [me] = gallery.requests('GET', `${SERVICE}/api/auth/me`);
    expect(me.url).toBe('http://localhost/services/gallery/api/auth/me');
    expect(me.authorization).toBe('token hub-token');
    await client.listNotebooks();
    expect(gallery.requests('GET', `${SERVICE}/api/notebooks`)[0].authorization).toBe('token hub-token');
    expect(storage.length).toBe(0);
    expect(window.localStorage.length).toBe(0);
  });

  it('shows the server’s “ask your administrator” message when the token lacks the access scope (403)', async () => {
    const gallery = new FakeGallery().on('GET', `${SERVICE}/api/auth/me`, {
      status: 403,
      body: { error: 'HUB_ACCESS_DENIED', message: ASK_ADMIN }
    });
    const { client, connection } = setUp(gallery);

    await settled(connection);

    expect(connection.status).toBe('denied');
    expect(connection.error?.message).toBe(ASK_ADMIN);
    expect(client.isLoggedIn).toBe(false);
  });

  it('says the login was refused when the server does not know the token (401)', async () => {
    const gallery = new FakeGallery().on('GET', `${SERVICE}/api/auth/me`, {
      status: 401,
      body: { error: ErrorCode.UNAUTHORIZED, message: 'Your JupyterHub token is not valid.' }
    });
    const { connection } = setUp(gallery);
    await settled(connection);
    expect(connection.status).toBe('denied');
    expect(connection.error?.status).toBe(401);
    expect(connection.error?.message).toBe('Your JupyterHub token is not valid.');
  });

  it('says the hub is unreachable on 503 HUB_UNAVAILABLE, and connects on Try again once it is back', async () => {
    let hubUp = false;
    const gallery = new FakeGallery()
      .on('GET', `${SERVICE}/api/auth/me`, () =>
        hubUp
          ? { status: 200, body: ALICE }
          : { status: 503, body: { error: 'HUB_UNAVAILABLE', message: 'JupyterHub did not answer at its API URL.' } }
      )
      .on('GET', `${SERVICE}/api/notebooks`, EMPTY_PAGE);
    const { client, connection } = setUp(gallery);

    await settled(connection);
    expect(connection.status).toBe('unreachable');
    expect(connection.error?.message).toBe('JupyterHub did not answer at its API URL.');

    hubUp = true;
    await connection.connect();
    expect(connection.status).toBe('connected');
    expect(client.user).toEqual(ALICE);
  });

  it('says the gallery service could not be reached on a network error, naming the hub', async () => {
    const gallery = new FakeGallery().on('GET', `${SERVICE}/api/auth/me`, 'network-error');
    const { connection } = setUp(gallery);
    await settled(connection);
    expect(connection.status).toBe('unreachable');
    expect(connection.error?.code).toBe(ErrorCode.NETWORK_ERROR);
    expect(connection.error?.message).toContain('could not be reached through JupyterHub');
    expect(connection.error?.message).not.toContain('Settings');
  });

  it('asks nothing of the server when the page holds no token, and says so', async () => {
    const gallery = new FakeGallery();
    const { connection } = setUp(gallery, { hub: { ...HUB, token: '' } });
    await settled(connection);
    expect(connection.status).toBe('noToken');
    expect(gallery.sent).toHaveLength(0);
  });

  it('shows the denial when access is taken away during the session (403 on a listing)', async () => {
    let allowed = true;
    const denied = { status: 403, body: { error: 'HUB_ACCESS_DENIED', message: ASK_ADMIN } };
    const gallery = new FakeGallery()
      .on('GET', `${SERVICE}/api/auth/me`, () => (allowed ? { status: 200, body: ALICE } : denied))
      .on('GET', `${SERVICE}/api/notebooks`, () => (allowed ? EMPTY_PAGE : denied));
    const { client, connection } = setUp(gallery);
    await settled(connection);
    expect(connection.status).toBe('connected');
    const statuses: string[] = [];
    connection.stateChanged.connect(() => statuses.push(connection.status));

    allowed = false;
    await expect(client.listNotebooks()).rejects.toBeInstanceOf(GalleryError);
    expect(client.isLoggedIn).toBe(false);
    await new Promise<void>(resolve => {
      if (connection.status === 'denied') {
        resolve();
      }
      connection.stateChanged.connect(() => connection.status === 'denied' && resolve());
    });
    expect(statuses).toEqual(['connecting', 'denied']);
    expect(connection.error?.message).toBe(ASK_ADMIN);
  });

  it('keeps the login on an ordinary 403 (not a manager of that notebook)', async () => {
    const gallery = new FakeGallery()
      .on('GET', `${SERVICE}/api/auth/me`, { status: 200, body: ALICE })
      .on('GET', `${SERVICE}/api/notebooks/nb-1/sharing`, {
        status: 403,
        body: { error: ErrorCode.FORBIDDEN, message: 'Only managers can see sharing.' }
      });
    const { client, connection } = setUp(gallery);
    await settled(connection);
    await expect(client.getSharing('nb-1')).rejects.toThrow('Only managers can see sharing.');
    expect(client.isLoggedIn).toBe(true);
  });

  it('offers no gallery logout, password change or registration: the hub owns the login', async () => {
    const gallery = new FakeGallery().on('GET', `${SERVICE}/api/auth/me`, { status: 200, body: ALICE });
    const { client, connection } = setUp(gallery);
    await settled(connection);

    await client.logout();
    expect(client.isLoggedIn).toBe(true);
    for (const attempt of [
      client.changePassword({ currentPassword: 'a', newPassword: 'b' }),
      client.signOutEverywhere(),
      client.login('alice', 'pw'),
      client.register({ username: 'alice', password: 'a long password' })
    ]) {
      await expect(attempt).rejects.toThrow('through JupyterHub');
    }
    // Only the identity check went to the server.
    expect(gallery.sent.map(request => request.path)).toEqual([`${SERVICE}/api/auth/me`]);
  });

  it('sends the hub token only to the hub’s service: an explicit server URL gets the gallery’s own login', async () => {
    const gallery = new FakeGallery()
      .on('GET', '/api/auth/config', { status: 200, body: { password: true, registration: 'closed' } })
      .on('GET', `${SERVICE}/api/auth/me`, { status: 200, body: ALICE });
    const { client, connection, edit } = setUp(gallery, { serverUrl: 'https://gallery.example.org' });
    await settled(connection);

    expect(client.serverUrl).toBe('https://gallery.example.org');
    expect(client.auth.canLogIn).toBe(true);
    expect(connection.status).toBe('inactive');
    await client.authConfig();
    expect(gallery.sent.every(request => request.authorization === undefined)).toBe(true);

    // Clearing the setting goes back to the hub's service, without a reload.
    edit('serverUrl', '');
    await settled(connection);
    expect(client.serverUrl).toBe('http://localhost/services/gallery');
    expect(connection.status).toBe('connected');
    expect(client.user).toEqual(ALICE);
  });
});
