import type { LightMyRequestResponse } from 'fastify';
import { sampleNotebook } from '../helpers/fixtures';
import { PREFIX, startHubGallery, type IHubGallery } from './hubGallery';
import { StandInHub } from './standInHub';

/* The hub OAuth code flow for pages opened in the browser, played with app.inject and a hand-kept cookie jar. */

let hub: StandInHub;
let gallery: IHubGallery;

beforeEach(async () => {
  hub = new StandInHub('service-token');
  await hub.start();
  gallery = await startHubGallery(hub);
});

afterEach(async () => {
  await gallery.close();
  await hub.stop();
});

/** name -> value of every cookie a reply sets, and each cookie's attributes. */
function cookiesOf(
  response: LightMyRequestResponse
): Map<string, { value: string; path?: string; httpOnly?: boolean }> {
  // light-my-request 6.6 (pinned for Node 20) types `path` only through its index signature.
  return new Map(
    response.cookies.map(cookie => [
      cookie.name,
      { value: cookie.value, path: cookie.path as string | undefined, httpOnly: cookie.httpOnly }
    ])
  );
}

/** Logs `user` in through the hub; returns the cookie header for later requests and the XSRF token. */
async function logIn(user: string): Promise<{ cookie: string; xsrf: string; response: LightMyRequestResponse }> {
  const start = await gallery.app.inject({ method: 'GET', url: `${PREFIX}/oauth_login?next=${PREFIX}/api/auth/me` });
  expect(start.statusCode).toBe(302);
  const state = cookiesOf(start).get('gallery_hub_oauth')!;
  expect(state).toMatchObject({ path: `${PREFIX}/oauth_callback`, httpOnly: true });
  const { code, state: stateParam, redirectUri } = hub.authorize(user, start.headers.location as string);
  expect(redirectUri).toBe(`${PREFIX}/oauth_callback`);
  const response = await gallery.app.inject({
    method: 'GET',
    url: `${redirectUri}?code=${code}&state=${stateParam}`,
    cookies: { gallery_hub_oauth: state.value }
  });
  const set = cookiesOf(response);
  const token = set.get('gallery_hub_token');
  const xsrf = set.get('gallery_xsrf');
  return {
    cookie: token && xsrf ? `gallery_hub_token=${token.value}; gallery_xsrf=${xsrf.value}` : '',
    xsrf: xsrf?.value ?? '',
    response
  };
}

