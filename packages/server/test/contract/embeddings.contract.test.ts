import type { IEmbeddingRepository } from '../../src/repositories/embeddingRepository';
import { PgEmbeddingRepository } from '../../src/repositories/postgres/pgEmbeddingRepository';
import { SqliteEmbeddingRepository } from '../../src/repositories/sqlite/sqliteEmbeddingRepository';
import { POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { BACKENDS, openBackendDatabase, type IBackendDatabase } from '../helpers/repositoryBackends';
import { callerOf, listingGallery, type IListingGallery } from './listingGallery';

/*
 * Notebook embeddings (IEmbeddingRepository) over both backends: nearest in meaning under the read rule and the
 * listing's filters; the embedding queue; kept current by the queue's writes and deletes, including those another process (a
 * second repository on the same database, as another replica or read worker) made after this one last looked.
 */

const reader = callerOf('reader');
const admin = callerOf('admin', true);

/** A 4-dimensional int8 vector pointing along `direction` (a unit vector scaled to int8). */
function vector(...direction: number[]): Int8Array {
  const norm = Math.hypot(...direction);
  return Int8Array.from(direction.map(value => Math.round((127 * value) / norm)));
}

function query(...direction: number[]): Float32Array {
  const norm = Math.hypot(...direction);
  return Float32Array.from(direction.map(value => value / norm));
}

describe.each(BACKENDS)('embeddings on %s', backend => {
  let db: IBackendDatabase;
  let gallery: IListingGallery;
  let open: () => IEmbeddingRepository;
  let embeddings: IEmbeddingRepository;
  const seqs = new Map<string, number>();

  beforeAll(async () => {
    db = await openBackendDatabase(backend);
    const opened = db;
    gallery = listingGallery(db);
    open = () =>
      opened.backend === 'sqlite' ? new SqliteEmbeddingRepository(opened.sqlite) : new PgEmbeddingRepository(opened.pg);
    embeddings = open();
    for (const user of ['author', 'reader', 'admin']) {
      await gallery.addUser(user);
    }
    await gallery.addNotebook({ id: 'east', title: 'East', owner: 'author', tags: ['compass'] });
    await gallery.addNotebook({ id: 'northeast', title: 'North east', owner: 'reader' });
    await gallery.addNotebook({ id: 'north', title: 'North', owner: 'author', visibility: 'private' });
    await gallery.addNotebook({
      id: 'west',
      title: 'West',
      owner: 'author',
      text: { markdown: 'Sunset side', code: 'go_west()' }
    });
    for (const id of ['east', 'northeast', 'north', 'west']) {
      seqs.set(
        id,
        (await gallery.reads.list(admin, { q: id === 'northeast' ? '"north east"' : id, limit: 1 })).records[0].seq
      );
    }
    await embeddings.put(seqs.get('east') ?? 0, { metadata: vector(1, 0, 0, 0), text: vector(1, 0, 0, 0) }, 'm', 0);
    await embeddings.put(
      seqs.get('northeast') ?? 0,
      { metadata: vector(1, 1, 0, 0), text: vector(1, 1, 0, 0) },
      'm',
      0
    );
    await embeddings.put(seqs.get('north') ?? 0, { metadata: vector(0, 1, 0, 0), text: vector(0, 1, 0, 0) }, 'm', 0);
  }, POSTGRES_START_TIMEOUT_MS);

  afterAll(async () => {
    await db?.close();
  });

  const nearest = async (
    repository: IEmbeddingRepository,
    direction: number[],
    options: {
      caller?: typeof admin;
      limit?: number;
      minScore?: number;
      filter?: Parameters<IEmbeddingRepository['nearest']>[1];
    } = {}
  ) =>
    (
      await repository.nearest(
        options.caller ?? admin,
        options.filter ?? {},
        query(...direction),
        options.limit ?? 10,
        options.minScore ?? 0.1
      )
    ).map(notebook => notebook.id);

  it('finds the nearest in meaning first, above the least score, and only what the caller may read', async () => {
    expect(await nearest(embeddings, [0, 1, 0, 0])).toEqual(['north', 'northeast']);
    expect(await nearest(embeddings, [0, 1, 0, 0], { caller: reader })).toEqual(['northeast']);
    expect(await nearest(embeddings, [1, 0.2, 0, 0], { limit: 1 })).toEqual(['east']);
    expect(await nearest(embeddings, [0, 0, 1, 0])).toEqual([]);
    const [best] = await embeddings.nearest(admin, {}, query(1, 0, 0, 0), 1, 0.1);
    expect(best.score).toBeCloseTo(1, 2);
  });

  it("applies the listing's filters", async () => {
    expect(await nearest(embeddings, [1, 1, 0, 0], { filter: { owner: 'reader' } })).toEqual(['northeast']);
    expect(await nearest(embeddings, [1, 1, 0, 0], { filter: { tag: 'COMPASS' } })).toEqual(['east']);
    expect(await nearest(embeddings, [1, 1, 0, 0], { caller: reader, filter: { scope: 'mine' } })).toEqual([
      'northeast'
    ]);
    await gallery.star('east', 'reader');
    expect(await nearest(embeddings, [1, 1, 0, 0], { caller: reader, filter: { starred: true } })).toEqual(['east']);
  });

  it('queues the notebooks without vectors of the model, with their text, until their vectors are stored', async () => {
    const west = seqs.get('west') ?? 0;
    expect(await embeddings.enqueueStale('m')).toBe(1);
    expect(await embeddings.queued(10)).toEqual([
      { seq: west, queued: 1, title: 'West', description: '', tags: [], markdown: 'Sunset side', code: 'go_west()' }
    ]);
    expect(await embeddings.queued(0)).toEqual([]);
    // Saved again while it was being embedded: the vectors of the older text leave it on the queue.
    await embeddings.enqueue(west);
    await embeddings.put(west, { metadata: vector(0, 0, 1, 0), text: vector(0, 0, 1, 0) }, 'm', 1);
    expect((await embeddings.queued(10)).map(notebook => [notebook.seq, notebook.queued])).toEqual([[west, 2]]);
    await embeddings.put(west, { metadata: vector(0, 0, 1, 0), text: vector(0, 0, 1, 0) }, 'm', 2);
    expect(await embeddings.queued(10)).toEqual([]);
    expect(await embeddings.enqueueStale('m')).toBe(0);
  });

  it('sees what another process wrote since it last looked: new vectors, changed metadata, removals', async () => {
    const other = open();
    expect(await nearest(other, [0, 0, 0, 1])).toEqual([]);
    await embeddings.put(seqs.get('west') ?? 0, { metadata: vector(0, 0, 0, 1), text: vector(0, 0, 0, 1) }, 'm', 0);
    expect(await nearest(other, [0, 0, 0, 1])).toEqual(['west']);
    // The metadata moves east towards the fourth axis: blended, it now beats northeast for that direction.
    await embeddings.put(seqs.get('east') ?? 0, { metadata: vector(0, 0, 0, 1), text: vector(1, 0, 0, 0) }, 'm', 0);
    expect(await nearest(other, [1, 0, 0, 1], { limit: 2 })).toEqual(['east', 'west']);
    // A deleted notebook: its row goes with its embeddings (both backends keep a removed vector in memory until then,
    // which the read rule's query, joined to the notebook rows, leaves out).
    await embeddings.enqueue(seqs.get('west') ?? 0);
    await embeddings.remove(seqs.get('west') ?? 0);
    await gallery.run('DELETE FROM notebooks WHERE id = ?', ['west']);
    expect(await nearest(other, [0, 0, 0, 1])).toEqual(['east']);
    expect(await embeddings.queued(10)).toEqual([]);
  });

  it("drops another model's vectors and queues their notebooks, so two models' vectors are never compared", async () => {
    expect(await embeddings.enqueueStale('another model')).toBe(3);
    expect(await nearest(open(), [1, 0, 0, 0])).toEqual([]);
    expect((await embeddings.queued(10)).map(notebook => notebook.seq).sort((a, b) => a - b)).toEqual(
      ['east', 'northeast', 'north'].map(id => seqs.get(id)).sort((a, b) => (a ?? 0) - (b ?? 0))
    );
  });
});

describe.each(BACKENDS)('nearest for a reader who may read a tenth, on %s', backend => {
  let db: IBackendDatabase;
  let embeddings: IEmbeddingRepository;
  /** Each notebook's id, stored vector and whether it is public, in the order their vectors were stored. */
  const notebooks: { id: string; vector: Int8Array; public: boolean }[] = [];

  beforeAll(async () => {
    db = await openBackendDatabase(backend);
    const opened = db;
    const gallery = listingGallery(db);
    embeddings =
      opened.backend === 'sqlite' ? new SqliteEmbeddingRepository(opened.sqlite) : new PgEmbeddingRepository(opened.pg);
    await gallery.addUser('author');
    await gallery.addUser('reader');
    // 400 notebooks, further from the first axis the later they come; one in ten public, the rest the author's.
    for (let i = 0; i < 400; i++) {
      const id = `n${i}`;
      const isPublic = i % 10 === 3;
      const seq = await gallery.addNotebook({
        id,
        title: `Notebook ${i}`,
        owner: 'author',
        visibility: isPublic ? 'public' : 'private'
      });
      const angle = (i / 400) * 1.2;
      // Largest magnitude 127, as the memory keeps a blended vector: what it scores is what bestPublic scores.
      const direction = [Math.cos(angle), Math.sin(angle), 0.3 * Math.sin(7 * i), 0.3 * Math.cos(5 * i)];
      const largest = Math.max(...direction.map(Math.abs));
      const v = Int8Array.from(direction, value => Math.round((127 * value) / largest));
      await embeddings.put(seq, { metadata: v, text: v }, 'm', 0);
      notebooks.push({ id, vector: v, public: isPublic });
    }
  }, POSTGRES_START_TIMEOUT_MS);

  afterAll(async () => {
    await db?.close();
  });

  /** The public notebooks best first by exact score (ties in the order stored), as brute force finds them. */
  function bestPublic(direction: number[], limit: number): string[] {
    const q = query(...direction);
    const score = (v: Int8Array) => v.reduce((sum, value, d) => sum + q[d] * value, 0) / Math.hypot(...v);
    return notebooks
      .map((notebook, order) => ({ ...notebook, order, score: score(notebook.vector) }))
      .filter(notebook => notebook.public && notebook.score >= 0.1)
      .sort((a, b) => b.score - a.score || a.order - b.order)
      .slice(0, limit)
      .map(notebook => notebook.id);
  }

  it('gives the best readable ones, found over several batches, each once, best first', async () => {
    for (const [direction, limit] of [
      // 20 of the first 200 checked are readable: the 5 more come from a second batch.
      [[1, 0, 0, 0], 25],
      // Every readable one, which takes the whole gallery.
      [[1, 0, 0, 0], 60],
      [[0.2, 1, 0.3, 0], 20]
    ] as const) {
      const expected = bestPublic([...direction], limit);
      const found = await embeddings.nearest(reader, {}, query(...direction), limit, 0.1);
      expect(found.map(notebook => notebook.id)).toEqual(expected);
      const scores = found.map(notebook => notebook.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
    expect(bestPublic([1, 0, 0, 0], 60)).toHaveLength(40);
  });
});

describe('embeddings on postgres, written by overlapping transactions', () => {
  let db: IBackendDatabase;

  beforeAll(async () => {
    db = await openBackendDatabase('postgres');
  }, POSTGRES_START_TIMEOUT_MS);

  afterAll(async () => {
    await db?.close();
  });

  it('sees a vector committed after a reader passed a newer one', async () => {
    if (db.backend !== 'postgres') {
      throw new Error('expected PostgreSQL');
    }
    const pg = db.pg;
    const gallery = listingGallery(db);
    await gallery.addUser('author');
    const early = await gallery.addNotebook({ id: 'early', title: 'Early', owner: 'author' });
    const late = await gallery.addNotebook({ id: 'late', title: 'Late', owner: 'author' });
    const writer = new PgEmbeddingRepository(pg);
    const reader = new PgEmbeddingRepository(pg);
    let release: () => void = () => undefined;
    const held = new Promise<void>(resolve => (release = resolve));
    let written: () => void = () => undefined;
    const inside = new Promise<void>(resolve => (written = resolve));
    // A save's transaction writes its vector and stays open while another save commits and the reader looks.
    const slow = pg.transaction(async () => {
      await writer.put(early, { metadata: vector(1, 0, 0, 0), text: vector(1, 0, 0, 0) }, 'm', 0);
      written();
      await held;
    });
    await inside;
    await writer.put(late, { metadata: vector(0, 1, 0, 0), text: vector(0, 1, 0, 0) }, 'm', 0);
    expect((await reader.nearest(admin, {}, query(1, 1, 0, 0), 10, 0.1)).map(n => n.id)).toEqual(['late']);
    release();
    await slow;
    expect((await reader.nearest(admin, {}, query(1, 1, 0, 0), 10, 0.1)).map(n => n.id).sort()).toEqual([
      'early',
      'late'
    ]);
  });
});
