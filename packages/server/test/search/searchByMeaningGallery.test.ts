import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ICaller } from '../../src/auth/permissions';
import { openGallery, sqliteDatabase, type IGallery } from '../../src/compositionRoot';
import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import { runSql } from '../helpers/backendSql';
import { embeddingModelDir } from '../helpers/embeddingModel';
import { sampleNotebook } from '../helpers/fixtures';
import { dropTestDatabaseOf, SETUP_TIMEOUT_MS, testDatabaseOf } from '../helpers/testGallery';

/*
 * Search by meaning (issue 16) in a small gallery, on either backend: with the embedding model, a search also finds
 * notebooks that say what was asked in other words, under the same read rule; without it, search works by words
 * alone and says so once. searchByMeaning.test.ts ranks the relevance corpus by meaning.
 */

const olga: ICaller = { user: { username: 'olga', isAdmin: false }, groups: new Map() };
const rita: ICaller = { user: { username: 'rita', isAdmin: false }, groups: new Map() };

/** Notebooks that share no word (nor a synonym) with the queries below, only their meaning. */
const SALES = { title: 'Sales forecasting', text: 'We estimate how much the shop will sell next quarter.' };
const BORDERS = { title: 'Country borders', text: 'Load polygons of countries from a shapefile and draw them.' };
const PROFITS = { title: 'Profit estimates', text: "We estimate the shop's profits and turnover for the coming year." };

