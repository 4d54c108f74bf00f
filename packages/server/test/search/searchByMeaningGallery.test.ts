import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ICaller } from '../../src/auth/permissions';
import { openGallery, type IGallery } from '../../src/compositionRoot';
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
    const databaseUrl = await testDatabaseOf(dataDir);
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
      expect(await titles(olga, 'revenue outlook')).toEqual(['Sales forecasting']);
      expect(await titles(olga, 'nation boundaries')).toEqual(['Country borders']);
      // A save that changes what the notebook is about moves it; so does a new title alone.
      const current = await (gallery as IGallery).notebooks.get(olga, sales);
      await (gallery as IGallery).notebooks.saveRevision(olga, sales, {
        notebook: sampleNotebook(BORDERS.text) as never,
        baseRevision: current.revision
      });
      await (gallery as IGallery).notebooks.patch(olga, sales, { title: 'Provinces' });
      expect(await titles(olga, 'revenue outlook')).toEqual([]);
      expect((await titles(olga, 'nation boundaries')).sort()).toEqual(['Country borders', 'Provinces']);
      await (gallery as IGallery).notebooks.delete(olga, sales);
      expect(await titles(olga, 'nation boundaries')).toEqual(['Country borders']);
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
      await gallery?.close();
      await open(embeddingModelDir());
      await (gallery as IGallery).rebuildIndex();
      expect(await (gallery as IGallery).backfillEmbeddings()).toBe(0);
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
    'without the model searches by words alone and says so once; with it, embeds the notebooks saved before',
    async () => {
      const { log } = await open(null);
      await (gallery as IGallery).accounts.add('olga', 'olga-password');
      await save(olga, SALES);
      expect(await titles(olga, 'revenue outlook')).toEqual([]);
      expect(await titles(olga, 'shop')).toEqual(['Sales forecasting']);
      expect(await titles(olga, 'sell next')).toEqual(['Sales forecasting']);
      expect(log.warn).toHaveBeenCalledTimes(1);
      expect(log.warn.mock.calls[0][1]).toMatch(/words alone/);
      await gallery?.close();
      const reopened = await open(embeddingModelDir());
      expect(reopened.log.warn).not.toHaveBeenCalled();
      expect(await (gallery as IGallery).backfillEmbeddings()).toBe(1);
      expect(await (gallery as IGallery).backfillEmbeddings()).toBe(0);
      expect(await titles(olga, 'revenue outlook')).toEqual(['Sales forecasting']);
    },
    SETUP_TIMEOUT_MS
  );
});
