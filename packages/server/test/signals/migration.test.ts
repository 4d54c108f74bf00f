import * as fs from 'node:fs';
import { openDatabase } from '../../src/db/database';
import { MIGRATIONS } from '../../src/db/migrations';
import { makeDataDir } from '../helpers/testGallery';

it('migration 7 gives every existing notebook an empty stats row, so the signal sorts list them all', () => {
  const dataDir = makeDataDir();
  try {
    const old = openDatabase(dataDir, { fsync: false }, MIGRATIONS.slice(0, 6));
    old.prepare("INSERT INTO users (username, password_hash, created_at) VALUES ('ann', '!', '2025-01-01')").run();
    const insert = old.prepare(
      `INSERT INTO notebooks (id, title, description, owner, created_at, updated_at, head_sha, head_blob_sha,
         revision_count) VALUES (?, ?, '', 'ann', '2025-01-01', '2025-01-01', 'c', 'b', 1)`
    );
    insert.run('nb-1', 'One');
    insert.run('nb-2', 'Two');
    old.close();
    const db = openDatabase(dataDir, { fsync: false });
    expect(db.prepare('SELECT * FROM notebook_stats ORDER BY notebook_id').all()).toEqual(
      ['nb-1', 'nb-2'].map(id => ({
        notebook_id: id,
        stars: 0,
        views: 0,
        downloads: 0,
        opens: 0,
        runs: 0,
        trending_key: null,
        health_score: null
      }))
    );
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT ns.notebook_id FROM notebook_stats ns
         ORDER BY IFNULL(ns.trending_key, -1) DESC, ns.notebook_id DESC LIMIT 5`
      )
      .all() as { detail: string }[];
    expect(plan.map(step => step.detail).join('\n')).toContain('notebook_stats_by_trending');
    db.close();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
