import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { notebookSearchText } from '@notebook-gallery/core';
import { openDatabase } from '@notebook-gallery/server/lib/db/database';
import { SqliteEmbeddingRepository } from '@notebook-gallery/server/lib/repositories/sqlite/sqliteEmbeddingRepository';
import { MIN_MEANING_SCORE, VECTOR_CANDIDATES } from '@notebook-gallery/server/lib/repositories/sqlite/hybridSearch';
import { cosine, embedNotebook } from '@notebook-gallery/server/lib/search/embedding/notebookEmbeddings';
import { METADATA_SHARE } from '@notebook-gallery/server/lib/repositories/sqlite/sqliteEmbeddingRepository';
import { loadEmbeddingModel } from '@notebook-gallery/server/lib/search/embedding/embeddingThread';
import { fixed, now, percentile } from './measure';
import { loadCorpusQueries, loadSearchCorpus } from './searchCorpus';
import { SqliteUnitOfWork } from '@notebook-gallery/server/lib/repositories/sqlite/sqliteUnitOfWork';

/** The model the bench measures: GALLERY_EMBEDDING_MODEL, else where scripts/lib.sh puts it. */
function modelDir(): string {
  return (
    process.env.GALLERY_EMBEDDING_MODEL ||
    path.join(
      process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
      'notebook-gallery',
      'embedding-model-minilm-int8-1.0.0'
    )
  );
}

function summary(samples: number[], unit: 'ms' | 'µs'): string {
  const scale = unit === 'µs' ? 1000 : 1;
  return `p50 ${fixed(percentile(samples, 50) * scale)} ${unit}, p95 ${fixed(percentile(samples, 95) * scale)} ${unit}`;
}

/**
 * `--only=embeddings`: the cost of search by meaning. Embedding a query and a notebook (the relevance corpus's
 * real notebooks and queries), then the vector search of two non-admin readers over `size` notebooks (a tenth public,
 * four tenths private to the first reader, who so reads half, the rest private to others; embeddings of the corpus,
 * cycled with noise), and the process RSS.
 */
