import { startTestGallery, type ITestGallery } from '../helpers/testGallery';

/*
 * Ending sessions: a password change signs the user out everywhere else, "sign out everywhere" everywhere, and an
 * admin disabling an account stops all of its credentials at once. Personal tokens outlive the first two.
 */

let gallery: ITestGallery;

beforeAll(async () => {
  gallery = await startTestGallery();
}, 60_000);

afterAll(async () => {
  await gallery.close();
});

const me = (token: string) => gallery.request(token, { method: 'GET', url: '/api/auth/me' });
const status = async (token: string) => (await me(token)).statusCode;
const loginAs = async (username: string, password = `${username}-password`) => {
  const response = await gallery.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password }
  });
  expect(response.statusCode).toBe(200);
  return response.json().token as string;
};
const createToken = async (token: string, kind?: 'personal' | 'session') => {
  const response = await gallery.request(token, {
    method: 'POST',
    url: '/api/tokens',
    payload: { name: `a ${kind ?? 'default'} token`, ...(kind ? { kind } : {}) }
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { token: string; id: string; kind: string };
};
const changePassword = (token: string, currentPassword: string, newPassword: string) =>
  gallery.request(token, { method: 'POST', url: '/api/auth/password', payload: { currentPassword, newPassword } });

describe('password change', () => {
  it('made with a login token ends every other login and session token, keeping itself and personal tokens', async () => {
    const mine = await gallery.login('ann');
    const stolenJwt = await loginAs('ann');
    const stolenSession = await createToken(stolenJwt, 'session');
    const personal = await createToken(mine);
    expect(personal.kind).toBe('personal');
    for (const token of [mine, stolenJwt, stolenSession.token, personal.token]) {
      expect(await status(token)).toBe(200);
    }
    expect((await changePassword(mine, 'ann-password', 'a new password')).statusCode).toBe(204);
    expect(await status(stolenJwt)).toBe(401);
    expect((await me(stolenJwt)).json().message).toMatch(/signed out/);
    expect(await status(stolenSession.token)).toBe(401);
    expect(await status(mine)).toBe(200);
    expect(await status(personal.token)).toBe(200);
    const left = (await gallery.request(mine, { method: 'GET', url: '/api/tokens' })).json().items;
    expect(left.map((token: { id: string }) => token.id)).toEqual([personal.id]);
    // The changing session can change it again, which then ends nothing it still needs.
    expect((await changePassword(mine, 'a new password', 'a newer password')).statusCode).toBe(204);
    expect(await status(mine)).toBe(200);
    expect(await status(await loginAs('ann', 'a newer password'))).toBe(200);
  });

  it('made with a session token ends every login and every other session token, keeping itself and personal tokens', async () => {
    const jwt = await gallery.login('bea');
    const session = await createToken(jwt, 'session');
    const otherSession = await createToken(jwt, 'session');
    const personal = await createToken(jwt, 'personal');
    expect((await changePassword(session.token, 'bea-password', 'a new password')).statusCode).toBe(204);
    expect(await status(jwt)).toBe(401);
    expect(await status(otherSession.token)).toBe(401);
    expect(await status(session.token)).toBe(200);
    expect(await status(personal.token)).toBe(200);
  });

  it('ends nothing when the current password is wrong', async () => {
    const jwt = await gallery.login('cal');
    const other = await loginAs('cal');
    expect((await changePassword(jwt, 'wrong password', 'a new password')).statusCode).toBe(401);
    expect(await status(other)).toBe(200);
  });
});

describe('sign out everywhere', () => {
  it('ends every login and session token, the caller included, and keeps personal tokens', async () => {
    const jwt = await gallery.login('dan');
    const otherJwt = await loginAs('dan');
    const session = await createToken(jwt, 'session');
    const personal = await createToken(jwt);
    const response = await gallery.request(session.token, { method: 'POST', url: '/api/auth/sign-out-everywhere' });
    expect(response.statusCode).toBe(204);
    for (const token of [jwt, otherJwt, session.token]) {
      expect(await status(token)).toBe(401);
    }
    expect(await status(personal.token)).toBe(200);
    expect(await status(await loginAs('dan'))).toBe(200);
  });

  it('ends the login token that asked for it', async () => {
    const jwt = await gallery.login('eva');
    expect((await gallery.request(jwt, { method: 'POST', url: '/api/auth/sign-out-everywhere' })).statusCode).toBe(204);
    expect(await status(jwt)).toBe(401);
  });
});

describe('disabling an account', () => {
  let admin: string;

  beforeAll(async () => {
    admin = await gallery.login('ada', { admin: true });
  }, 60_000);

  const patch = (token: string, username: string, disabled: boolean) =>
    gallery.request(token, { method: 'PATCH', url: `/api/admin/users/${username}`, payload: { disabled } });

  it('stops its login, session and personal tokens at once, refuses its password, and is audited', async () => {
    const jwt = await gallery.login('fin');
    const session = await createToken(jwt, 'session');
    const personal = await createToken(jwt, 'personal');
    const response = await patch(admin, 'fin', true);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ username: 'fin', isAdmin: false, disabled: true, createdAt: expect.any(String) });
    for (const token of [jwt, session.token, personal.token]) {
      expect(await status(token)).toBe(401);
    }
    const login = await gallery.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'fin', password: 'fin-password' }
    });
    expect(login.statusCode).toBe(401);
    const users = (await gallery.request(admin, { method: 'GET', url: '/api/admin/users' })).json().items;
    expect(users).toContainEqual(expect.objectContaining({ username: 'fin', disabled: true }));
    expect(users).toContainEqual(expect.objectContaining({ username: 'ada', isAdmin: true, disabled: false }));
    const audit = (await gallery.request(admin, { method: 'GET', url: '/api/admin/audit' })).json().items;
    expect(audit[0]).toMatchObject({ actor: 'ada', action: 'user.disable', target: 'user:fin' });

    // Enabling lets the password and the personal token work again; the sessions stay ended.
    expect((await patch(admin, 'fin', false)).json().disabled).toBe(false);
    expect(await status(personal.token)).toBe(200);
    expect(await status(session.token)).toBe(401);
    expect(await status(jwt)).toBe(401);
    expect(await status(await loginAs('fin'))).toBe(200);
  });

  it('is for admins only, never on themselves, and names unknown users', async () => {
    const gus = await gallery.login('gus');
    expect((await patch(gus, 'ada', true)).statusCode).toBe(403);
    expect((await gallery.request(gus, { method: 'GET', url: '/api/admin/users' })).statusCode).toBe(403);
    const self = await patch(admin, 'ada', true);
    expect(self.statusCode).toBe(400);
    expect(self.json().message).toMatch(/^You cannot disable your own account: .*no admin might be left/);
    expect(await status(admin)).toBe(200);
    const unknown = await patch(admin, 'nobody', true);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toBe('USER_NOT_FOUND');
  });
});
