import type { ISsoTokenMessage } from '@notebook-gallery/core';
import { SsoLoginError, waitForSsoToken, type ISsoHost, type ISsoPopup } from '../src/services/auth/ssoLogin';
import { trans } from './helpers';

const LAB_ORIGIN = 'http://localhost:8888';
const TOKEN: ISsoTokenMessage = {
  type: 'notebook-gallery:token',
  token: 'sso-secret',
  tokenId: 'tok-1',
  expiresAt: null,
  user: { username: 'alice', isAdmin: false }
};

/** A window that opens a fake popup and lets the test post messages and tick the close check. */
class FakeHost implements ISsoHost {
  readonly location = { origin: LAB_ORIGIN };
  opened: string[] = [];
  popup: ISsoPopup & { closed: boolean } = {
    closed: false,
    close: () => {
      this.popup.closed = true;
    }
  };
  blocked = false;
  listeners = new Set<(event: MessageEvent) => void>();
  tick: (() => void) | null = null;

  open(url: string): ISsoPopup | null {
    this.opened.push(url);
    return this.blocked ? null : this.popup;
  }
  addEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.listeners.delete(listener);
  }
  setInterval(handler: () => void): number {
    this.tick = handler;
    return 1;
  }
  clearInterval(): void {
    this.tick = null;
  }
  post(origin: string, data: unknown, source: unknown = this.popup): void {
    for (const listener of [...this.listeners]) {
      listener({ origin, data, source } as unknown as MessageEvent);
    }
  }
}

function start(host: FakeHost, ssoLoginUrl: string, serverUrl = 'http://127.0.0.1:8765'): Promise<ISsoTokenMessage> {
  return waitForSsoToken({ ssoLoginUrl, serverUrl, trans, host });
}

describe('single sign-on popup', () => {
  it('accepts the token from the server’s public origin even when the settings use another address', async () => {
    const host = new FakeHost();
    const login = start(host, 'http://localhost:8765/api/auth/sso/start');
    expect(host.opened).toEqual([`http://localhost:8765/api/auth/sso/start?origin=${encodeURIComponent(LAB_ORIGIN)}`]);
    host.post('http://localhost:8765', TOKEN);
    await expect(login).resolves.toEqual(TOKEN);
    expect(host.popup.closed).toBe(true);
    expect(host.listeners.size).toBe(0);
  });

  it('accepts the token from the configured server origin too', async () => {
    const host = new FakeHost();
    const login = start(host, '/api/auth/sso/start');
    expect(host.opened[0]).toMatch(/^http:\/\/127\.0\.0\.1:8765\/api\/auth\/sso\/start\?origin=/);
    host.post('http://127.0.0.1:8765', TOKEN);
    await expect(login).resolves.toEqual(TOKEN);
  });

  it('refuses a token from any other origin and says what to ask the administrator', async () => {
    const host = new FakeHost();
    const login = start(host, 'https://gallery.example.org/api/auth/sso/start');
    host.post('https://evil.example', TOKEN);
    const error = await login.catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(SsoLoginError);
    expect((error as Error).message).toContain('https://evil.example');
    expect((error as Error).message).toContain('--public-url');
    expect(host.popup.closed).toBe(true);
  });

  it('ignores messages from other windows and messages that are not a token', async () => {
    const host = new FakeHost();
    const login = start(host, 'https://gallery.example.org/api/auth/sso/start');
    host.post('https://gallery.example.org', TOKEN, {});
    host.post('https://gallery.example.org', { type: 'something-else' });
    host.post('https://evil.example', { type: 'notebook-gallery:token', token: '' });
    host.post('https://gallery.example.org', TOKEN);
    await expect(login).resolves.toEqual(TOKEN);
  });

  it('fails with a readable message when the popup closes without a token, instead of waiting forever', async () => {
    const host = new FakeHost();
    const login = start(host, '/api/auth/sso/start');
    host.popup.closed = true;
    host.tick?.();
    await expect(login).rejects.toThrow(/closed without logging you in.*--public-url/);
    expect(host.listeners.size).toBe(0);
  });

  it('says so when the browser blocks the popup', async () => {
    const host = new FakeHost();
    host.blocked = true;
    await expect(start(host, '/api/auth/sso/start')).rejects.toThrow('Allow pop-ups');
  });

  it('says so when the server URL is not an address', async () => {
    const host = new FakeHost();
    await expect(start(host, '/sso', 'not a url')).rejects.toThrow('not a valid address');
    expect(host.opened).toEqual([]);
  });
});
