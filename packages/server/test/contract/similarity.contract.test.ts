import type { INotebookSearchText } from '@notebook-gallery/core';
import { PgSimilarityRepository } from '../../src/repositories/postgres/pgSimilarityRepository';
import type { ISimilarityRepository } from '../../src/repositories/similarityRepository';
import { SqliteSimilarityRepository } from '../../src/repositories/sqlite/sqliteSimilarityRepository';
import { POSTGRES_START_TIMEOUT_MS } from '../helpers/postgresCluster';
import { BACKENDS, openBackendDatabase, type IBackendDatabase } from '../helpers/repositoryBackends';
import { callerOf, listingGallery, type IListingGallery } from './listingGallery';

/*
 * Similar notebooks (ISimilarityRepository) over both backends: the same term vectors, the same ranking and reasons,
 * the read rule in the query, and vectors kept current by saves, metadata changes and deletes, also when saves
 * sharing terms run at once.
 */

const reader = callerOf('reader');
const admin = callerOf('admin', true);

const text = (code: string, packages: string[], markdown = ''): INotebookSearchText => ({
  code,
  packages,
  markdown,
  language: 'python python3'
});

describe.each(BACKENDS)('similar notebooks on %s', backend => {
  let db: IBackendDatabase;
  let gallery: IListingGallery;
  let similarity: ISimilarityRepository;
  const seqs = new Map<string, number>();

  const count = async (sql: string, params: unknown[]): Promise<number> => {
    if (db.backend === 'sqlite') {
      return (db.sqlite.prepare(sql.replace(/\$\d/g, '?')).get(...params) as { n: number }).n;
    }
    return ((await db.pg.queryOne(sql, params)) as { n: number }).n;
  };

  beforeAll(async () => {
    db = await openBackendDatabase(backend);
    gallery = listingGallery(db);
    similarity =
      db.backend === 'sqlite' ? new SqliteSimilarityRepository(db.sqlite) : new PgSimilarityRepository(db.pg);
    for (const user of ['author', 'reader', 'admin']) {
      await gallery.addUser(user);
    }
    const notebooks: [string, string, INotebookSearchText, 'public' | 'private'][] = [
      [
        'joins',
        'Spatial joins',
        text('joined = geopandas.sjoin(points, polygons)\njoined.plot()', ['geopandas'], 'Join points to polygons'),
        'public'
      ],
      [
        'overlay',
        'Polygon overlays',
        text('result = geopandas.overlay(polygons, other)\nresult.plot()', ['geopandas'], 'Overlay polygons'),
        'public'
      ],
      [
        'nearby',
        'Points in polygons',
        text(
          'inside = points.within(polygons)\ngeopandas.sjoin(points, polygons)',
          ['geopandas', 'shapely'],
          'Points and polygons'
        ),
        'private'
      ],
      [
        'neural',
        'Training a network',
        text('model = keras.Sequential()\nmodel.fit(features, labels)', ['keras'], 'Layers and epochs'),
        'public'
      ]
    ];
    for (const [id, title, body, visibility] of notebooks) {
      const seq = await gallery.addNotebook({ id, title, owner: 'author', visibility });
      seqs.set(id, seq);
      await similarity.put(seq, { title, description: '', tags: [] }, body);
    }
  }, POSTGRES_START_TIMEOUT_MS);

  afterAll(async () => {
    await db?.close();
  });

  it('ranks notebooks sharing the most weighty terms first, gives reasons, and leaves out unrelated ones', async () => {
    const found = await similarity.similar(admin, seqs.get('joins') ?? 0, 10);
    expect(found.map(notebook => notebook.id)).toEqual(['nearby', 'overlay']);
    expect(found[0].score).toBeGreaterThan(found[1].score);
    expect(found[0].score).toBeLessThanOrEqual(1);
    expect(found[0].shared.length).toBeGreaterThan(0);
    expect(found[0].shared.length).toBeLessThanOrEqual(3);
    expect(found[0].shared).toContainEqual({ kind: 'package', term: 'geopandas' });
    expect(new Set(found[0].shared.map(term => term.term)).size).toBe(found[0].shared.length);
  });

  it('applies the read rule in the query', async () => {
    expect((await similarity.similar(reader, seqs.get('joins') ?? 0, 10)).map(notebook => notebook.id)).toEqual([
      'overlay'
    ]);
    expect(await similarity.similar(reader, seqs.get('neural') ?? 0, 10)).toEqual([]);
    expect((await similarity.similar(admin, seqs.get('joins') ?? 0, 1)).map(notebook => notebook.id)).toEqual([
      'nearby'
    ]);
  });

  it("keeps the cells' terms when metadata changes, and forgets a notebook removed", async () => {
    const overlay = seqs.get('overlay') ?? 0;
    await similarity.putMetadata(overlay, { title: 'Neural network layers', description: 'epochs', tags: ['keras'] });
    const fromNeural = (await similarity.similar(admin, seqs.get('neural') ?? 0, 10)).map(notebook => notebook.id);
    expect(fromNeural).toEqual(['overlay']);
    expect((await similarity.similar(admin, seqs.get('joins') ?? 0, 10)).map(notebook => notebook.id)).toContain(
      'overlay'
    );
    await similarity.remove(seqs.get('nearby') ?? 0);
    expect((await similarity.similar(admin, seqs.get('joins') ?? 0, 10)).map(notebook => notebook.id)).toEqual([
      'overlay'
    ]);
    // "shapely" was only in the removed notebook: the vocabulary no longer holds it.
    expect(await count('SELECT count(*) AS n FROM similarity_terms WHERE term = $1', ['shapely'])).toBe(0);
    expect(
      await count("SELECT documents AS n FROM similarity_terms WHERE kind = 'package' AND term = $1", ['geopandas'])
    ).toBe(2);
  });

  it('counts every save when saves sharing terms run at once', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `many${i}`);
    const added = await Promise.all(ids.map(id => gallery.addNotebook({ id, title: `Copy ${id}`, owner: 'author' })));
    const body = (i: number) => text(`frame = pandas.read_csv(path)\nframe.groupby(key${i})`, ['pandas', 'numpy']);
    await Promise.all(
      added.map((seq, i) => similarity.put(seq, { title: 'Group by', description: '', tags: [] }, body(i)))
    );
    expect(
      await count("SELECT documents AS n FROM similarity_terms WHERE kind = 'package' AND term = $1", ['pandas'])
    ).toBe(8);
    // Saved again at once, half without numpy.
    await Promise.all(
      added.map((seq, i) =>
        similarity.put(
          seq,
          { title: 'Group by', description: '', tags: [] },
          text('frame.groupby(key)', i % 2 ? ['pandas'] : ['pandas', 'numpy'])
        )
      )
    );
    expect(
      await count("SELECT documents AS n FROM similarity_terms WHERE kind = 'package' AND term = $1", ['numpy'])
    ).toBe(4);
    expect(await count('SELECT count(*) AS n FROM similarity_vectors', [])).toBe(3 + 8);
  });

  it('lists and clears the notebooks queued for a vector', async () => {
    await gallery.run('INSERT INTO similarity_reindex_queue (notebook_id) VALUES (?)', ['queued']);
    expect(await similarity.pending()).toEqual(['queued']);
    await similarity.clearPending('queued');
    expect(await similarity.pending()).toEqual([]);
  });
});
