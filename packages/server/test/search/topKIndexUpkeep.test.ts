import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openGallery, sqliteDatabase } from '../../src/compositionRoot';
import { DATABASE_FILE, type GalleryDatabase } from '../../src/db/database';
import { documentImpacts, lengthBucket, type ISearchColumns } from '../../src/search/topKRanking';
import { SqliteTermVocabulary } from '../../src/repositories/sqlite/sqliteSearchIndex';
import { sampleNotebook } from '../helpers/fixtures';
import { rollBackSchema } from '../helpers/schemaRollback';
import { makeDataDir, startTestGallery, SETUP_TIMEOUT_MS, type ITestGallery } from '../helpers/testGallery';

/*
 * The top-k engine's ranking tables follow every change of a notebook in the same transaction, as a diff, and an
 * upgrade fills them in the background. Each step is checked through search and in the tables themselves (a search
 * that silently fell back to FTS5 would find the same notebooks). The read workers take the engine from the
 * environment when they start.
 */
process.env.NOTEBOOK_GALLERY_SEARCH_ENGINE = 'topk';

async function titles(gallery: ITestGallery, token: string, q: string): Promise<string[]> {
  const response = await gallery.request(token, { method: 'GET', url: `/api/notebooks?q=${encodeURIComponent(q)}` });
  expect(response.statusCode).toBe(200);
  return (response.json().items as { title: string }[]).map(item => item.title);
}

function database(gallery: ITestGallery): GalleryDatabase {
  return sqliteDatabase(gallery.app.gallery);
}

/** Whether the engine's postings hold `term` for the notebook `id`. */
function holds(db: GalleryDatabase, id: string, term: string): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM topk_postings p JOIN topk_terms t ON t.id = p.term_id JOIN notebooks n ON n.seq = p.seq
         WHERE t.term = ? AND n.id = ?`
      )
      .get(term, id) !== undefined
  );
}

/** A notebook's postings as stored, term → impact. */
function postingsOf(db: GalleryDatabase, id: string): Map<string, number> {
  const rows = db
    .prepare(
      `SELECT t.term, p.impact FROM topk_postings p JOIN topk_terms t ON t.id = p.term_id
       JOIN notebooks n ON n.seq = p.seq WHERE n.id = ?`
    )
    .all(id) as { term: string; impact: number }[];
  return new Map(rows.map(row => [row.term, row.impact]));
}

/**
 * What indexing the notebook afresh would store: its FTS5 row through the ranking, with the frozen average and the
 * length bucket it keeps.
 */
function freshImpacts(db: GalleryDatabase, id: string): Map<string, number> {
  const columns = db
    .prepare(
      `SELECT title, description, tags, owner, language, packages, markdown, code FROM notebook_search
       WHERE rowid = (SELECT seq FROM notebooks WHERE id = ?)`
    )
    .get(id) as ISearchColumns;
  const { average_length: average } = db.prepare('SELECT average_length FROM topk_totals').get() as {
    average_length: number;
  };
  const { bucket } = db
    .prepare('SELECT bucket FROM topk_documents WHERE seq = (SELECT seq FROM notebooks WHERE id = ?)')
    .get(id) as { bucket: number };
  return documentImpacts(columns, average, bucket).impacts;
}

/** Counts the rows written to and deleted from the postings by this connection, through temporary triggers. */
function countPostingWrites(db: GalleryDatabase): () => { written: number; deleted: number } {
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS posting_writes (written INTEGER NOT NULL, deleted INTEGER NOT NULL);
    DELETE FROM posting_writes;
    INSERT INTO posting_writes VALUES (0, 0);
    CREATE TEMP TRIGGER IF NOT EXISTS posting_written AFTER INSERT ON main.topk_postings
      BEGIN UPDATE posting_writes SET written = written + 1; END;
    CREATE TEMP TRIGGER IF NOT EXISTS posting_deleted AFTER DELETE ON main.topk_postings
      BEGIN UPDATE posting_writes SET deleted = deleted + 1; END;
  `);
  return () =>
    db.prepare('SELECT written, deleted FROM temp.posting_writes').get() as { written: number; deleted: number };
}