export async function runEmbeddingBench(size: number): Promise<void> {
  const startRss = process.memoryUsage().rss;
  const loadStart = now();
  const model = await loadEmbeddingModel(modelDir(), { warn: () => undefined, error: () => undefined });
  if (model === null) {
    throw new Error(`no embedding model in ${modelDir()}: run "source scripts/lib.sh && ensure_embedding_model"`);
  }
  const loadMs = now() - loadStart;
  const modelRss = process.memoryUsage().rss - startRss;
  const queries = loadCorpusQueries().map(query => query.q);
  const queryTimes: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const q of queries) {
      const start = now();
      await model.embed(q);
      queryTimes.push(now() - start);
    }
  }
  const corpus = loadSearchCorpus();
  const saveTimes: number[] = [];
  const embedded: Awaited<ReturnType<typeof embedNotebook>>[] = [];
  for (const entry of corpus) {
    const text = notebookSearchText(entry.notebook);
    const start = now();
    embedded.push(await embedNotebook(model, entry, text));
    saveTimes.push(now() - start);
  }
  console.log(`  model: loaded in ${fixed(loadMs, 0)} ms, ${fixed(modelRss / 2 ** 20, 0)} MB of RSS`);
  console.log(`  embed a query (${queries.length} corpus queries x 5): ${summary(queryTimes, 'ms')}`);
  console.log(
    `  embed a notebook, by the embedding queue after its save (${corpus.length} real notebooks): ` +
      summary(saveTimes, 'ms')
  );

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-embeddings-'));
  try {
    const db = openDatabase(dataDir, { fsync: false });
    const repository = new SqliteEmbeddingRepository(db);
    const noise = (vector: Int8Array): Int8Array =>
      vector.map(value => Math.max(-127, Math.min(127, value + Math.round((Math.random() - 0.5) * 40))));
    const insert = db.prepare(
      `INSERT INTO notebooks (id, title, description, owner, created_at, updated_at, head_sha, head_blob_sha,
         revision_count, owner_kind, visibility) VALUES (?, 't', '', ?, '2026-01-01', '2026-01-01', 'x', 'x', 1, 'user', ?)`
    );
    await new SqliteUnitOfWork(db).transaction(async () => {
      const user = db.prepare("INSERT INTO users (username, password_hash, created_at) VALUES (?, '-', '2026-01-01')");
      for (let i = 0; i < 50; i++) {
        user.run(`owner${i}`);
      }
      user.run('wide');
      // A tenth public; four tenths private to "wide", who so reads half; the rest private to 50 others.
      for (let i = 0; i < size; i++) {
        const owner = i % 10 >= 1 && i % 10 <= 4 ? 'wide' : `owner${i % 50}`;
        const seq = Number(insert.run(`n${i}`, owner, i % 10 === 0 ? 'public' : 'private').lastInsertRowid);
        const source = embedded[i % embedded.length];
        await repository.put(seq, { metadata: noise(source.metadata), text: noise(source.text) }, model.model, 0);
      }
    });
    const half = { user: { username: 'wide', isAdmin: false }, groups: new Map() };
    const tenth = { user: { username: 'reader', isAdmin: false }, groups: new Map() };
    const warmStart = now();
    await repository.nearest(half, {}, await model.embed('warm up'), VECTOR_CANDIDATES, MIN_MEANING_SCORE);
    const warmMs = now() - warmStart;
    const vectors: Float32Array[] = [];
    for (const q of queries.slice(0, 40)) {
      vectors.push(await model.embed(q));
    }
    // Three passes over the 40 queries, the two readers alternating, so both see the same moments of load.
    const searchTimes = { half: [] as number[], tenth: [] as number[] };
    // The process's CPU time per search too: what the machine's load does not stretch (the bench is one thread).
    const cpuTimes = { half: [] as number[], tenth: [] as number[] };
    const cpu = () => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1000;
    };
    const loads: number[] = [];
    for (let pass = 0; pass < 3; pass++) {
      loads.push(os.loadavg()[0]);
      for (const vector of vectors) {
        for (const [name, reader] of [
          ['half', half],
          ['tenth', tenth]
        ] as const) {
          const start = now();
          const startCpu = cpu();
          await repository.nearest(reader, {}, vector, VECTOR_CANDIDATES, MIN_MEANING_SCORE);
          searchTimes[name].push(now() - start);
          cpuTimes[name].push(cpu() - startCpu);
        }
      }
    }
    // What the sign pass misses: an admin's 20 nearest against the exact blended cosine over every stored vector.
    const admin = { user: { username: 'admin', isAdmin: true }, groups: new Map() };
    const stored = db
      .prepare('SELECT notebook_seq, metadata_vector, text_vector FROM notebook_embeddings')
      .raw()
      .all() as [number, Buffer, Buffer][];
    const int8 = (value: Buffer) => new Int8Array(value.buffer, value.byteOffset, value.byteLength);
    let overlap = 0;
    const checked = queries.slice(40, 60);
    for (const q of checked) {
      const vector = await model.embed(q);
      const exact = stored
        .map(([seq, metadata, text]) => ({
          seq,
          score: METADATA_SHARE * cosine(vector, int8(metadata)) + (1 - METADATA_SHARE) * cosine(vector, int8(text))
        }))
        .filter(candidate => candidate.score >= MIN_MEANING_SCORE)
        .sort((a, b) => b.score - a.score)
        .slice(0, VECTOR_CANDIDATES)
        .map(candidate => candidate.seq);
      const found = new Set(
        (await repository.nearest(admin, {}, vector, VECTOR_CANDIDATES, MIN_MEANING_SCORE)).map(near => near.seq)
      );
      overlap += exact.filter(seq => found.has(seq)).length / Math.max(1, exact.length);
    }
    console.log(
      `  recall of the 20 nearest against exact float scoring (${checked.length} queries): ` +
        `${fixed((100 * overlap) / checked.length, 1)}%`
    );
    const bytes = fs.statSync(path.join(dataDir, 'gallery.sqlite')).size;
    console.log(
      `  vector search of the 20 nearest, non-admin reader, ${size.toLocaleString('en')} notebooks (40 queries x 3, ` +
        `load average ${loads.map(load => fixed(load, 1)).join(' / ')}): reads half ${summary(searchTimes.half, 'ms')} ` +
        `(CPU ${summary(cpuTimes.half, 'ms')}); reads a tenth ${summary(searchTimes.tenth, 'ms')} ` +
        `(CPU ${summary(cpuTimes.tenth, 'ms')}); the first search, which reads every vector into memory: ` +
        `${fixed(warmMs, 0)} ms`
    );
    console.log(
      `  database with the embeddings: ${fixed(bytes / 2 ** 20, 0)} MB (768 bytes of vectors per notebook); ` +
        `process RSS ${fixed(process.memoryUsage().rss / 2 ** 20, 0)} MB`
    );
    db.close();
  } finally {
    await model.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
