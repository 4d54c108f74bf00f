import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { gallerySql } from '../helpers/backendSql';
import { startTestGallery, type ITestGallery } from '../helpers/testGallery';
import { freePort } from '../helpers/freePort';

/*
 * The whole OpenID Connect popup flow over real HTTP: the gallery, a real oidc-provider, and a browser played by
 * fetch with a cookie jar and manual redirects.
 */

const ORIGIN = 'http://localhost:8888';
let provider: ChildProcess;
let gallery: ITestGallery;
let galleryUrl: string;

async function startProvider(port: number, redirectUri: string): Promise<string> {
  provider = spawn(process.execPath, [path.join(__dirname, '..', 'helpers', 'oidcProvider.mjs')], {
    env: { ...process.env, OIDC_PORT: String(port), OIDC_REDIRECT_URI: redirectUri },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`oidc-provider did not start: ${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    provider.stdout?.on('data', onData);
    provider.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    provider.on('exit', code => reject(new Error(`oidc-provider exited with ${code}: ${output}`)));
  });
}

/** A minimal browser: one cookie jar per host, redirects followed by hand. */
class Browser {
  private readonly _jar = new Map<string, Map<string, string>>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const host = new URL(url).host;
    const cookies = [...(this._jar.get(host) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookies ? { cookie: cookies } : {}) }
    });
    const jar = this._jar.get(host) ?? new Map<string, string>();
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const index = pair.indexOf('=');
      jar.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
    }
    this._jar.set(host, jar);
    return response;
  }

  cookieNames(host: string): string[] {
    return [...(this._jar.get(host)?.keys() ?? [])];
  }
}

beforeAll(async () => {
  const galleryPort = await freePort();
  galleryUrl = `http://127.0.0.1:${galleryPort}`;
  const issuer = await startProvider(await freePort(), `${galleryUrl}/api/auth/oidc/callback`);
  gallery = await startTestGallery({
    'oidc-issuer': issuer,
    'oidc-client-id': 'gallery',
    'oidc-client-secret': 'gallery-secret',
    'oidc-label': 'Test login',
    'public-url': galleryUrl,
    'cors-origins': ORIGIN
  });
  await gallery.app.listen({ host: '127.0.0.1', port: galleryPort });
}, 30_000);

afterAll(async () => {
  await gallery?.close();
  provider?.kill();
});

/**
 * Follows the popup from sso/start (or the web pages' login from `start`) through the provider's login and consent;
 * answers the callback URL.
 */
async function throughProvider(
  browser: Browser,
  ssoLoginUrl: string,
  login = 'alice',
  start = `${ssoLoginUrl}?origin=${encodeURIComponent(ORIGIN)}`
): Promise<string> {
  let response = await browser.fetch(start);
  expect(response.status).toBe(302);
  const stateCookie = response.headers.getSetCookie().find(cookie => cookie.startsWith('gallery_oidc='));
  expect(stateCookie).toMatch(/Path=\/api\/auth\/oidc\/callback/);
  expect(stateCookie).toMatch(/HttpOnly/);
  expect(stateCookie).toMatch(/SameSite=Lax/);
  let url = new URL(response.headers.get('location') as string, galleryUrl).href;
  expect(url).toMatch(/code_challenge_method=S256/);

  for (let step = 0; step < 20 && !url.startsWith(`${galleryUrl}/api/auth/oidc/callback`); step++) {
    response = await browser.fetch(url);
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location') as string, url).href;
      continue;
    }
    const html = await response.text();
    expect(response.status).toBe(200);
    const action = new URL(/action="([^"]+)"/.exec(html)?.[1] as string, url).href;
    const form: Record<string, string> = html.includes('name="login"')
      ? { prompt: 'login', login, password: 'anything' }
      : { prompt: 'consent' };
    response = await browser.fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString()
    });
    expect(response.status).toBeGreaterThanOrEqual(300);
    url = new URL(response.headers.get('location') as string, action).href;
  }
  expect(url.startsWith(`${galleryUrl}/api/auth/oidc/callback`)).toBe(true);
  return url;
}