it(
  'follows a create, save, metadata change, share, transfer, rebuild-index and delete',
  async () => {
    const gallery = await startTestGallery({ 'default-visibility': 'private' });
    try {
      const db = database(gallery);
      const ann = await gallery.login('ann');
      const bob = await gallery.login('bob');
      const created = await gallery.request(ann, {
        method: 'POST',
        url: '/api/notebooks',
        payload: { notebook: sampleNotebook('river levels', 'import numpy'), title: 'Levels' }
      });
      expect(created.statusCode).toBe(201);
      const { id, revision } = created.json() as { id: string; revision: string };
      expect(holds(db, id, 'river')).toBe(true);
      expect(await titles(gallery, ann, 'river')).toEqual(['Levels']);

      const saved = await gallery.request(ann, {
        method: 'PUT',
        url: `/api/notebooks/${id}`,
        payload: { notebook: sampleNotebook('estuary tides', 'import xarray'), baseRevision: revision }
      });
      expect(saved.statusCode).toBe(200);
      expect(holds(db, id, 'river')).toBe(false);
      expect(holds(db, id, 'estuary')).toBe(true);
      expect(postingsOf(db, id)).toEqual(freshImpacts(db, id));
      expect(await titles(gallery, ann, 'river')).toEqual([]);
      expect(await titles(gallery, ann, 'estuary')).toEqual(['Levels']);

      const patched = await gallery.request(ann, {
        method: 'PATCH',
        url: `/api/notebooks/${id}`,
        payload: { title: 'Tidal gauges' }
      });
      expect(patched.statusCode).toBe(200);
      expect(holds(db, id, 'gauges')).toBe(true);
      expect(holds(db, id, 'estuary')).toBe(true);
      expect(postingsOf(db, id)).toEqual(freshImpacts(db, id));
      expect(await titles(gallery, ann, 'gauges')).toEqual(['Tidal gauges']);

      expect(await titles(gallery, bob, 'estuary')).toEqual([]);
      const shared = await gallery.request(ann, {
        method: 'PUT',
        url: `/api/notebooks/${id}/sharing`,
        payload: { visibility: 'private', group: null, shares: [{ kind: 'user', name: 'bob', role: 'reader' }] }
      });
      expect(shared.statusCode).toBe(200);
      expect(await titles(gallery, bob, 'estuary')).toEqual(['Tidal gauges']);

      await gallery.app.groups.create('hydrology', 'ann');
      const moved = await gallery.request(ann, {
        method: 'POST',
        url: `/api/notebooks/${id}/transfer`,
        payload: { owner: { kind: 'group', name: 'hydrology' } }
      });
      expect(moved.statusCode).toBe(200);
      expect(holds(db, id, 'hydrology')).toBe(true);
      expect(await titles(gallery, ann, 'hydrology')).toEqual(['Tidal gauges']);

      // rebuild-index drops every row and recreates it from git (a new row id): the ranking tables follow.
      await gallery.app.gallery.rebuildIndex();
      expect(holds(db, id, 'estuary')).toBe(true);
      expect(postingsOf(db, id)).toEqual(freshImpacts(db, id));
      expect(db.prepare('SELECT count(*) AS n FROM topk_documents').get()).toEqual({ n: 1 });
      expect(db.prepare("SELECT documents FROM topk_terms WHERE term = 'estuary'").get()).toEqual({ documents: 1 });
      expect(await titles(gallery, ann, 'estuary')).toEqual(['Tidal gauges']);

      const deleted = await gallery.request(ann, { method: 'DELETE', url: `/api/notebooks/${id}` });
      expect(deleted.statusCode).toBe(204);
      expect(db.prepare('SELECT count(*) AS n FROM topk_documents').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(*) AS n FROM topk_postings').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT documents, tokens FROM topk_totals').get()).toEqual({ documents: 0, tokens: 0 });
      expect(await titles(gallery, ann, 'estuary')).toEqual([]);
    } finally {
      await gallery.close();
    }
  },
  2 * SETUP_TIMEOUT_MS
);

/** `count` words of a made-up vocabulary, each distinct. */
function distinctWords(count: number, from = 0, stem = 'word'): string {
  return Array.from({ length: count }, (_, index) => `${stem}${(from + index).toString(36)}`).join(' ');
}

