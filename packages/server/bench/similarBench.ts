import { sqliteDatabase } from '@notebook-gallery/server';
import type { INotebookSearchText, Visibility } from '@notebook-gallery/core';
import { openGallery } from '@notebook-gallery/server';
import type { ICaller } from '@notebook-gallery/server/lib/auth/permissions';
import { SqliteNotebookRepository } from '@notebook-gallery/server/lib/repositories/sqlite/sqliteNotebookRepository';
import { SqliteSimilarityRepository } from '@notebook-gallery/server/lib/repositories/sqlite/sqliteSimilarityRepository';
import { sqliteAccountRepositories } from '@notebook-gallery/server/lib/repositories/sqlite/sqliteAccountRepositories';
import { NO_PASSWORD } from '@notebook-gallery/server/lib/repositories/userRepository';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixed, now, percentile } from './measure';
import { SqliteUnitOfWork } from '@notebook-gallery/server/lib/repositories/sqlite/sqliteUnitOfWork';
import { seededRandom as random } from './seededRandom';

/** Similar-notebook cost at one gallery size. */
export interface ISimilarResult {
  notebooks: number;
  /** Milliseconds to build and store one notebook's vector (what a save adds), median and 95th percentile. */
  putP50: number;
  putP95: number;
  /** Milliseconds per similar query (limit 5) as a non-admin reader, median and 95th percentile. */
  queryP50: number;
  queryP95: number;
  /** Rows of `notebook_terms`, and of `similarity_terms`. */
  termRows: number;
  vocabulary: number;
}

const PACKAGES = (
  'numpy pandas matplotlib scipy seaborn sklearn statsmodels xarray geopandas folium requests sqlalchemy ' +
  'torch tensorflow keras plotly bokeh altair networkx sympy numba dask pyarrow polars h5py netCDF4 astropy ' +
  'skimage cv2 PIL tqdm joblib json os re datetime collections itertools math random'
).split(' ');
const USERS = 50;
const QUERIES = 200;

/**
 * A word of a made-up vocabulary of `size` words, drawn with a Zipf-like skew (a few words are everywhere); letters
 * only, since names in code are split at digits.
 */
function zipfWord(next: () => number, prefix: string, size: number): string {
  let rank = Math.floor(Math.pow(size, next()));
  let word = '';
  do {
    word += String.fromCharCode(97 + (rank % 26));
    rank = Math.floor(rank / 26);
  } while (rank > 0);
  return `${prefix}${word.padEnd(3, 'a')}`;
}

/** Text shaped like a notebook's: 2-5 packages, ~300 names in code, ~200 words of prose. */
function generatedText(next: () => number): INotebookSearchText {
  const packages = new Set<string>();
  const count = 2 + Math.floor(next() * 4);
  while (packages.size < count) {
    packages.add(PACKAGES[Math.floor(Math.pow(next(), 2) * PACKAGES.length)]);
  }
  const code: string[] = [];
  for (let i = 0; i < 300; i++) {
    code.push(`${zipfWord(next, 'n', 20_000)}_${zipfWord(next, 'p', 5_000)}`);
  }
  const prose: string[] = [];
  for (let i = 0; i < 200; i++) {
    prose.push(zipfWord(next, 'w', 30_000));
  }
  return {
    packages: [...packages],
    code: [...packages].map(name => `import ${name}`).join('\n') + '\n' + code.join(' = '),
    markdown: prose.join(' '),
    language: 'python python3'
  };
}

/**
 * Builds a gallery of `size` generated notebooks (rows and vectors written straight through the repositories; 30%
 * private), timing each vector, then times the similar query for random notebooks as a reader who is not an admin.
 */
export async function runSimilarBench(size: number): Promise<ISimilarResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-similar-'));
  const gallery = await openGallery({ dataDir, fsync: false });
  try {
    const db = sqliteDatabase(gallery);
    const notebooks = new SqliteNotebookRepository(db);
    const similarity = new SqliteSimilarityRepository(db);
    const { users } = sqliteAccountRepositories(db);
    const createdAt = new Date().toISOString();
    for (let i = 0; i < USERS; i++) {
      await users.insert({ username: `user${i}`, passwordHash: NO_PASSWORD, isAdmin: false, email: null, createdAt });
    }
    const next = random(42);
    const puts: number[] = [];
    const seqs: number[] = [];
    for (let i = 0; i < size; i++) {
      const title = `${zipfWord(next, 'w', 30_000)} ${zipfWord(next, 'w', 30_000)} notebook ${i}`;
      const visibility: Visibility = next() < 0.3 ? 'private' : 'public';
      const owner = `user${i % USERS}`;
      const text = generatedText(next);
      const sha = i.toString(16).padStart(40, '0');
      await new SqliteUnitOfWork(db).transaction(async () => {
        const seq = await notebooks.insert({
          id: `nb${i}`,
          title,
          description: '',
          tags: [zipfWord(next, 't', 300)],
          ownerKind: 'user',
          owner,
          visibility,
          group: null,
          parent: null,
          revision: { number: 1, sha, blobSha: sha, author: owner, message: 'Create', createdAt }
        });
        const start = now();
        await similarity.put(seq, { title, description: '', tags: [] }, text);
        puts.push(now() - start);
        seqs.push(seq);
      });
    }
    const reader: ICaller = { user: { username: 'user1', isAdmin: false }, groups: new Map() };
    const times: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const seq = seqs[Math.floor(next() * seqs.length)];
      const start = now();
      await similarity.similar(reader, seq, 5);
      times.push(now() - start);
    }
    const count = (table: string): number =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      notebooks: size,
      putP50: percentile(puts, 50),
      putP95: percentile(puts, 95),
      queryP50: percentile(times, 50),
      queryP95: percentile(times, 95),
      termRows: count('notebook_terms'),
      vocabulary: count('similarity_terms')
    };
  } finally {
    await gallery.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Prints one line per gallery size. */
export function printSimilarResults(results: readonly ISimilarResult[]): void {
  console.log('\nSimilar notebooks (generated notebooks, 30% private; limit 5, as a non-admin reader)');
  console.log('notebooks  vector p50/p95 ms  query p50/p95 ms  term rows  vocabulary');
  for (const r of results) {
    console.log(
      `${String(r.notebooks).padStart(9)}  ${`${fixed(r.putP50)} / ${fixed(r.putP95)}`.padStart(17)}  ` +
        `${`${fixed(r.queryP50)} / ${fixed(r.queryP95)}`.padStart(16)}  ${String(r.termRows).padStart(9)}  ` +
        `${String(r.vocabulary).padStart(10)}`
    );
  }
}

/** `node bench/lib/similarBench.js [SIZE...]`: 1,000 and 5,000 notebooks when no size is given. */
async function main(): Promise<void> {
  const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1_000, 5_000];
  if (sizes.some(size => !Number.isInteger(size) || size < 10)) {
    throw new Error(`gallery sizes must be whole numbers of at least 10, got "${process.argv.slice(2).join(' ')}"`);
  }
  const results: ISimilarResult[] = [];
  for (const size of sizes) {
    results.push(await runSimilarBench(size));
  }
  printSimilarResults(results);
}

if (require.main === module) {
  main().catch(error => {
    console.error(error);
    process.exitCode = 1;
  });
}
