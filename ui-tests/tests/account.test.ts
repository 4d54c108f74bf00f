/**
 * A user who never opens a terminal can manage their account from the sidebar: make a token for
 * a script, revoke it, and change their password.
 */
import type { Page } from 'playwright-core';
import { openLab, screenshot } from '../support/browser';
import { IStack, logInFromSidebar, startStack } from '../support/stack';

const OLD_PASSWORD = 'a long enough passphrase';
const NEW_PASSWORD = 'an even longer passphrase';

describe('the Account dialog', () => {
  let stack: IStack;
  let page: Page;

  /** Status of `GET /api/auth/me` with `token`, asked from outside the browser as a script would. */
  async function meStatus(token: string): Promise<number> {
    const response = await fetch(`${stack.gallery.url}/api/auth/me`, {
      headers: { Authorization: `Bearer ${token}` }
    });
    return response.status;
  }

  /** A token made outside the browser with carol's password, as a second device or a thief would hold one. */
  async function tokenFromAnotherDevice(password: string, kind: 'session' | 'personal'): Promise<string> {
    const login = await fetch(`${stack.gallery.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'carol', password })
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const created = await fetch(`${stack.gallery.url}/api/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: `another ${kind}`, kind })
    });
    expect(created.status).toBe(201);
    return ((await created.json()) as { token: string }).token;
  }

  /** The session token this JupyterLab keeps for the gallery (in localStorage, one per server). */
  async function labToken(): Promise<string | null> {
    return page.evaluate(() => {
      for (let i = 0; i < window.localStorage.length; i++) {
        const key = window.localStorage.key(i) ?? '';
        if (key.includes('notebook-gallery')) {
          const value = window.localStorage.getItem(key) ?? '';
          try {
            return (JSON.parse(value) as { token?: string }).token ?? null;
          } catch {
            return null;
          }
        }
      }
      return null;
    });
  }

  async function loginStatus(password: string): Promise<number> {
    const response = await fetch(`${stack.gallery.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'carol', password })
    });
    return response.status;
  }

  beforeAll(async () => {
    stack = await startStack({ carol: OLD_PASSWORD });
    page = await (await stack.browser.newContext()).newPage();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  afterEach(async () => {
    await screenshot(page, 'account');
  });

  it('creates and revokes a personal access token, then changes the password', async () => {
    await openLab(page, stack.lab.url);
    const sidebar = await logInFromSidebar(page, 'carol', OLD_PASSWORD);
    await sidebar.getByRole('button', { name: 'Account', exact: true }).click();
    const dialog = page.locator('.jp-Dialog');
    await dialog.getByText('Your gallery account').waitFor();

    // This JupyterLab's own login is one of the listed tokens, shown as a session.
    const tokens = dialog.getByRole('list');
    const ownToken = tokens.getByRole('listitem').filter({ hasText: '(this JupyterLab)' });
    await ownToken.waitFor();
    await ownToken.getByText('Session', { exact: true }).waitFor();
    const ownSecret = await labToken();
    expect(ownSecret).not.toBeNull();
    expect(await meStatus(ownSecret!)).toBe(200);

    await dialog.getByLabel('Token name', { exact: true }).fill('nightly script');
    await dialog.getByRole('button', { name: 'Create token' }).click();
    const secretInput = dialog.getByLabel('New token', { exact: true });
    await secretInput.waitFor();
    const secret = await secretInput.inputValue();
    expect(secret.length).toBeGreaterThan(10);
    await dialog.getByText('Copy it now: it will not be shown again.').waitFor();
    const revoke = dialog.getByRole('button', { name: 'Revoke nightly script' });
    await revoke.waitFor();
    expect(await meStatus(secret)).toBe(200);
    await screenshot(page, 'account-new-token');

    await revoke.click();
    await revoke.waitFor({ state: 'detached' });
    expect(await meStatus(secret)).toBe(401);

    // Mismatched new passwords are caught before anything is sent.
    await dialog.getByLabel('Current password', { exact: true }).fill(OLD_PASSWORD);
    await dialog.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await dialog.getByLabel('Repeat new password', { exact: true }).fill(`${NEW_PASSWORD}!`);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'do not match' }).waitFor();

    // A login left open on another device, and a script's personal token, both made before the change.
    const otherSession = await tokenFromAnotherDevice(OLD_PASSWORD, 'session');
    const scriptToken = await tokenFromAnotherDevice(OLD_PASSWORD, 'personal');
    expect(await meStatus(otherSession)).toBe(200);

    await dialog.getByLabel('Repeat new password', { exact: true }).fill(NEW_PASSWORD);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Password changed.' }).waitFor();
    expect(await loginStatus(NEW_PASSWORD)).toBe(200);
    expect(await loginStatus(OLD_PASSWORD)).toBe(401);
    // The other device is signed out; the script and this JupyterLab keep working.
    expect(await meStatus(otherSession)).toBe(401);
    expect(await meStatus(scriptToken)).toBe(200);
    expect(await meStatus(ownSecret!)).toBe(200);
    // The user learns what the change did to their other logins and to their tokens.
    await dialog
      .getByRole('status')
      .filter({ hasText: 'Personal access tokens you created by name keep working' })
      .waitFor();

    await screenshot(page, 'account-password-changed');

    // Sign out everywhere asks first, in place, because it logs this JupyterLab out too.
    await dialog.getByRole('button', { name: 'Sign out everywhere', exact: true }).click();
    await dialog.getByText('This JupyterLab will be logged out too.').waitFor();
    await dialog.getByRole('button', { name: 'Cancel signing out everywhere' }).click();
    await dialog.getByRole('button', { name: 'Sign out everywhere', exact: true }).waitFor();

    // Both themes, for a look at the dialog's own colours.
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Dark' })
    );
    await page.locator('body[data-jp-theme-light="false"]').waitFor({ state: 'attached' });
    await screenshot(page, 'account-dark');
    await page.evaluate(() =>
      (window as any).jupyterapp.commands.execute('apputils:change-theme', { theme: 'JupyterLab Light' })
    );
    await page.locator('body[data-jp-theme-light="true"]').waitFor({ state: 'attached' });

    // Changing the password keeps this JupyterLab logged in.
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await dialog.waitFor({ state: 'detached' });
    await sidebar.getByLabel('Search the gallery').waitFor();

    // Sign out everywhere ends this JupyterLab's login too, says so, and leaves the script's token working.
    await sidebar.getByRole('button', { name: 'Account', exact: true }).click();
    await dialog.getByRole('button', { name: 'Sign out everywhere', exact: true }).click();
    await dialog.getByRole('button', { name: 'Sign out everywhere now' }).click();
    await dialog.waitFor({ state: 'detached' });
    await sidebar.getByText('You signed out everywhere').waitFor();
    await sidebar.getByLabel('Username').waitFor();
    await screenshot(page, 'account-signed-out-everywhere');
    expect(await meStatus(ownSecret!)).toBe(401);
    expect(await meStatus(scriptToken)).toBe(200);
  });
});