it(
  'rewrites only the postings a small edit changes, and all of them when the notebook changes length bucket',
  async () => {
    const gallery = await startTestGallery();
    try {
      const db = database(gallery);
      const ann = await gallery.login('ann');
      const body = distinctWords(400);
      const created = await gallery.request(ann, {
        method: 'POST',
        url: '/api/notebooks',
        payload: { notebook: sampleNotebook(`${body} alpha`), title: 'Long' }
      });
      expect(created.statusCode).toBe(201);
      const { id } = created.json() as { id: string };
      const before = postingsOf(db, id);
      expect(before.size).toBeGreaterThan(400);

      // One word replaced by another: the same length, so only the two words' postings move.
      const writes = countPostingWrites(db);
      const edited = await gallery.request(ann, {
        method: 'PUT',
        url: `/api/notebooks/${id}`,
        payload: { notebook: sampleNotebook(`${body} omega`), baseRevision: created.json().revision }
      });
      expect(edited.statusCode).toBe(200);
      const small = writes();
      expect(small).toEqual({ written: 1, deleted: 1 });
      expect(holds(db, id, 'alpha')).toBe(false);
      expect(holds(db, id, 'omega')).toBe(true);
      expect(postingsOf(db, id)).toEqual(freshImpacts(db, id));

      // A fifth more words: another length bucket, so every impact changes and every posting is rewritten.
      const kept = postingsOf(db, id).size;
      const grown = countPostingWrites(db);
      const longer = await gallery.request(ann, {
        method: 'PUT',
        url: `/api/notebooks/${id}`,
        payload: {
          notebook: sampleNotebook(`${body} omega ${distinctWords(80, 400)}`),
          baseRevision: edited.json().revision
        }
      });
      expect(longer.statusCode).toBe(200);
      const all = grown();
      expect(all.deleted).toBe(kept);
      expect(all.written).toBe(postingsOf(db, id).size);
      expect(postingsOf(db, id)).toEqual(freshImpacts(db, id));
      expect(await titles(gallery, ann, 'omega')).toEqual(['Long']);

      // Just across the next bucket's edge: the notebook keeps its bucket, so only the new words' postings (each
      // new, so no other word's count changes) are written.
      const stored = () =>
        db
          .prepare('SELECT length, bucket FROM topk_documents WHERE seq = (SELECT seq FROM notebooks WHERE id = ?)')
          .get(id) as { length: number; bucket: number };
      const { length, bucket } = stored();
      let extra = 1;
      while (lengthBucket(length + extra) === lengthBucket(length)) {
        extra++;
      }
      expect(lengthBucket(length + extra)).toBe(bucket + 1);
      const edge = countPostingWrites(db);
      const across = await gallery.request(ann, {
        method: 'PUT',
        url: `/api/notebooks/${id}`,
        payload: {
          notebook: sampleNotebook(`${body} omega ${distinctWords(80, 400)} ${distinctWords(extra, 0, 'zeta')}`),
          baseRevision: longer.json().revision
        }
      });
      expect(across.statusCode).toBe(200);
      expect(stored()).toEqual({ length: length + extra, bucket });
      expect(edge()).toEqual({ written: extra, deleted: 0 });
      expect(postingsOf(db, id)).toEqual(freshImpacts(db, id));
    } finally {
      await gallery.close();
    }
  },
  2 * SETUP_TIMEOUT_MS
);