describe('hub OAuth login', () => {
  it('sends the browser to the hub with state and an S256 PKCE challenge', async () => {
    const start = await gallery.app.inject({ method: 'GET', url: `${PREFIX}/oauth_login` });
    const location = new URL(start.headers.location as string, 'http://hub');
    expect(location.pathname).toBe('/hub/api/oauth2/authorize');
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      client_id: 'service-gallery',
      redirect_uri: `${PREFIX}/oauth_callback`,
      response_type: 'code',
      code_challenge_method: 'S256',
      state: expect.stringMatching(/^[\w-]{32}$/),
      code_challenge: expect.stringMatching(/^[\w-]{43}$/)
    });
  });

  it('keeps the hub token in an HttpOnly cookie for the prefix, and reads with it', async () => {
    hub.addUser('alice');
    const { cookie, response } = await logIn('alice');
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe(`${PREFIX}/api/auth/me`);
    expect(cookiesOf(response).get('gallery_hub_token')).toMatchObject({ path: `${PREFIX}/`, httpOnly: true });
    expect(cookiesOf(response).get('gallery_xsrf')).toMatchObject({ path: `${PREFIX}/` });
    expect(cookiesOf(response).get('gallery_xsrf')?.httpOnly).toBeFalsy();
    const me = await gallery.app.inject({ method: 'GET', url: `${PREFIX}/api/auth/me`, headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'alice' });
  });

  it('refuses a change authenticated by the cookie without the XSRF header, and accepts it with it', async () => {
    hub.addUser('alice');
    const { cookie, xsrf } = await logIn('alice');
    const payload = { notebook: sampleNotebook('from the browser'), title: 'Browser notebook' };
    const url = `${PREFIX}/api/notebooks`;
    for (const headers of [{ cookie }, { cookie, 'x-xsrf-token': 'forged' }]) {
      const refused = await gallery.app.inject({ method: 'POST', url, headers, payload });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ error: 'FORBIDDEN', message: expect.stringMatching(/x-xsrf-token/) });
    }
    const listed = await gallery.app.inject({ method: 'GET', url, headers: { cookie } });
    expect(listed.json().items).toEqual([]);
    const saved = await gallery.app.inject({ method: 'POST', url, headers: { cookie, 'x-xsrf-token': xsrf }, payload });
    expect(saved.statusCode).toBe(201);
  });

  it('refuses a callback whose state does not match, or without the state cookie', async () => {
    hub.addUser('alice');
    const start = await gallery.app.inject({ method: 'GET', url: `${PREFIX}/oauth_login` });
    const state = cookiesOf(start).get('gallery_hub_oauth')!;
    const { code } = hub.authorize('alice', start.headers.location as string);
    const wrongState = await gallery.app.inject({
      method: 'GET',
      url: `${PREFIX}/oauth_callback?code=${code}&state=someone-elses-state`,
      cookies: { gallery_hub_oauth: state.value }
    });
    expect(wrongState.statusCode).toBe(400);
    expect(cookiesOf(wrongState).has('gallery_hub_token')).toBe(false);
    const noCookie = await gallery.app.inject({ method: 'GET', url: `${PREFIX}/oauth_callback?code=${code}&state=x` });
    expect(noCookie.statusCode).toBe(400);
  });

  it('answers 401 when the hub refuses the code (PKCE verifier of another login)', async () => {
    hub.addUser('alice');
    const first = await gallery.app.inject({ method: 'GET', url: `${PREFIX}/oauth_login` });
    const second = await gallery.app.inject({ method: 'GET', url: `${PREFIX}/oauth_login` });
    const { code } = hub.authorize('alice', first.headers.location as string);
    const secondState = new URL(second.headers.location as string, 'http://hub').searchParams.get('state');
    const response = await gallery.app.inject({
      method: 'GET',
      url: `${PREFIX}/oauth_callback?code=${code}&state=${secondState}`,
      cookies: { gallery_hub_oauth: cookiesOf(second).get('gallery_hub_oauth')!.value }
    });
    expect(response.statusCode).toBe(401);
  });

  it('sets no cookie for a user the hub does not give access to the gallery', async () => {
    hub.addUser('mallory');
    const start = await gallery.app.inject({ method: 'GET', url: `${PREFIX}/oauth_login` });
    const { code, state } = hub.authorize('mallory', start.headers.location as string);
    hub.grantedScopes = ['read:users:name!user'];
    const response = await gallery.app.inject({
      method: 'GET',
      url: `${PREFIX}/oauth_callback?code=${code}&state=${state}`,
      cookies: { gallery_hub_oauth: cookiesOf(start).get('gallery_hub_oauth')!.value }
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: 'HUB_ACCESS_DENIED' });
    expect(cookiesOf(response).has('gallery_hub_token')).toBe(false);
  });

  it('never redirects to another site after login', async () => {
    hub.addUser('alice');
    for (const next of ['https://evil.example/', '//evil.example/x', '/hub/home']) {
      const start = await gallery.app.inject({
        method: 'GET',
        url: `${PREFIX}/oauth_login?next=${encodeURIComponent(next)}`
      });
      const { code, state } = hub.authorize('alice', start.headers.location as string);
      const done = await gallery.app.inject({
        method: 'GET',
        url: `${PREFIX}/oauth_callback?code=${code}&state=${state}`,
        cookies: { gallery_hub_oauth: cookiesOf(start).get('gallery_hub_oauth')!.value }
      });
      expect(done.headers.location).toBe(`${PREFIX}/`);
    }
  });
});
