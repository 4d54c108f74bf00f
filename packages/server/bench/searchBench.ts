import { sqliteDatabase } from '@notebook-gallery/server';
import { openGallery } from '@notebook-gallery/server';
import type { GalleryDatabase } from '@notebook-gallery/server/lib/db/database';
import { SqliteSearchIndex } from '@notebook-gallery/server/lib/repositories/sqlite/sqliteSearchIndex';
import { fixed, now, percentile } from './measure';
import { READER, type IGeneratedGallery } from './generatedGallery';
import { SqliteUnitOfWork } from '@notebook-gallery/server/lib/repositories/sqlite/sqliteUnitOfWork';
import { PgDatabase } from '@notebook-gallery/server/lib/db/postgres/pgDatabase';
import { PgSearchIndex } from '@notebook-gallery/server/lib/repositories/postgres/pgSearchIndex';
import { PgNotebookListing } from '@notebook-gallery/server/lib/repositories/postgres/pgNotebookListing';

/** p50 and p95 in milliseconds of one kind of request, with the plain FTS5 baseline where there is one. */
export interface ISearchLatency {
  label: string;
  queries: string[];
  p50: number;
  p95: number;
  /** How many runs the percentiles are from. */
  runs: number;
  /** Unweighted FTS5 `MATCH ... ORDER BY rank LIMIT 20` over the same words, same run. */
  baseline?: { p50: number; p95: number };
  /** On PostgreSQL: the same searches ranked by the top-k engine (pgTopKListing.ts), same run. */
  topK?: { p50: number; p95: number };
}

export interface ISearchBenchResult {
  size: number;
  /** Which database the gallery's rows and search index were in. */
  backend: 'sqlite' | 'postgres';
  latencies: ISearchLatency[];
  /**
   * Indexing one notebook on save: the search index put of its text with one word added, in its own transaction,
   * committed (FTS5 and, on SQLite, the top-k engine's tables).
   */
  indexPut: { p50: number; p95: number };
  /** Resident set size of the process (its read workers are threads of it) after each ranking's queries, MB. */
  rss: { ranking: string; mb: number }[];
  /** Filling the top-k engine's tables after the upgrade (0 when the cached gallery had them already), s. */
  fillSeconds: number;
  /** The database file and the share of it the top-k engine's tables take, MB. */
  databaseMb: number;
  rankingMb: number;
  /** On PostgreSQL: the bytes of the search tables (with their indexes and TOAST), by table. */
  tableSizes?: { table: string; bytes: number }[];
}

/** The rankings compared on SQLite, each in its own gallery instance (read workers take it from the environment). */
const RANKINGS = ['fts5', 'topk'] as const;

const PAGE = 20;
/** Rounds over each class's queries (each round runs every query once): this many, or fewer past the budget. */
const ROUNDS = 15;
const MIN_ROUNDS = 3;
/** Time per class after which no new round starts, so a slow class does not make the bench run for many minutes. */
const BUDGET_MS = 20_000;

/**
 * Search latency for a non-admin reader through the notebook service (the code path of GET /api/notebooks?q=), per
 * class of query, next to a plain FTS5 query over the same words in the same run; the cost of indexing one notebook.
 * `databaseUrl`: the same gallery copied into PostgreSQL (benchPostgres.ts), searched through the PostgreSQL
 * repositories; the FTS5 baseline is SQLite's alone, and the rare terms are read from the SQLite copy, so both backends
 * run the very same queries.
 */
export async function runSearchBench(
  generated: IGeneratedGallery,
  databaseUrl: string | null = null
): Promise<ISearchBenchResult> {
  if (databaseUrl !== null) {
    // The gallery's own listing ranks with the tsvector (the baseline); the top-k column asks the engine directly.
    return withSearchEngine('tsvector', () => runSearchBenchWith(generated, databaseUrl, null));
  }
  let result: ISearchBenchResult | null = null;
  for (const ranking of RANKINGS) {
    const one = await withSearchEngine(ranking, () => runSearchBenchWith(generated, null, ranking));
    result =
      result === null
        ? one
        : {
            ...one,
            latencies: [...result.latencies, ...one.latencies],
            rss: [...result.rss, ...one.rss],
            fillSeconds: result.fillSeconds + one.fillSeconds
          };
  }
  return result!;
}

