import { sqliteDatabase } from '@notebook-gallery/server';
import { PgNotebookListing } from '@notebook-gallery/server/lib/repositories/postgres/pgNotebookListing';
import type { PgDatabase } from '@notebook-gallery/server/lib/db/postgres/pgDatabase';
import { fixed, now, percentile } from './measure';
import { copyForSearch } from './pgSearchCopy';
import { loadCorpusQueries, openCorpusGallery } from './searchCorpus';

/**
 * `npm run eval:search [-- --verbose]`: loads the relevance corpus into a real temporary gallery and prints, per
 * query class, the mean reciprocal rank (of the first expected notebook in the top 10) and the share of queries
 * whose first result is expected, for the gallery's search next to plain unweighted FTS5 BM25 over the same index
 * (every word required, the last a prefix, as search worked before; and any word). Queries marked `heldout` were
 * written after the ranking was tuned on the others and are also reported apart. `--verbose` lists the misses.
 * `--postgres URL` (an empty database) also copies the corpus there and ranks it with the PostgreSQL search
 * (repositories/postgres), words alone, as a `postgres` column (the tsvector ranking) and a `postgres top-k` column
 * (the top-k engine, pgTopKListing.ts).
 */

const TOP = 10;
const ANN = { user: { username: 'reader', isAdmin: false }, groups: new Map() };

interface IScore {
  reciprocal: number;
  first: boolean;
}

function score(ranked: readonly string[], expected: ReadonlySet<string>): IScore {
  const index = ranked.findIndex(id => expected.has(id));
  return { reciprocal: index === -1 ? 0 : 1 / (index + 1), first: index === 0 };
}

/** The words of a query as quoted FTS5 strings, as a plain search box would send them. */
function plainTerms(q: string): string[] {
  return q
    .split(/\s+/)
    .map(term => term.replace(/"/g, ''))
    .filter(term => /[\p{L}\p{N}]/u.test(term))
    .map((term, index, all) => `"${term}"${index === all.length - 1 ? '*' : ''}`);
}

async function main(): Promise<void> {
  const verbose = process.argv.includes('--verbose');
  const postgresAt = process.argv.indexOf('--postgres');
  const postgresUrl = postgresAt >= 0 ? process.argv[postgresAt + 1] : undefined;
  const queries = loadCorpusQueries();
  const corpus = await openCorpusGallery();
  let pg: PgDatabase | undefined;
  try {
    const { gallery, ids } = corpus;
    await gallery.accounts.add('reader', 'reader-password');
    const titles = new Map([...ids].map(([key, id]) => [id, key]));
    const plain = sqliteDatabase(gallery).prepare(
      `SELECT n.id FROM notebook_search JOIN notebooks n ON n.seq = notebook_search.rowid
       WHERE notebook_search MATCH ? ORDER BY rank LIMIT ${TOP}`
    );
    const systems: Record<string, (q: string) => string[] | Promise<string[]>> = {
      ours: async q => (await gallery.notebooks.list(ANN, { q, limit: TOP })).items.map(item => item.id),
      'bm25 AND': q => {
        const terms = plainTerms(q);
        return terms.length ? (plain.all(terms.join(' ')) as { id: string }[]).map(row => row.id) : [];
      },
      'bm25 OR': q => {
        const terms = plainTerms(q);
        return terms.length ? (plain.all(terms.join(' OR ')) as { id: string }[]).map(row => row.id) : [];
      }
    };
    if (postgresUrl) {
      pg = await copyForSearch(sqliteDatabase(gallery), postgresUrl);
      const listing = new PgNotebookListing(pg, { searchEngine: 'tsvector' });
      const topK = new PgNotebookListing(pg, { searchEngine: 'topk' });
      systems.postgres = async q => (await listing.list(ANN, { q, limit: TOP })).records.map(record => record.id);
      systems['postgres top-k'] = async q => (await topK.list(ANN, { q, limit: TOP })).records.map(record => record.id);
    }
    const names = Object.keys(systems);
    const classes = [...new Set(queries.map(query => query.class)), 'all', 'tuned on', 'held out'];
    const totals = new Map<string, { reciprocal: number; first: number; count: number }>();
    const latencies = new Map<string, number[]>(names.map(name => [name, []]));
    for (const query of queries) {
      const expected = new Set(
        query.expected.map(key => {
          const id = ids.get(key);
          if (!id) {
            throw new Error(`query "${query.q}" expects ${key}, which is not in the corpus`);
          }
          return id;
        })
      );
      for (const name of names) {
        const start = now();
        const ranked = await systems[name](query.q);
        latencies.get(name)?.push(now() - start);
        const result = score(ranked, expected);
        for (const group of [query.class, 'all', query.set === 'heldout' ? 'held out' : 'tuned on']) {
          const total = totals.get(`${name}/${group}`) ?? { reciprocal: 0, first: 0, count: 0 };
          total.reciprocal += result.reciprocal;
          total.first += result.first ? 1 : 0;
          total.count++;
          totals.set(`${name}/${group}`, total);
        }
        if (verbose && name === 'ours' && !result.first) {
          console.log(
            `miss [${query.class}] "${query.q}": ${ranked
              .slice(0, 3)
              .map(id => titles.get(id))
              .join(', ')}`
          );
        }
      }
    }
    console.log(`Search relevance: ${ids.size} notebooks, ${queries.length} queries (MRR@${TOP} / top-1)\n`);
    const header = ['class', 'queries', ...names.flatMap(name => [`${name} MRR`, `${name} top-1`])];
    const rows = classes.map(group => {
      const count = totals.get(`ours/${group}`)?.count ?? 0;
      return [
        group,
        String(count),
        ...names.flatMap(name => {
          const total = totals.get(`${name}/${group}`) ?? { reciprocal: 0, first: 0, count: 1 };
          return [fixed(total.reciprocal / total.count, 3), `${fixed((100 * total.first) / total.count, 0)}%`];
        })
      ];
    });
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column].length)));
    for (const row of [header, ...rows]) {
      console.log(
        row
          .map((cell, column) => cell.padEnd(widths[column]))
          .join('  ')
          .trimEnd()
      );
    }
    console.log('\nLatency per query, first page of 10 (this corpus is small; see npm run bench for scale):');
    for (const name of names) {
      const samples = latencies.get(name) ?? [];
      console.log(
        `  ${name.padEnd(9)} p50 ${fixed(percentile(samples, 50))} ms, p95 ${fixed(percentile(samples, 95))} ms`
      );
    }
  } finally {
    await pg?.close();
    await corpus.close();
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
