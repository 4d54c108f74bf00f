import * as fs from 'node:fs';
import { openDatabase } from '../../src/db/database';
import { MIGRATIONS } from '../../src/db/migrations';
import { sqliteAccountRepositories } from '../../src/repositories/sqlite/sqliteAccountRepositories';
import { makeDataDir } from '../helpers/testGallery';

it('migration 4 counts existing memberships as set in the gallery, so the hub sync leaves them alone', async () => {
  const dataDir = makeDataDir();
  try {
    const old = openDatabase(dataDir, { fsync: false }, MIGRATIONS.slice(0, 3));
    old.prepare("INSERT INTO users (username, password_hash, created_at) VALUES ('ann', '!', '2025-01-01')").run();
    old.prepare("INSERT INTO groups (name, created_at) VALUES ('physics', '2025-01-01')").run();
    old.prepare("INSERT INTO group_members (group_name, username, role) VALUES ('physics', 'ann', 'owner')").run();
    old.close();
    const db = openDatabase(dataDir, { fsync: false });
    const { groups } = sqliteAccountRepositories(db);
    expect(db.prepare('SELECT source FROM group_members').all()).toEqual([{ source: 'gallery' }]);
    expect(await groups.syncedMemberships(null)).toEqual([]);
    await groups.setSyncedMember('physics', 'ann', 'member');
    await groups.removeSyncedMember('physics', 'ann');
    expect(await groups.members('physics')).toEqual([{ username: 'ann', role: 'owner' }]);
    db.close();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