/**
 * Runs `work` with NOTEBOOK_GALLERY_SEARCH_ENGINE set to `ranking`, which the galleries opened meanwhile (and their read
 * workers) take: unset, both backends now rank with the top-k engine, and a baseline measured that way would be the
 * engine against itself.
 */
async function withSearchEngine<T>(ranking: string, work: () => Promise<T>): Promise<T> {
  const previous = process.env.NOTEBOOK_GALLERY_SEARCH_ENGINE;
  process.env.NOTEBOOK_GALLERY_SEARCH_ENGINE = ranking;
  try {
    return await work();
  } finally {
    if (previous === undefined) {
      delete process.env.NOTEBOOK_GALLERY_SEARCH_ENGINE;
    } else {
      process.env.NOTEBOOK_GALLERY_SEARCH_ENGINE = previous;
    }
  }
}

async function runSearchBenchWith(
  generated: IGeneratedGallery,
  databaseUrl: string | null,
  ranking: (typeof RANKINGS)[number] | null
): Promise<ISearchBenchResult> {
  const sqliteGallery = await openGallery({ dataDir: generated.dataDir, fsync: false });
  // A gallery cached before the engine's tables existed is filled once, as the server does in the background.
  const fillStart = now();
  const filled = await sqliteGallery.fillSearchRanking();
  const fillSeconds = filled > 0 ? (now() - fillStart) / 1000 : 0;
  const gallery = databaseUrl
    ? await openGallery({ dataDir: generated.dataDir, fsync: false, databaseUrl })
    : sqliteGallery;
  try {
    const db = sqliteDatabase(sqliteGallery);
    const caller = { user: { username: READER, isAdmin: false }, groups: await gallery.groups.rolesOf(READER) };
    // Rare: the rarest words of the long tail (among those starting with z, so the vocabulary scan stays short).
    const rare = (
      db
        .prepare(
          `SELECT term FROM notebook_search_terms WHERE term >= 'z' AND term < '{' AND term NOT GLOB '*[0-9]*'
           AND doc >= 3 ORDER BY doc, term LIMIT 5`
        )
        .all() as { term: string }[]
    ).map(row => row.term);
    const classes: { label: string; queries: string[] }[] = [
      { label: 'rare term', queries: rare },
      { label: 'common term', queries: ['data', 'model', 'plot', 'analysis', 'values'] },
      { label: 'prefix (as typed)', queries: ['matpl', 'regr', 'pand', 'clust', 'visu'] },
      {
        label: 'filter + term',
        queries: [
          'tag:visualization plot',
          'owner:user17 data',
          'tag:statistics test',
          'tag:pandas merge',
          'owner:team7 model'
        ]
      },
      {
        label: 'several words',
        queries: [
          'plot sales by region',
          'train a random forest classifier',
          'clean missing values',
          'time series forecast',
          'correlation heatmap seaborn'
        ]
      },
      // One letter dropped, doubled or swapped in a common word, as typed in a hurry.
      { label: 'typo', queries: ['regresion', 'clasification', 'vizualization', 'corelation', 'forcast'] }
    ];
    const plain = db.prepare(
      `SELECT rowid FROM notebook_search WHERE notebook_search MATCH ? ORDER BY rank LIMIT ${PAGE}`
    );
    const latencies: ISearchLatency[] = [];
    const tag = ranking === null ? '' : ` [${ranking}]`;
    const pg = databaseUrl ? PgDatabase.connect(databaseUrl, { maxConnections: 4 }) : null;
    try {
      const topK = pg ? new PgNotebookListing(pg, { searchEngine: 'topk' }) : null;
      for (const { label, queries } of classes) {
        latencies.push({
          label: label + tag,
          queries,
          ...(await time(queries, q => gallery.notebooks.list(caller, { q, limit: PAGE }))),
          baseline: databaseUrl ? undefined : await time(queries.map(plainMatch), match => plain.all(match)),
          topK: topK ? await time(queries, q => topK.list(caller, { q, limit: PAGE })) : undefined
        });
      }
    } finally {
      await pg?.close();
    }
    const rss = [{ ranking: ranking ?? 'postgres', mb: process.memoryUsage().rss / 1e6 }];
    const sizes = databaseSizes(db);
    if (ranking === 'topk') {
      return {
        size: generated.size,
        backend: 'sqlite',
        latencies,
        indexPut: await timeIndexPut(generated, db),
        rss,
        fillSeconds,
        ...sizes
      };
    }
    latencies.push({
      label: 'list, no query (updated)',
      queries: [''],
      ...(await time([''], () => gallery.notebooks.list(caller, { limit: PAGE })))
    });
    latencies.push({
      label: 'list, no query, anonymous',
      queries: [''],
      ...(await time([''], () => gallery.notebooks.list({ user: null, groups: new Map() }, { limit: PAGE })))
    });
    latencies.push({
      label: 'list, no query (title)',
      queries: [''],
      ...(await time([''], () => gallery.notebooks.list(caller, { limit: PAGE, sort: 'title' })))
    });
    return {
      size: generated.size,
      backend: databaseUrl ? 'postgres' : 'sqlite',
      latencies,
      indexPut: databaseUrl ? await timePgIndexPut(generated, databaseUrl) : await timeIndexPut(generated, db),
      rss,
      fillSeconds,
      ...sizes,
      tableSizes: databaseUrl ? await pgTableSizes(databaseUrl) : undefined
    };
  } finally {
    if (gallery !== sqliteGallery) {
      await gallery.close();
    }
    await sqliteGallery.close();
  }
}

