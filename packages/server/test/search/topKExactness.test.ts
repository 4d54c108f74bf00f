import type { INotebookSearchText, Visibility } from '@notebook-gallery/core';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ICaller } from '../../src/auth/permissions';
import { openGallery, sqliteDatabase, type IGallery } from '../../src/compositionRoot';
import type { GalleryDatabase } from '../../src/db/database';
import type { INewNotebook } from '../../src/repositories/notebookRepository';
import { SqliteNotebookRepository, type SearchEngine } from '../../src/repositories/sqlite/sqliteNotebookRepository';
import { SqliteSearchIndex } from '../../src/repositories/sqlite/sqliteSearchIndex';
import { SqliteUnitOfWork } from '../../src/repositories/sqlite/sqliteUnitOfWork';
import { SETUP_TIMEOUT_MS } from '../helpers/testGallery';
import { seededRandom as random } from '../../bench/seededRandom';

/*
 * The top-k engine stops reading once no unseen notebook can beat the 20th; these tests check that it never stops
 * too early: on a seeded gallery, its pages equal the exact reference ranking (every match scored and sorted, same
 * ties), for each class of query, for an admin and for a reader who may see a tenth of the gallery.
 */

const NOTEBOOKS = 3000;
const OWNERS = ['ann', 'bob', 'cat'];
const READER = 'rex';

/** A vocabulary with word families (plot, plots, plotting) and a Zipf-like frequency, so prefixes and typos bite. */
const STEMS =
  'plot data frame join merge model train cluster regress forecast weather rain sales map graph network image pixel token parse query index sort filter group stream signal sensor survey census genome protein spectra orbit'.split(
    ' '
  );
const VOCABULARY = [
  ...STEMS.flatMap(stem => [stem, `${stem}s`, `${stem}ing`]),
  ...Array.from({ length: 400 }, (_, index) => `w${index.toString(36)}x${(index * 7919).toString(36)}`)
];

function pick(next: () => number): string {
  // Zipf-ish: small indexes far more often.
  return VOCABULARY[Math.floor(VOCABULARY.length * next() ** 3)];
}

function words(next: () => number, count: number): string {
  return Array.from({ length: count }, () => pick(next)).join(' ');
}

interface IGenerated {
  row: INewNotebook;
  text: INotebookSearchText;
  sharedWithReader: boolean;
}

function generate(index: number): IGenerated {
  const next = random(31 * (index + 1));
  const owner = OWNERS[index % OWNERS.length];
  // A tenth of the gallery is readable by rex: public, or shared with him; the rest is private to others.
  const roll = index % 20;
  const visibility: Visibility = roll === 0 ? 'public' : 'private';
  const title = words(next, 2 + Math.floor(next() * 4));
  return {
    row: {
      id: `nb${index.toString().padStart(5, '0')}`,
      title,
      description: next() < 0.5 ? words(next, 5 + Math.floor(next() * 10)) : '',
      tags: next() < 0.3 ? ['maps'] : ['misc'],
      ownerKind: 'user',
      owner,
      visibility,
      group: null,
      parent: null,
      revision: {
        number: 1,
        sha: index.toString(16).padStart(40, '0'),
        blobSha: index.toString(16).padStart(40, 'b'),
        author: owner,
        message: 'generated',
        createdAt: new Date(Date.UTC(2024, 0, 1) + index * 60_000).toISOString()
      }
    },
    text: {
      language: 'python',
      packages: next() < 0.5 ? ['pandas'] : ['numpy'],
      markdown: words(next, 20 + Math.floor(next() * 120)),
      code: words(next, 10 + Math.floor(next() * 60))
    },
    sharedWithReader: roll === 10
  };
}

let dataDir: string;
let gallery: IGallery;
let db: GalleryDatabase;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'topk-exactness-'));
  gallery = await openGallery({ dataDir, fsync: false, defaultVisibility: 'public' });
  db = sqliteDatabase(gallery);
  for (const username of [...OWNERS, READER]) {
    await gallery.accounts.add(username, `${username}-password`);
  }
  const notebooks = new SqliteNotebookRepository(db);
  const search = new SqliteSearchIndex(db);
  await new SqliteUnitOfWork(db).transaction(async () => {
    for (let index = 0; index < NOTEBOOKS; index++) {
      const { row, text, sharedWithReader } = generate(index);
      const seq = await notebooks.insert(row);
      await search.put(seq, { title: row.title, description: row.description, tags: row.tags, owner: row.owner }, text);
      if (sharedWithReader) {
        await notebooks.replaceShares(row.id, [{ kind: 'user', name: READER, role: 'reader' }]);
      }
    }
  });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const ADMIN: ICaller = { user: { username: 'root', isAdmin: true }, groups: new Map() };
const READER_CALLER: ICaller = { user: { username: READER, isAdmin: false }, groups: new Map() };

/** Two pages of 20 as `engine` ranks them: ids with their rank. */
async function pages(engine: SearchEngine, caller: ICaller, q: string): Promise<string[][]> {
  const notebooks = new SqliteNotebookRepository(db, { searchEngine: engine });
  const first = await notebooks.list(caller, { q, limit: 20 });
  const second = first.nextCursor ? await notebooks.list(caller, { q, limit: 20, cursor: first.nextCursor }) : null;
  return [first, ...(second ? [second] : [])].map(page => page.records.map(record => record.id));
}

const QUERIES: [string, string][] = [
  ['a rare term', VOCABULARY[VOCABULARY.length - 3]],
  ['a common term', 'plot'],
  ['a word whose root has other forms', 'plots'],
  ['a prefix as typed', 'clu'],
  ['a filter and a term', 'tag:maps weather'],
  ['an owner and a term', 'owner:ann weather'],
  ['several words', 'rain forecast sensor'],
  ['a typo', 'forcast'],
  ['words and synonyms', 'chart survey']
];

describe.each([
  ['an admin', ADMIN],
  ['a reader who may see a tenth of the gallery', READER_CALLER]
])('for %s', (_who, caller) => {
  it.each(QUERIES)('the fast path ranks %s exactly as scoring every match does', async (_class, q) => {
    const exact = await pages('exact', caller, q);
    expect(exact[0].length).toBeGreaterThan(0);
    expect(await pages('topk', caller, q)).toEqual(exact);
  });
});

it('finds the same notebooks as FTS5 does, only ranked by its own definition', async () => {
  // Exactness is against the engine's own ranking; this guards that its tables hold what the FTS5 index holds.
  const ids = async (engine: SearchEngine, q: string) =>
    (await new SqliteNotebookRepository(db, { searchEngine: engine }).list(ADMIN, { q, limit: NOTEBOOKS })).records
      .map(record => record.id)
      .sort();
  for (const q of ['weather', 'clu', 'forcast', 'rain forecast', 'plots']) {
    const fts = await ids('fts5', q);
    expect(fts.length).toBeGreaterThan(0);
    expect(await ids('topk', q)).toEqual(fts);
  }
});