it(
  'after an upgrade answers searches with FTS5 ranking while the tables fill, then with the engine',
  async () => {
    const dataDir = makeDataDir();
    try {
      // FTS5 counts every term of the prefix `clu` together (four in Hints); the engine counts a prefix by its best
      // term (cluster, twice, in Groups). Both notebooks are as long, and fillers give the terms an idf.
      const notebooks: [string, string][] = [
        ['Hints', 'clue clumsy clutch clump'],
        ['Groups', 'cluster cluster river lake'],
        ...Array.from({ length: 10 }, (_, index): [string, string] => [`Filler ${index}`, distinctWords(4, index * 4)])
      ];
      const before = await startTestGallery({ 'default-visibility': 'public' }, dataDir);
      let token: string;
      try {
        token = await before.login('ann');
        for (const [title, markdown] of notebooks) {
          const created = await before.request(token, {
            method: 'POST',
            url: '/api/notebooks',
            payload: { notebook: sampleNotebook(markdown, 'x = 1'), title }
          });
          expect(created.statusCode).toBe(201);
        }
        expect((await titles(before, token, 'clu')).slice(0, 2)).toEqual(['Groups', 'Hints']);
      } finally {
        await before.app.close();
      }

      const db = new Database(path.join(dataDir, DATABASE_FILE));
      rollBackSchema(db, 14);
      db.close();

      // Opened without the server: nothing fills the tables yet, as while the server's background fill runs.
      const gallery = await openGallery({ dataDir, fsync: false });
      try {
        const upgraded = sqliteDatabase(gallery);
        expect(upgraded.prepare('SELECT count(*) AS n FROM topk_fill_queue').get()).toEqual({ n: notebooks.length });
        const reader = { user: { username: 'ann', isAdmin: false }, groups: new Map() };
        const search = async (): Promise<string[]> =>
          (await gallery.notebooks.list(reader, { q: 'clu', limit: 20 })).items.slice(0, 2).map(item => item.title);
        expect(await search()).toEqual(['Hints', 'Groups']);
        expect(await gallery.fillSearchRanking()).toBe(notebooks.length);
        expect(upgraded.prepare('SELECT count(*) AS n FROM topk_fill_queue').get()).toEqual({ n: 0 });
        expect(await search()).toEqual(['Groups', 'Hints']);
      } finally {
        await gallery.close();
      }

      // The server starts without waiting for the fill (it runs in the background) and serves the engine's ranking.
      const again = new Database(path.join(dataDir, DATABASE_FILE));
      rollBackSchema(again, 14);
      again.close();
      const after = await startTestGallery({}, dataDir);
      try {
        expect((await titles(after, token, 'clu')).slice(0, 2)).toEqual(expect.arrayContaining(['Hints', 'Groups']));
        for (let waited = 0; waited < 600; waited++) {
          if ((database(after).prepare('SELECT count(*) AS n FROM topk_fill_queue').get() as { n: number }).n === 0) {
            break;
          }
          await new Promise(resolve => setTimeout(resolve, 50));
        }
        expect((await titles(after, token, 'clu')).slice(0, 2)).toEqual(['Groups', 'Hints']);
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
  "gives typo corrections the same terms and notebook counts as FTS5's own vocabulary, through saves and deletes",
  async () => {
    // Typo correction reads the engine's term table once it is filled (a B-tree range instead of fts5vocab's walk of
    // the index's segments); a term it lacks, or a stale count, would change which correction a typo gets.
    const gallery = await startTestGallery({ 'default-visibility': 'public' });
    try {
      const db = database(gallery);
      const ann = await gallery.login('ann');
      const texts = [
        ['Café crème naïve façade', 'import pandas as pd\nx2 = pd.DataFrame()'],
        ['Straße Ærø Zürich Ångström', 'sensor_data = read_csv("data.csv")'],
        ['forecast forecasting forecasts', 'import statsmodels'],
        ['日本語 テキスト 中文', 'print("ünïcödé")']
      ];
      const ids: string[] = [];
      for (const [markdown, code] of texts) {
        const created = await gallery.request(ann, {
          method: 'POST',
          url: '/api/notebooks',
          payload: { notebook: sampleNotebook(markdown, code), title: markdown.split(' ')[0] }
        });
        expect(created.statusCode).toBe(201);
        ids.push((created.json() as { id: string }).id);
      }
      const revision = (
        (await gallery.request(ann, { method: 'GET', url: `/api/notebooks/${ids[2]}` })).json() as {
          revision: string;
        }
      ).revision;
      const saved = await gallery.request(ann, {
        method: 'PUT',
        url: `/api/notebooks/${ids[2]}`,
        payload: { notebook: sampleNotebook('forecast only', 'import numpy'), baseRevision: revision }
      });
      expect(saved.statusCode).toBe(200);
      expect((await gallery.request(ann, { method: 'DELETE', url: `/api/notebooks/${ids[0]}` })).statusCode).toBe(204);

      const letters = new Set(
        (db.prepare('SELECT term FROM notebook_search_terms').all() as { term: string }[]).map(row => row.term[0])
      );
      expect(letters.size).toBeGreaterThan(10);
      const vocabulary = new SqliteTermVocabulary(db);
      for (const letter of letters) {
        const fts5 = db
          .prepare(
            `SELECT term, doc AS documents FROM notebook_search_terms WHERE term >= ? AND term < ? ORDER BY term`
          )
          .all(letter, `${letter}\u{10FFFF}`);
        expect({ letter, terms: vocabulary.startingWith(letter, 1, Infinity) }).toEqual({ letter, terms: fts5 });
      }
      // The saved notebook lost `forecasting` and `forecasts`, the deleted one `café`: no correction offers them.
      expect(vocabulary.startingWith('f', 1, Infinity).map(term => term.term)).not.toContain('forecasting');
      expect(vocabulary.startingWith('c', 1, Infinity).map(term => term.term)).not.toContain('cafe');
      expect(await titles(gallery, ann, 'forcast')).toEqual(['forecast']);
    } finally {
      await gallery.close();
    }
  },
  2 * SETUP_TIMEOUT_MS
);
