import type { INotebookSearchText, Visibility } from '@notebook-gallery/core';
import type { ICaller } from '../../src/auth/permissions';
import { PgDatabase } from '../../src/db/postgres/pgDatabase';
import { pgListFilter } from '../../src/repositories/postgres/pgNotebookListFilter';
import { PgNotebookListing } from '../../src/repositories/postgres/pgNotebookListing';
import { PgSearchIndex } from '../../src/repositories/postgres/pgSearchIndex';
import { pgAdmission, pgTopKParams, type PgSearchEngine } from '../../src/repositories/postgres/pgTopKListing';
import { PgTopKIndex, PgTopKReader } from '../../src/repositories/postgres/pgTopKIndex';
import type { ISearchTerm } from '../../src/search/queryParser';
import type { ISearchEntry } from '../../src/repositories/searchIndexRepository';
import { documentImpacts, lengthBucket, type ISearchColumns } from '../../src/search/topKRanking';
import { exactRanking, topK, type ITopKSource } from '../../src/search/topKSearch';
import { callerOf, listingGallery, type IListingGallery } from '../contract/listingGallery';
import { POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { openBackendDatabase, type IBackendDatabase } from '../helpers/repositoryBackends';
import { seededRandom as random } from '../../bench/seededRandom';

/*
 * The top-k engine's tables on PostgreSQL (pgTopKIndex.ts): each write of the search index keeps them equal to what
 * indexing every notebook afresh would store, as a diff; saves on two connections at once neither deadlock nor lose a
 * count; and the threshold algorithm over PgTopKReader's source returns the exact ranking's pages for an admin and
 * for a reader who may see a tenth of a mostly private gallery.
 */

jest.setTimeout(120_000);

let db: IBackendDatabase & { backend: 'postgres' };
let gallery: IListingGallery;

beforeAll(async () => {
  db = (await openBackendDatabase('postgres')) as IBackendDatabase & { backend: 'postgres' };
  gallery = listingGallery(db);
  for (const username of ['admin', 'ann', 'bob', 'cat', 'rex']) {
    await gallery.addUser(username);
  }
}, POSTGRES_START_TIMEOUT_MS);

afterAll(async () => {
  await db?.close();
});

/** Every discrepancy between the engine's tables and a fresh indexing of notebook_search, as sentences. */
async function discrepancies(pg: PgDatabase): Promise<string[]> {
  const problems: string[] = [];
  const totals = (await pg.queryOne<{ documents: number; tokens: number; average_length: number }>(
    'SELECT documents, tokens, average_length FROM topk_totals'
  ))!;
  const rows = await pg.query<{ seq: number } & ISearchColumns>(
    'SELECT seq, title, description, tags, owner, language, packages, markdown, code FROM notebook_search'
  );
  let tokens = 0;
  for (const row of rows) {
    const fresh = documentImpacts(row, totals.average_length);
    tokens += fresh.length;
    const stored = await pg.query<{ term: string; impact: number }>(
      'SELECT t.term, p.impact FROM topk_postings p JOIN topk_terms t ON t.id = p.term_id WHERE p.seq = $1',
      [row.seq]
    );
    const held = new Map(stored.map(posting => [posting.term, posting.impact]));
    if (JSON.stringify([...held].sort()) !== JSON.stringify([...fresh.impacts].sort())) {
      problems.push(`notebook ${row.seq}: postings differ from a fresh indexing`);
    }
  }
  if (totals.documents !== rows.length || totals.tokens !== tokens) {
    problems.push(`totals ${totals.documents} notebooks, ${totals.tokens} tokens; ${rows.length}, ${tokens} indexed`);
  }
  const counts = await pg.query<{ term: string; documents: number; postings: number; max_impact: number; top: number }>(
    `SELECT t.term, t.documents, t.max_impact, count(p.seq)::integer AS postings, coalesce(max(p.impact), 0) AS top
     FROM topk_terms t LEFT JOIN topk_postings p ON p.term_id = t.id GROUP BY t.id
     HAVING t.documents <> count(p.seq) OR t.max_impact < coalesce(max(p.impact), 0)`
  );
  for (const row of counts) {
    problems.push(
      `term ${row.term}: counted ${row.documents}, ${row.postings} postings; bound ${row.max_impact} < ${row.top}`
    );
  }
  const documents = await pg.queryOne<{ stray: number }>(
    'SELECT count(*) AS stray FROM topk_documents d WHERE NOT EXISTS (SELECT 1 FROM notebook_search s WHERE s.seq = d.seq)'
  );
  if (documents!.stray > 0) {
    problems.push(`${documents!.stray} notebooks in topk_documents are not indexed`);
  }
  return problems;
}

const entry = (title: string, owner = 'ann'): ISearchEntry => ({ title, description: '', tags: ['maps'], owner });
const text = (markdown: string, code = ''): INotebookSearchText => ({
  language: 'python',
  packages: ['pandas'],
  markdown,
  code
});

describe('upkeep', () => {
  it('follows a save, a metadata patch, a transfer and a delete, and counts each word once per notebook', async () => {
    const first = await gallery.addNotebook({
      id: 'upkeep-a',
      title: 'Rainfall maps',
      owner: 'ann',
      text: text('Rain gauges and rainfall totals per region', 'plot(rain)')
    });
    const second = await gallery.addNotebook({
      id: 'upkeep-b',
      title: 'Rain radar',
      owner: 'bob',
      text: text('Radar echoes of rain', 'radar.plot()')
    });
    expect(await discrepancies(db.pg)).toEqual([]);
    const rain = async () =>
      (await db.pg.queryOne<{ documents: number }>("SELECT documents FROM topk_terms WHERE term = 'rain'"))!.documents;
    expect(await rain()).toBe(2);

    await gallery.search.put(first, entry('Snowfall maps'), text('Snow depth per region', 'plot(snow)'));
    expect(await discrepancies(db.pg)).toEqual([]);
    expect(await rain()).toBe(1);

    await gallery.search.putMetadata(second, { title: 'Radar', description: 'Rain and hail', tags: ['weather'] });
    expect(await discrepancies(db.pg)).toEqual([]);
    await gallery.search.putOwner(second, 'cat');
    expect(await discrepancies(db.pg)).toEqual([]);
    const owners = await db.pg.query<{ term: string; documents: number }>(
      "SELECT term, documents FROM topk_terms WHERE term IN ('bob', 'cat') ORDER BY term"
    );
    expect(owners).toEqual([
      { term: 'bob', documents: 0 },
      { term: 'cat', documents: 1 }
    ]);

    await gallery.search.remove(second);
    expect(await discrepancies(db.pg)).toEqual([]);
    expect(await rain()).toBe(0);
    await gallery.search.remove(first);
    expect(await discrepancies(db.pg)).toEqual([]);
  });

  it('rewrites only the postings whose impact changed when a save adds a word', async () => {
    const markdown = Array.from({ length: 60 }, (_, index) => `word${index}`).join(' ');
    const seq = await gallery.addNotebook({ id: 'diff', title: 'Diffs', owner: 'ann', text: text(markdown) });
    // As in a gallery past the size where a save re-freezes the average: the average is this notebook's length.
    await db.pg.transaction(() => new PgTopKIndex(db.pg).refresh());
    // The added word keeps the notebook in its length bucket, so no other impact changes.
    const length = (await db.pg.queryOne<{ length: number }>('SELECT length FROM topk_documents WHERE seq = $1', [
      seq
    ]))!.length;
    expect(lengthBucket(length + 1)).toBe(lengthBucket(length));
    const before = await db.pg.query<{ term_id: number; xmin: string }>(
      'SELECT term_id, xmin::text AS xmin FROM topk_postings WHERE seq = $1',
      [seq]
    );
    await gallery.search.put(seq, { ...entry('Diffs'), tags: [] }, text(`${markdown} zebra`));
    const after = await db.pg.query<{ term_id: number; xmin: string }>(
      'SELECT term_id, xmin::text AS xmin FROM topk_postings WHERE seq = $1',
      [seq]
    );
    const kept = new Map(before.map(row => [row.term_id, row.xmin]));
    const rewritten = after.filter(row => kept.get(row.term_id) !== row.xmin);
    expect(before.length).toBeGreaterThan(60);
    // zebra's posting alone: the notebook stays in its length bucket, so no other impact moves.
    expect(rewritten).toHaveLength(1);
    expect(await discrepancies(db.pg)).toEqual([]);
    await gallery.search.remove(seq);
  });

  it('keeps every count when two connections save notebooks sharing words at once', async () => {
    const seqs: number[] = [];
    for (let index = 0; index < 40; index++) {
      seqs.push(
        await gallery.addNotebook({ id: `concurrent-${index}`, title: 'Shared', owner: 'ann', text: text('') })
      );
    }
    const other = PgDatabase.connect(db.url, { maxConnections: 2 });
    try {
      const indexes = [new PgSearchIndex(db.pg), new PgSearchIndex(other)];
      // The two sides write the same 300 words in opposite orders: only taking the rows' locks in one order keeps
      // them from deadlocking, and each count must end at the number of notebooks holding the word.
      const roots = Array.from({ length: 300 }, (_, index) => `root${index.toString(36)}q`);
      const forms = [roots, [...roots].reverse()];
      await Promise.all(
        indexes.map(async (index, side) => {
          for (let round = 0; round < 3; round++) {
            for (const [position, seq] of seqs.entries()) {
              if (position % 2 === side) {
                const mine = forms[side];
                await index.put(
                  seq,
                  { ...entry('Shared'), tags: [] },
                  text(`${mine.slice(round).join(' ')} ${mine.join(' ')} only${seq}x${round}`)
                );
              }
            }
          }
        })
      );
    } finally {
      await other.close();
    }
    expect(await discrepancies(db.pg)).toEqual([]);
    const plot = await db.pg.queryOne<{ documents: number }>("SELECT documents FROM topk_terms WHERE term = 'root0q'");
    expect(plot!.documents).toBe(40);
    for (const seq of seqs) {
      await gallery.search.remove(seq);
    }
    expect(await discrepancies(db.pg)).toEqual([]);
  });

  it('fills the notebooks indexed before the upgrade from their rows, and recomputes every impact on refresh', async () => {
    const seq = await gallery.addNotebook({
      id: 'filled',
      title: 'Glacier retreat',
      owner: 'ann',
      text: text('Glacier mass balance')
    });
    const index = new PgTopKIndex(db.pg);
    // As the upgrade leaves a notebook: indexed by the tsvector, not by the engine, and queued.
    await db.pg.transaction(() => index.remove(seq));
    await db.pg.execute('INSERT INTO topk_fill_queue (seq) VALUES ($1)', [seq]);
    expect(await new PgTopKReader(db.pg).ready()).toBe(false);
    expect(await discrepancies(db.pg)).not.toEqual([]);
    expect(await index.fill(10)).toBe(0);
    expect(await new PgTopKReader(db.pg).ready()).toBe(true);
    expect(await discrepancies(db.pg)).toEqual([]);
    await db.pg.execute('UPDATE topk_totals SET average_length = average_length * 3');
    await db.pg.transaction(() => index.refresh());
    expect(await discrepancies(db.pg)).toEqual([]);
    await gallery.search.remove(seq);
  });
});

describe('the threshold algorithm over PostgreSQL', () => {
  const NOTEBOOKS = 1500;
  const STEMS = 'plot data frame join merge model train cluster regress forecast weather rain sales map graph'.split(
    ' '
  );
  const VOCABULARY = [
    ...STEMS.flatMap(stem => [stem, `${stem}s`, `${stem}ing`]),
    ...Array.from({ length: 300 }, (_, index) => `w${index.toString(36)}x${(index * 7919).toString(36)}`)
  ];

  const words = (next: () => number, count: number): string =>
    Array.from({ length: count }, () => VOCABULARY[Math.floor(VOCABULARY.length * next() ** 3)]).join(' ');

  beforeAll(async () => {
    for (let index = 0; index < NOTEBOOKS; index++) {
      const next = random(31 * (index + 1));
      // A tenth is readable by rex: public, or shared with him; the rest is private to its owner.
      const roll = index % 20;
      const visibility: Visibility = roll === 0 ? 'public' : 'private';
      await gallery.addNotebook({
        id: `nb${index.toString().padStart(5, '0')}`,
        title: words(next, 2 + Math.floor(next() * 4)),
        description: next() < 0.5 ? words(next, 5 + Math.floor(next() * 10)) : '',
        owner: ['ann', 'bob', 'cat'][index % 3],
        visibility,
        tags: next() < 0.3 ? ['maps'] : ['misc'],
        shares: roll === 10 ? [{ kind: 'user', name: 'rex', role: 'reader' }] : [],
        text: {
          markdown: words(next, 20 + Math.floor(next() * 120)),
          code: words(next, 10 + Math.floor(next() * 60))
        }
      });
    }
  }, 600_000);

  const token = (word: string, prefix = false): ISearchTerm => ({ tokens: [word], prefix });
  /** A word's root as the planner adds it: a prefix (topKRanking.ts counts its best term). */
  const root = (word: string): ISearchTerm => ({ tokens: [word], prefix: true });

  const QUERIES: [string, ISearchTerm[][], { tag?: string }][] = [
    ['a rare term', [[token(VOCABULARY[VOCABULARY.length - 3])]], {}],
    ['a common term', [[token('plot'), root('plot')]], {}],
    ['a word whose root has other forms', [[token('plots'), root('plot')]], {}],
    ['a prefix as typed', [[token('clu', true)]], {}],
    ['a filter and a term', [[token('weather'), root('weather')]], { tag: 'maps' }],
    ['several words', [[token('rain')], [token('forecast'), root('forecast')], [token('sales'), root('sale')]], {}],
    ['a typo and its corrections', [[token('forcast'), token('forecast')]], {}]
  ];

  async function source(caller: ICaller, request: { tag?: string }): Promise<ITopKSource> {
    const params = pgTopKParams();
    const filter = (await pgListFilter(db.pg, caller, request, params, false, false))!;
    return new PgTopKReader(db.pg).source(pgAdmission(db.pg, filter.where, params, null));
  }

  describe.each([
    ['an admin', callerOf('admin', true)],
    ['a reader who may see a tenth of the gallery', callerOf('rex')]
  ])('for %s', (_who, caller) => {
    it.each(QUERIES)('returns the exact two first pages for %s', async (_class, alternatives, request) => {
      const ranked = await new PgTopKReader(db.pg).words(alternatives);
      const from = await source(caller, request);
      const exact = await exactRanking(ranked, from);
      expect(exact.length).toBeGreaterThan(3);
      // Pages of 20, or of a third of the matches when a rare word has few (two pages, and more left after them).
      const size = Math.min(20, Math.floor(exact.length / 3));
      const first = await topK(ranked, from, size);
      expect(first).toEqual(exact.slice(0, size));
      const second = await topK(ranked, from, size, first[size - 1]);
      expect(second).toEqual(exact.slice(size, 2 * size));
    });
  });

  /** Two pages of 20 as `engine` ranks them through the listing: ids in order. */
  async function pages(engine: PgSearchEngine, caller: ICaller, q: string): Promise<string[][]> {
    const listing = new PgNotebookListing(db.pg, { searchEngine: engine });
    const first = await listing.list(caller, { q, limit: 20 });
    const second = first.nextCursor ? await listing.list(caller, { q, limit: 20, cursor: first.nextCursor }) : null;
    return [first, ...(second ? [second] : [])].map(page => page.records.map(record => record.id));
  }

  const SEARCHES: [string, string][] = [
    ['a rare term', VOCABULARY[VOCABULARY.length - 40]],
    ['a common term', 'plot'],
    ['a word whose root has other forms', 'plots'],
    ['a prefix as typed', 'clu'],
    ['a filter and a term', 'tag:maps weather'],
    ['an owner and a term', 'owner:ann weather'],
    ['several words', 'rain forecast sales'],
    ['a typo', 'forcast'],
    ['words and synonyms', 'chart sales']
  ];

  describe.each([
    ['an admin', callerOf('admin', true)],
    ['a reader who may see a tenth of the gallery', callerOf('rex')]
  ])('through the listing, for %s', (_who, caller) => {
    it.each(SEARCHES)('ranks %s exactly as scoring every match does', async (_class, q) => {
      const exact = await pages('exact', caller, q);
      expect(exact[0].length).toBeGreaterThan(0);
      expect(await pages('topk', caller, q)).toEqual(exact);
    });
  });

  it('finds the same notebooks as the tsvector search, only ranked by its own definition', async () => {
    const ids = async (engine: PgSearchEngine, q: string) =>
      (
        await new PgNotebookListing(db.pg, { searchEngine: engine }).list(callerOf('admin', true), { q, limit: 2000 })
      ).records
        .map(record => record.id)
        .sort();
    for (const q of ['weather', 'clu', 'forcast', 'rain forecast', 'plots', 'chart']) {
      const tsvector = await ids('tsvector', q);
      expect(tsvector.length).toBeGreaterThan(0);
      expect(await ids('topk', q)).toEqual(tsvector);
    }
  });

  it('leaves out what the read rule hides', async () => {
    const ranked = await new PgTopKReader(db.pg).words([[token('plot'), root('plot')]]);
    const all = await exactRanking(ranked, await source(callerOf('admin', true), {}));
    const readable = await exactRanking(ranked, await source(callerOf('rex'), {}));
    expect(readable.length).toBeLessThan(all.length / 5);
    expect(readable.every(scored => [0, 10].includes(Number(scored.id.slice(2)) % 20))).toBe(true);
  });
});