/**
 * Runs each query once to warm up, then {@link ROUNDS} rounds over all of them (at least {@link MIN_ROUNDS}, fewer
 * when they exceed {@link BUDGET_MS}); p50 and p95 per run, and how many runs they are from.
 */
async function time<T>(
  inputs: readonly T[],
  run: (input: T) => unknown
): Promise<{ p50: number; p95: number; runs: number }> {
  for (const input of inputs) {
    await run(input);
  }
  const samples: number[] = [];
  const start = now();
  for (let round = 0; round < ROUNDS && (round < MIN_ROUNDS || now() - start < BUDGET_MS); round++) {
    for (const input of inputs) {
      const start = now();
      await run(input);
      samples.push(now() - start);
    }
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), runs: samples.length };
}

/**
 * The words of a query as a plain search box would send them to FTS5: every word required, the last a prefix;
 * `tag:` and `owner:` filters dropped (plain FTS5 has no permission or filter to apply).
 */
function plainMatch(q: string): string {
  return q
    .split(/\s+/)
    .filter(word => word && !word.includes(':'))
    .map((word, index, all) => `"${word}"${index === all.length - 1 ? '*' : ''}`)
    .join(' ');
}

/** The database file's size, and what the top-k engine's tables and index take of it (dbstat), MB. */
function databaseSizes(db: GalleryDatabase): { databaseMb: number; rankingMb: number } {
  const page = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  let rankingMb = 0;
  try {
    const row = db
      .prepare(
        "SELECT sum(pgsize) AS bytes FROM dbstat WHERE name LIKE 'topk\\_%' ESCAPE '\\' OR name LIKE 'sqlite_autoindex_topk%'"
      )
      .get() as { bytes: number | null };
    rankingMb = (row.bytes ?? 0) / 1e6;
  } catch {
    rankingMb = Number.NaN; // SQLite built without dbstat
  }
  return { databaseMb: (page * pages) / 1e6, rankingMb };
}

/**
 * Re-indexes existing notebooks with their text and one word added, each in its own committed transaction, as a save
 * of a small edit does; then puts the text back, untimed, so the cached gallery stays as generated.
 */
