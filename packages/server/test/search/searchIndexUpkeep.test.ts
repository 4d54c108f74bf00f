import { sqliteDatabase } from '../../src/compositionRoot';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATABASE_FILE } from '../../src/db/database';
import { MIGRATIONS } from '../../src/db/migrations';
import { sampleNotebook } from '../helpers/fixtures';
import { rollBackSchema } from '../helpers/schemaRollback';
import { makeDataDir, startTestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/* The search index follows the notebook: across the upgrade that added columns, and when its owner changes. */

async function titles(gallery: Awaited<ReturnType<typeof startTestGallery>>, token: string, q: string) {
  const response = await gallery.request(token, { method: 'GET', url: `/api/notebooks?q=${encodeURIComponent(q)}` });
  expect(response.statusCode).toBe(200);
  return (response.json().items as { title: string }[]).map(item => item.title);
}

it(
  'upgrading to schema 6 indexes owner, language, packages and text again from the latest revision in git',
  async () => {
    const dataDir = makeDataDir();
    try {
      const before = await startTestGallery({}, dataDir);
      const token = await before.login('ann');
      for (const [title, markdown, code] of [
        ['Rain', 'first draft', 'x = 1'],
        ['Other', 'unrelated', 'import numpy']
      ]) {
        const created = await before.request(token, {
          method: 'POST',
          url: '/api/notebooks',
          payload: { notebook: sampleNotebook(markdown, code), title }
        });
        expect(created.statusCode).toBe(201);
        if (title === 'Rain') {
          const saved = await before.request(token, {
            method: 'PUT',
            url: `/api/notebooks/${created.json().id}`,
            payload: {
              notebook: sampleNotebook('Monthly rainfall totals', 'import xarray as xr'),
              baseRevision: created.json().revision
            }
          });
          expect(saved.statusCode).toBe(200);
        }
      }
      await before.app.close();

      // Put the database back as schema 5 left it (6 is the search upgrade): the old five-column index, without the newer text,
      // and without the tables of later migrations.
      const db = new Database(path.join(dataDir, DATABASE_FILE));
      // The tables of later migrations, which run again on the way up.
      rollBackSchema(db, 6);
      db.exec(`
        DROP TABLE notebook_search_terms;
        DROP TABLE notebook_search;
        DROP TABLE search_reindex_queue;
        CREATE VIRTUAL TABLE notebook_search USING fts5(
          title, description, tags, markdown, code, tokenize = 'unicode61 remove_diacritics 2'
        );
        INSERT INTO notebook_search (rowid, title, description, tags, markdown, code)
          SELECT seq, title, description, '', '', '' FROM notebooks;
        PRAGMA user_version = 5;
      `);
      db.close();

      const after = await startTestGallery({}, dataDir);
      try {
        expect(sqliteDatabase(after.app.gallery).pragma('user_version', { simple: true })).toBe(
          MIGRATIONS[MIGRATIONS.length - 1].version
        );
        expect(await titles(after, token, 'rainfall')).toEqual(['Rain']);
        expect(await titles(after, token, 'package:xarray')).toEqual(['Rain']);
        expect((await titles(after, token, 'lang:python')).sort()).toEqual(['Other', 'Rain']);
        expect(await titles(after, token, 'draft')).toEqual([]);
        expect(
          sqliteDatabase(after.app.gallery).prepare('SELECT count(*) AS n FROM search_reindex_queue').get()
        ).toEqual({ n: 0 });
      } finally {
        await after.app.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
  4 * SETUP_TIMEOUT_MS
);

it(
  'finds a notebook by its new owner after a transfer to a group',
  async () => {
    const gallery = await startTestGallery();
    try {
      const token = await gallery.login('ann');
      await gallery.app.groups.create('hydrology', 'ann');
      const created = await gallery.request(token, {
        method: 'POST',
        url: '/api/notebooks',
        payload: { notebook: sampleNotebook('river levels'), title: 'Levels' }
      });
      expect(await titles(gallery, token, 'hydrology')).toEqual([]);
      const moved = await gallery.request(token, {
        method: 'POST',
        url: `/api/notebooks/${created.json().id}/transfer`,
        payload: { owner: { kind: 'group', name: 'hydrology' } }
      });
      expect(moved.statusCode).toBe(200);
      expect(await titles(gallery, token, 'hydrology')).toEqual(['Levels']);
      expect(await titles(gallery, token, 'owner:hydrology river')).toEqual(['Levels']);
      expect(await titles(gallery, token, 'owner:ann river')).toEqual([]);
    } finally {
      await gallery.close();
    }
  },
  2 * SETUP_TIMEOUT_MS
);
