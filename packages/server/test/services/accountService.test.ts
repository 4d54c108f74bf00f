import * as fs from 'node:fs';
import { openDatabase, type GalleryDatabase } from '../../src/db/database';
import { sqliteAccountRepositories } from '../../src/repositories/sqlite/sqliteAccountRepositories';
import { AccountService } from '../../src/services/accountService';
import { makeDataDir } from '../helpers/testGallery';

/* The account service over a real SQLite file, with a clock the test moves. */

let dataDir: string;
let db: GalleryDatabase;
let now: Date;
let accounts: AccountService;

beforeEach(() => {
  dataDir = makeDataDir();
  db = openDatabase(dataDir, { fsync: false });
  now = new Date('2026-01-01T00:00:00.000Z');
  accounts = new AccountService(sqliteAccountRepositories(db), { apiTokenTtlSeconds: 3600, now: () => now });
});

afterEach(() => {
  db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const lastUsedAt = (id: string) =>
  (db.prepare('SELECT last_used_at FROM api_tokens WHERE id = ?').get(id) as { last_used_at: string | null })
    .last_used_at;

it("writes a token's last_used_at at most once a minute, however often it is used", async () => {
  await accounts.add('ann', 'ann-password');
  const created = await accounts.createToken('ann', 'laptop', 'personal', null);
  expect(lastUsedAt(created.id)).toBeNull();
  await accounts.userOfToken(created.token);
  expect(lastUsedAt(created.id)).toBe('2026-01-01T00:00:00.000Z');
  for (const seconds of [1, 30, 59]) {
    now = new Date(Date.parse('2026-01-01T00:00:00.000Z') + seconds * 1000);
    await accounts.userOfToken(created.token);
    expect(lastUsedAt(created.id)).toBe('2026-01-01T00:00:00.000Z');
  }
  now = new Date('2026-01-01T00:01:00.000Z');
  await accounts.userOfToken(created.token);
  expect(lastUsedAt(created.id)).toBe('2026-01-01T00:01:00.000Z');
});

it('refuses a token once the clock passes its expiry', async () => {
  await accounts.add('bea', 'bea-password');
  const created = await accounts.createToken('bea', 'short', 'session', accounts.tokenExpiry());
  expect((await accounts.userOfToken(created.token)).user).toEqual({ username: 'bea', isAdmin: false });
  now = new Date(now.getTime() + 3600 * 1000);
  await expect(accounts.userOfToken(created.token)).rejects.toThrow(/unknown, revoked or expired/);
});