async function timeIndexPut(generated: IGeneratedGallery, db: GalleryDatabase): Promise<{ p50: number; p95: number }> {
  const search = new SqliteSearchIndex(db);
  const seqOf = db.prepare('SELECT seq FROM notebooks WHERE id = ?');
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) {
    const index = Math.floor((i * generated.size) / 200);
    const { id, entry, text } = generated.sample(index);
    const { seq } = seqOf.get(id) as { seq: number };
    const edited = { ...text, markdown: `${text.markdown} revised` };
    const start = now();
    await new SqliteUnitOfWork(db).transaction(() => search.put(seq, entry, edited));
    samples.push(now() - start);
    await new SqliteUnitOfWork(db).transaction(() => search.put(seq, entry, text));
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

/** {@link timeIndexPut} on PostgreSQL: PgSearchIndex.put in a transaction of its own, committed. */
async function timePgIndexPut(
  generated: IGeneratedGallery,
  databaseUrl: string
): Promise<{ p50: number; p95: number }> {
  const pg = PgDatabase.connect(databaseUrl, { maxConnections: 1 });
  try {
    const search = new PgSearchIndex(pg);
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const { id, entry, text } = generated.sample(Math.floor((i * generated.size) / 200));
      const { seq } = (await pg.queryOne<{ seq: number }>('SELECT seq FROM notebooks WHERE id = $1', [id]))!;
      const start = now();
      await pg.transaction(() => search.put(seq, entry, text));
      samples.push(now() - start);
    }
    return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
  } finally {
    await pg.close();
  }
}

/** The size of PostgreSQL's search tables: the tsvector index's, and the top-k engine's. */
async function pgTableSizes(databaseUrl: string): Promise<{ table: string; bytes: number }[]> {
  const pg = PgDatabase.connect(databaseUrl, { maxConnections: 1 });
  try {
    return await pg.query<{ table: string; bytes: number }>(
      `SELECT relname AS table, pg_total_relation_size(oid) AS bytes FROM pg_class
       WHERE relkind = 'r' AND relname IN ('notebook_search', 'search_terms', 'topk_terms', 'topk_postings',
         'topk_documents') ORDER BY relname`
    );
  } finally {
    await pg.close();
  }
}

/** Prints the latencies, the baseline and their ratio, and the index time per save. */
export function printSearchResults(result: ISearchBenchResult): void {
  console.log(
    `\nSearch and list on ${result.backend} at ${result.size.toLocaleString('en')} notebooks, non-admin reader, page of ${PAGE} (ms)`
  );
  console.log(
    `  ${'class'.padEnd(32)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'runs'.padStart(5)}   FTS5 baseline p50 / p95   ratio p50 / p95`
  );
  for (const r of result.latencies) {
    const base = r.baseline
      ? `${fixed(r.baseline.p50).padStart(8)} / ${fixed(r.baseline.p95).padEnd(8)}   ${fixed(r.p50 / r.baseline.p50, 1).padStart(6)} / ${fixed(r.p95 / r.baseline.p95, 1)}`
      : r.topK
        ? `top-k ${fixed(r.topK.p50).padStart(8)} / ${fixed(r.topK.p95).padEnd(8)} (the columns before: the tsvector ranking)`
        : '';
    console.log(
      `  ${r.label.padEnd(32)} ${fixed(r.p50).padStart(8)} ${fixed(r.p95).padStart(8)} ${String(r.runs).padStart(5)}   ${base}`
    );
  }
  for (const r of result.latencies.filter(r => r.queries.some(q => q))) {
    console.log(`    ${r.label}: ${r.queries.map(q => JSON.stringify(q)).join(', ')}`);
  }
  console.log(
    `  index one notebook on save (one word added, search index put, committed): p50 ${fixed(result.indexPut.p50)}  p95 ${fixed(result.indexPut.p95)}`
  );
  console.log(
    `  process RSS after each ranking's queries: ${result.rss.map(r => `${r.ranking} ${fixed(r.mb, 0)} MB`).join(', ')}`
  );
  console.log(
    `  database ${fixed(result.databaseMb, 0)} MB, of which the top-k engine's tables ${fixed(result.rankingMb, 0)} MB; filling them after the upgrade took ${fixed(result.fillSeconds, 1)} s`
  );
  for (const { table, bytes } of result.tableSizes ?? []) {
    console.log(`  ${table.padEnd(16)} ${(bytes / 1024 / 1024).toFixed(1).padStart(8)} MB`);
  }
}