it('logs a new user in through the provider and posts a working token to the allowed origin only', async () => {
  const browser = new Browser();
  const config = (await (await fetch(`${galleryUrl}/api/auth/config`)).json()) as { ssoLoginUrl: string };
  expect(config).toMatchObject({ ssoLoginUrl: `${galleryUrl}/api/auth/sso/start`, ssoLabel: 'Test login' });

  const refused = await browser.fetch(`${config.ssoLoginUrl}?origin=${encodeURIComponent('https://evil.example')}`);
  expect(refused.status).toBe(400);

  const url = await throughProvider(browser, config.ssoLoginUrl);

  const page = await browser.fetch(url);
  const html = await page.text();
  expect([page.status, html.slice(0, 300)]).toEqual([200, expect.any(String)]);
  expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'sha256-/);
  expect(page.headers.get('cache-control')).toBe('no-store');
  expect(html).toContain(`"origin":"${ORIGIN}"`);
  expect(html).toContain('postMessage(d.message, d.origin)');
  expect(html).not.toContain("'*'");
  const token = /"token":"(ngp_[^"]+)"/.exec(html)?.[1] as string;
  expect(html).toContain('"type":"notebook-gallery:token"');

  const me = await fetch(`${galleryUrl}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(await me.json()).toEqual({ username: 'alice', isAdmin: false });
  const tokens = await fetch(`${galleryUrl}/api/tokens`, { headers: { authorization: `Bearer ${token}` } });
  const tokenId = /"tokenId":"([^"]+)"/.exec(html)?.[1] as string;
  expect(((await tokens.json()) as { items: unknown[] }).items).toEqual([
    expect.objectContaining({ id: tokenId, name: `JupyterLab (${ORIGIN})`, kind: 'session' })
  ]);

  // The page carries the token's id, so logging out in JupyterLab can revoke it.
  const revoke = await fetch(`${galleryUrl}/api/tokens/${tokenId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}` }
  });
  expect(revoke.status).toBe(204);
  const afterRevoke = await fetch(`${galleryUrl}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(afterRevoke.status).toBe(401);

  // The state cookie is single-use: replaying the callback fails.
  const replay = await browser.fetch(url);
  expect(replay.status).toBe(400);
}, 30_000);

it('refuses a disabled account at the callback with a clear message, minting nothing', async () => {
  await gallery.app.accounts.externalUser('bert');
  await gallery.app.accounts.setDisabled('bert', true, null);
  const browser = new Browser();
  const callback = await browser.fetch(await throughProvider(browser, `${galleryUrl}/api/auth/sso/start`, 'bert'));
  expect(callback.status).toBe(401);
  expect(((await callback.json()) as { message: string }).message).toBe(
    'The gallery account "bert" is disabled; ask a gallery admin to enable it'
  );
  const tokens = await gallerySql(gallery, "SELECT COUNT(*) AS n FROM api_tokens WHERE username = 'bert'");
  expect(tokens).toEqual([{ n: 0 }]);
}, 30_000);

it('fails fast with a clear message when the issuer cannot be reached', async () => {
  const port = await freePort();
  await expect(
    startTestGallery({
      'oidc-issuer': `http://127.0.0.1:${port}`,
      'oidc-client-id': 'gallery',
      'public-url': 'http://127.0.0.1:8765'
    })
  ).rejects.toThrow(/--oidc-issuer http:\/\/127\.0\.0\.1:\d+: OpenID Connect discovery failed/);
});

it('logs in to the web pages through the provider and comes back to the page, with the session cookie', async () => {
  const browser = new Browser();
  const loginPage = await browser.fetch(`${galleryUrl}/login?next=%2Fn%2Fsome-notebook`);
  const html = await loginPage.text();
  expect(html).toContain('href="/login/oidc?next=%2Fn%2Fsome-notebook">Log in with Test login</a>');
  const start = `${galleryUrl}/login/oidc?next=%2Fn%2Fsome-notebook`;
  const url = await throughProvider(browser, '', 'carla', start);
  const back = await browser.fetch(url);
  expect(back.status).toBe(303);
  expect(back.headers.get('location')).toBe('/n/some-notebook');
  const session = back.headers.getSetCookie().find(cookie => cookie.startsWith('gallery_session='));
  expect(session).toMatch(/HttpOnly/);
  expect(session).toMatch(/SameSite=Lax/);
  const me = await fetch(`${galleryUrl}/api/auth/me`, { headers: { cookie: (session as string).split(';')[0] } });
  expect(await me.json()).toEqual({ username: 'carla', isAdmin: false });
}, 30_000);

it('never sends a web pages login back to another site', async () => {
  const browser = new Browser();
  const url = await throughProvider(
    browser,
    '',
    'dana',
    `${galleryUrl}/login/oidc?next=${encodeURIComponent('//evil.example/x')}`
  );
  const back = await browser.fetch(url);
  expect(back.status).toBe(303);
  expect(back.headers.get('location')).toBe('/');
}, 30_000);
