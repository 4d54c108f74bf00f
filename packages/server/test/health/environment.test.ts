import { sqliteDatabase } from '../../src/compositionRoot';
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATABASE_FILE } from '../../src/db/database';
import { rollBackSchema } from '../helpers/schemaRollback';
import { makeDataDir, startTestGallery, SETUP_TIMEOUT_MS, type ITestGallery } from '../helpers/testGallery';

/* Reproducibility metadata: recorded with every revision, shown on summaries and revisions, backfilled on upgrade. */

function notebook(code: string, metadata: Record<string, unknown>): Record<string, unknown> {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata,
    cells: [{ cell_type: 'code', id: 'c0', metadata: {}, execution_count: null, source: code, outputs: [] }]
  };
}

const PYTHON = {
  kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
  language_info: { name: 'python', version: '3.11.4' }
};
const JULIA = {
  kernelspec: { name: 'julia-1.10', display_name: 'Julia 1.10', language: 'julia' },
  language_info: { name: 'julia', version: '1.10.2' }
};

async function createWithRevision(gallery: ITestGallery, token: string) {
  const created = await gallery.request(token, {
    method: 'POST',
    url: '/api/notebooks',
    payload: {
      notebook: notebook('import numpy as np\n%pip install scipy==1.13', PYTHON),
      title: 'Spectra',
      visibility: 'public'
    }
  });
  expect(created.statusCode).toBe(201);
  const saved = await gallery.request(token, {
    method: 'PUT',
    url: `/api/notebooks/${created.json().id}`,
    payload: { notebook: notebook('using Plots, DataFrames', JULIA), baseRevision: created.json().revision }
  });
  expect(saved.statusCode).toBe(200);
  return { id: created.json().id as string, created: created.json(), saved: saved.json() };
}

const FIRST = { kernelName: 'python3', language: 'python', languageVersion: '3.11.4', packages: ['numpy', 'scipy'] };
const SECOND = {
  kernelName: 'julia-1.10',
  language: 'julia',
  languageVersion: '1.10.2',
  packages: ['Plots', 'DataFrames']
};

async function revisionEnvironments(gallery: ITestGallery, token: string, id: string) {
  const revisions = await gallery.request(token, { method: 'GET', url: `/api/notebooks/${id}/revisions` });
  expect(revisions.statusCode).toBe(200);
  return (revisions.json().items as { number: number; environment: unknown }[]).map(item => [
    item.number,
    item.environment
  ]);
}

it(
  'records each revision’s kernel, language, version and packages, on summaries and on the revision list',
  async () => {
    const gallery = await startTestGallery();
    try {
      const token = await gallery.login('ann');
      const { id, created, saved } = await createWithRevision(gallery, token);
      expect(created.environment).toEqual(FIRST);
      expect(saved.environment).toEqual(SECOND);
      const got = await gallery.request(token, { method: 'GET', url: `/api/notebooks/${id}` });
      expect(got.json().environment).toEqual(SECOND);
      const listed = await gallery.request(token, { method: 'GET', url: '/api/notebooks' });
      expect(listed.json().items.map((item: { environment: unknown }) => item.environment)).toEqual([SECOND]);
      expect(await revisionEnvironments(gallery, token, id)).toEqual([
        [2, SECOND],
        [1, FIRST]
      ]);
      // The kernel name is searchable like the language.
      for (const q of ['lang:julia-1.10', 'lang:julia', 'package:DataFrames']) {
        const found = await gallery.request(token, { method: 'GET', url: `/api/notebooks?q=${encodeURIComponent(q)}` });
        expect([q, found.json().items.length]).toEqual([q, 1]);
      }
      const empty = await gallery.request(token, {
        method: 'POST',
        url: '/api/notebooks',
        payload: { notebook: notebook('', {}), title: 'Blank' }
      });
      expect(empty.json().environment).toEqual({
        kernelName: null,
        language: null,
        languageVersion: null,
        packages: []
      });
    } finally {
      await gallery.close();
    }
  },
  2 * SETUP_TIMEOUT_MS
);

it(
  'upgrading to schema 8 reads the environment of every existing revision from git on start',
  async () => {
    const dataDir = makeDataDir();
    try {
      const before = await startTestGallery({}, dataDir);
      const token = await before.login('ann');
      const { id } = await createWithRevision(before, token);
      await before.app.close();

      // Put the database back as schema 7 left it: without the tables of reproducibility metadata, health and similarity.
      const db = new Database(path.join(dataDir, DATABASE_FILE));
      rollBackSchema(db, 7);
      db.close();

      const after = await startTestGallery({}, dataDir);
      try {
        expect(sqliteDatabase(after.app.gallery).pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(8);
        expect(await revisionEnvironments(after, token, id)).toEqual([
          [2, SECOND],
          [1, FIRST]
        ]);
        const got = await after.request(token, { method: 'GET', url: `/api/notebooks/${id}` });
        expect(got.json().environment).toEqual(SECOND);
        expect(
          sqliteDatabase(after.app.gallery).prepare('SELECT count(*) AS n FROM environment_backfill_queue').get()
        ).toEqual({
          n: 0
        });
      } finally {
        await after.app.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
  4 * SETUP_TIMEOUT_MS
);