describe('in a small gallery', () => {
  let dataDir: string;
  let gallery: IGallery | undefined;
  let databaseUrl: string | null = null;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-meaning-'));
  });

  afterEach(async () => {
    await gallery?.close();
    gallery = undefined;
    await dropTestDatabaseOf(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function open(embeddingModel: string | null, log = { warn: jest.fn(), error: jest.fn() }) {
    databaseUrl = await testDatabaseOf(dataDir);
    gallery = await openGallery({
      dataDir,
      fsync: false,
      defaultVisibility: 'public',
      embeddingModel,
      log,
      databaseUrl
    });
    return { gallery, log };
  }

  async function save(as: ICaller, notebook: { title: string; text: string }, visibility?: 'private') {
    const { gallery: opened } = { gallery: gallery as IGallery };
    return (
      await opened.notebooks.create(as, {
        notebook: sampleNotebook(notebook.text) as never,
        title: notebook.title,
        visibility
      })
    ).id;
  }

  /** Waits for the embedding queue to embed what was saved (it runs in the background after each save). */
  async function embedded(): Promise<number> {
    const queue = (gallery as IGallery).embeddingQueue;
    if (queue === null) {
      throw new Error('no embedding queue: the model did not load');
    }
    return queue.drain();
  }

  /** One statement on the gallery's own database, whichever backend the tests run for. */
  async function sql<R extends object>(statement: string, params: readonly unknown[] = []): Promise<R[]> {
    const opened = gallery as IGallery;
    if (databaseUrl === null) {
      return runSql<R>(
        { backend: 'sqlite', sqlite: sqliteDatabase(opened), close: async () => undefined },
        statement,
        params
      );
    }
    const pg = PgDatabase.connect(databaseUrl, { maxConnections: 1 });
    try {
      return await runSql<R>({ backend: 'postgres', pg, url: databaseUrl, close: () => pg.close() }, statement, params);
    } finally {
      await pg.close();
    }
  }

  async function queuedRows(): Promise<number> {
    const [row] = await sql<{ count: number }>('SELECT count(*) AS count FROM embedding_queue');
    return Number(row.count);
  }

  async function titles(as: ICaller, q: string): Promise<string[]> {
    return (await (gallery as IGallery).notebooks.list(as, { q, limit: 20 })).items.map(item => item.title);
  }

  it(
    'finds a notebook by meaning from its save on, follows its changes, and forgets it when deleted',
    async () => {
      await open(embeddingModelDir());
      await (gallery as IGallery).accounts.add('olga', 'olga-password');
      const sales = await save(olga, SALES);
      await save(olga, BORDERS);
      await embedded();
      expect(await queuedRows()).toBe(0);
      expect(await titles(olga, 'revenue outlook')).toEqual(['Sales forecasting']);
      expect(await titles(olga, 'nation boundaries')).toEqual(['Country borders']);
      // A save that changes what the notebook is about moves it; so does a new title alone.
      const current = await (gallery as IGallery).notebooks.get(olga, sales);
      await (gallery as IGallery).notebooks.saveRevision(olga, sales, {
        notebook: sampleNotebook(BORDERS.text) as never,
        baseRevision: current.revision
      });
      await (gallery as IGallery).notebooks.patch(olga, sales, { title: 'Provinces' });
      await embedded();
      expect(await titles(olga, 'revenue outlook')).toEqual([]);
      expect((await titles(olga, 'nation boundaries')).sort()).toEqual(['Country borders', 'Provinces']);
      const [{ seq }] = await sql<{ seq: number }>('SELECT seq FROM notebooks WHERE id = ?', [sales]);
      await (gallery as IGallery).notebooks.delete(olga, sales);
      expect(await titles(olga, 'nation boundaries')).toEqual(['Country borders']);
      // Its vectors go with it.
      const [vectors] = await sql<{ count: number }>(
        'SELECT count(*) AS count FROM notebook_embeddings WHERE notebook_seq = ?',
        [seq]
      );
      expect(Number(vectors.count)).toBe(0);
    },
    SETUP_TIMEOUT_MS
  );

  it(
    'keeps the embeddings through rebuild-index, which recreates every row from git',
    async () => {
      await open(embeddingModelDir());
      await (gallery as IGallery).accounts.add('olga', 'olga-password');
      await save(olga, SALES);
      await save(olga, BORDERS);
      await embedded();
      await gallery?.close();
      await open(embeddingModelDir());
      await (gallery as IGallery).rebuildIndex();
      await embedded();
      expect(await titles(olga, 'revenue outlook')).toEqual(['Sales forecasting']);
      expect(await titles(olga, 'nation boundaries')).toEqual(['Country borders']);
    },
    SETUP_TIMEOUT_MS
  );

  it(
    "never shows a caller another user's private notebook found by meaning",
    async () => {
      await open(embeddingModelDir());
      await (gallery as IGallery).accounts.add('olga', 'olga-password');
      await (gallery as IGallery).accounts.add('rita', 'rita-password');
      await save(olga, PROFITS, 'private');
      await save(olga, SALES);
      await save(rita, BORDERS);
      await embedded();
      expect((await titles(olga, 'revenue outlook')).sort()).toEqual(['Profit estimates', 'Sales forecasting']);
      expect(await titles(rita, 'revenue outlook')).toEqual(['Sales forecasting']);
      const anonymous = await (gallery as IGallery).notebooks.list(
        { user: null, groups: new Map() },
        {
          q: 'revenue outlook',
          limit: 20
        }
      );
      expect(anonymous.items.map(item => item.title)).toEqual(['Sales forecasting']);
    },
    SETUP_TIMEOUT_MS
  );

  it(
    'without the model searches by words alone and says so once; with it, embeds the notebooks queued before',
    async () => {
      const { log } = await open(null);
      await (gallery as IGallery).accounts.add('olga', 'olga-password');
      await save(olga, SALES);
      expect(await titles(olga, 'revenue outlook')).toEqual([]);
      expect(await titles(olga, 'shop')).toEqual(['Sales forecasting']);
      expect(await titles(olga, 'sell next')).toEqual(['Sales forecasting']);
      expect(log.warn).toHaveBeenCalledTimes(1);
      expect(log.warn.mock.calls[0][1]).toMatch(/words alone/);
      // The save queued it (a table: it outlives the process), though nothing could embed it.
      expect(await queuedRows()).toBe(1);
      expect((gallery as IGallery).embeddingQueue).toBeNull();
      await gallery?.close();
      const reopened = await open(embeddingModelDir());
      expect(reopened.log.warn).not.toHaveBeenCalled();
      expect(await queuedRows()).toBe(1);
      expect(await titles(olga, 'revenue outlook')).toEqual([]);
      // The server starts the queue once it serves; it resumes where the last process left it.
      await (gallery as IGallery).embeddingQueue?.start();
      await embedded();
      expect(await queuedRows()).toBe(0);
      expect(await titles(olga, 'revenue outlook')).toEqual(['Sales forecasting']);
    },
    SETUP_TIMEOUT_MS
  );
});
