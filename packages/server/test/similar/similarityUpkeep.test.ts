import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSearchCorpus } from '../../bench/searchCorpus';
import type { ICaller } from '../../src/auth/permissions';
import { openGallery, type IGallery, sqliteDatabase } from '../../src/compositionRoot';
import { DATABASE_FILE } from '../../src/db/database';
import { MIGRATIONS } from '../../src/db/migrations';
import { sampleNotebook } from '../helpers/fixtures';
import { rollBackSchema } from '../helpers/schemaRollback';
import { makeDataDir, startTestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';
import { expectConsistentVectors, onSqlite } from './vectorConsistency';

/* The document counts stay equal to a recount through every kind of write, and an upgrade builds every vector. */

const owner: ICaller = { user: { username: 'olga', isAdmin: false }, groups: new Map() };

it(
  'keeps the document counts equal to a recount through creates, saves, patches and deletes',
  async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-similar-'));
    let gallery: IGallery | undefined;
    try {
      gallery = await openGallery({ dataDir, fsync: false, defaultVisibility: 'public' });
      await gallery.accounts.add('olga', 'olga-password');
      const corpus = loadSearchCorpus().filter((_, i) => i % 6 === 0);
      const ids: string[] = [];
      for (const entry of corpus.slice(0, 12)) {
        ids.push((await gallery.notebooks.create(owner, { notebook: entry.notebook, title: entry.title })).id);
      }
      await expectConsistentVectors(onSqlite(sqliteDatabase(gallery)));
      // Each of the first six takes another notebook's text, so terms move between notebooks.
      for (let i = 0; i < 6; i++) {
        const current = await gallery.notebooks.get(owner, ids[i]);
        await gallery.notebooks.saveRevision(owner, ids[i], {
          notebook: corpus[12 + i].notebook,
          baseRevision: current.revision
        });
      }
      await expectConsistentVectors(onSqlite(sqliteDatabase(gallery)));
      for (const [i, id] of ids.slice(3, 9).entries()) {
        await gallery.notebooks.patch(owner, id, { title: `Renamed ${i} regression`, tags: ['maps', `tag${i}`] });
      }
      await expectConsistentVectors(onSqlite(sqliteDatabase(gallery)));
      for (const id of ids.filter((_, i) => i % 2 === 0)) {
        await gallery.notebooks.delete(owner, id);
      }
      await expectConsistentVectors(onSqlite(sqliteDatabase(gallery)));
      for (const id of ids.filter((_, i) => i % 2 === 1)) {
        await gallery.notebooks.delete(owner, id);
      }
      await expectConsistentVectors(onSqlite(sqliteDatabase(gallery)));
      expect(sqliteDatabase(gallery).prepare('SELECT count(*) AS n FROM similarity_terms').get()).toEqual({ n: 0 });
      expect(sqliteDatabase(gallery).prepare('SELECT count(*) AS n FROM notebook_terms').get()).toEqual({ n: 0 });
    } finally {
      await gallery?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
  4 * SETUP_TIMEOUT_MS
);

it(
  'builds the vectors of existing notebooks from their latest revision in git when upgrading to schema 9',
  async () => {
    const dataDir = makeDataDir();
    try {
      const before = await startTestGallery({ 'default-visibility': 'public' }, dataDir);
      const token = await before.login('ann');
      const ids: string[] = [];
      for (const [title, code] of [
        ['Rain', 'import xarray\nrain = xarray.open_dataset(path)'],
        ['Snow', 'import xarray\nsnow = xarray.open_dataset(path)'],
        ['Ledger', 'import sqlite3\nledger = sqlite3.connect(path)']
      ]) {
        const created = await before.request(token, {
          method: 'POST',
          url: '/api/notebooks',
          payload: { notebook: sampleNotebook('first draft', 'x = 1'), title }
        });
        const saved = await before.request(token, {
          method: 'PUT',
          url: `/api/notebooks/${created.json().id}`,
          payload: { notebook: sampleNotebook('Daily totals', code), baseRevision: created.json().revision }
        });
        expect(saved.statusCode).toBe(200);
        ids.push(created.json().id);
      }
      await before.app.close();

      // Put the database back as schema 8 left it: no similarity tables.
      const db = new Database(path.join(dataDir, DATABASE_FILE));
      rollBackSchema(db, 8);
      db.close();

      const after = await startTestGallery({}, dataDir);
      try {
        expect(sqliteDatabase(after.app.gallery).pragma('user_version', { simple: true })).toBe(
          MIGRATIONS[MIGRATIONS.length - 1].version
        );
        expect(
          sqliteDatabase(after.app.gallery).prepare('SELECT count(*) AS n FROM similarity_reindex_queue').get()
        ).toEqual({
          n: 0
        });
        await expectConsistentVectors(onSqlite(sqliteDatabase(after.app.gallery)));
        const reply = await after.request(token, { method: 'GET', url: `/api/notebooks/${ids[0]}/similar` });
        expect(reply.statusCode).toBe(200);
        const [first] = reply.json().similar;
        expect(first.title).toBe('Snow');
        expect(first.reasons).toContain('uses xarray');
      } finally {
        await after.app.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
  4 * SETUP_TIMEOUT_MS
);
