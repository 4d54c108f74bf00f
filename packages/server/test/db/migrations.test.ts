import * as fs from 'node:fs';
import { openDatabase } from '../../src/db/database';
import { MIGRATIONS } from '../../src/db/migrations';
import { makeDataDir } from '../helpers/testGallery';

it('migration 3 makes the tokens single sign-on minted into session tokens and keeps the rest personal', () => {
  const dataDir = makeDataDir();
  try {
    const old = openDatabase(dataDir, { fsync: false }, MIGRATIONS.slice(0, 2));
    old.prepare("INSERT INTO users (username, password_hash, created_at) VALUES ('ann', '!', '2025-01-01')").run();
    const insert = old.prepare(
      "INSERT INTO api_tokens (id, username, name, token_hash, created_at) VALUES (?, 'ann', ?, ?, '2025-01-01')"
    );
    insert.run('sso', 'JupyterLab (http://localhost:8888)', 'h1');
    insert.run('mine', 'laptop', 'h2');
    insert.run('lab', 'JupyterLab on lab.example', 'h3');
    old.close();
    const db = openDatabase(dataDir, { fsync: false });
    const kinds = db.prepare('SELECT id, kind FROM api_tokens ORDER BY id').all();
    expect(kinds).toEqual([
      { id: 'lab', kind: 'personal' },
      { id: 'mine', kind: 'personal' },
      { id: 'sso', kind: 'session' }
    ]);
    expect(db.prepare("SELECT session_epoch, kept_session_id FROM users WHERE username = 'ann'").get()).toEqual({
      session_epoch: 0,
      kept_session_id: null
    });
    db.close();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
