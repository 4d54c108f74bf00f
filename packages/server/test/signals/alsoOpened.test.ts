import type { ICaller } from '../../src/auth/permissions';
import { PgNotebookListing } from '../../src/repositories/postgres/pgNotebookListing';
import { PgSignalRepository } from '../../src/repositories/postgres/pgSignalRepository';
import type { ISignalRepository } from '../../src/repositories/signalRepository';
import { SqliteNotebookRepository } from '../../src/repositories/sqlite/sqliteNotebookRepository';
import { SqliteSignalRepository } from '../../src/repositories/sqlite/sqliteSignalRepository';
import { galleryDatabase } from '../helpers/backendSql';
import type { IBackendDatabase } from '../helpers/repositoryBackends';
import { SETUP_TIMEOUT_MS } from '../helpers/testGallery';
import { HOUR_MS, startSignalWorld, type ISignalWorld } from './signalWorld';

let world: ISignalWorld;
let tokens: Record<string, string>;
let database: IBackendDatabase;
let repository: ISignalRepository;

const caller = (username: string | null): ICaller => ({
  user: username === null ? null : { username, isAdmin: false },
  groups: new Map()
});

beforeAll(async () => {
  world = await startSignalWorld({ 'default-visibility': 'public' });
  tokens = {};
  for (const name of ['ann', 'bob', 'cat', 'dan']) {
    tokens[name] = await world.gallery.login(name);
  }
  // The repository under test on the gallery's own database, whichever backend it is.
  database = galleryDatabase(world.gallery);
  repository =
    database.backend === 'sqlite'
      ? new SqliteSignalRepository(database.sqlite, new SqliteNotebookRepository(database.sqlite))
      : new PgSignalRepository(database.pg, new PgNotebookListing(database.pg));
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await database?.close();
  await world.gallery.close();
});

const open = (name: string, id: string) =>
  world.call(tokens[name], { method: 'POST', url: `/api/notebooks/${id}/activity`, payload: { kind: 'open' } }, 204);

describe('people who opened this also opened', () => {
  it('ranks by how many openers of the notebook opened each other one, readable ones only', async () => {
    const base = await world.create(tokens.ann, 'Base');
    const popular = await world.create(tokens.ann, 'Popular');
    const later = await world.create(tokens.ann, 'Opened later');
    const earlier = await world.create(tokens.ann, 'Opened earlier');
    const hidden = await world.create(tokens.dan, 'Dan private', { visibility: 'private' });
    const viewedOnly = await world.create(tokens.ann, 'Viewed only');
    const unrelated = await world.create(tokens.ann, 'Opened by someone else');
    for (const name of ['bob', 'cat', 'dan']) {
      await open(name, base);
    }
    for (const name of ['bob', 'cat', 'dan']) {
      await open(name, popular);
    }
    await open('cat', earlier);
    world.clock.now += HOUR_MS;
    await open('bob', later);
    await open('dan', hidden);
    await world.call(
      tokens.bob,
      { method: 'POST', url: `/api/notebooks/${viewedOnly}/activity`, payload: { kind: 'view' } },
      204
    );
    await open('ann', unrelated);

    const ids = async (username: string | null, limit = 10) =>
      (await repository.alsoOpened(caller(username), base, limit)).map(record => record.id);
    expect(await ids('ann')).toEqual([popular, later, earlier]);
    expect(await ids('ann', 1)).toEqual([popular]);
    // dan may read his private notebook; it ties with "later" (one opener, opened at the same time): by id.
    expect(await ids('dan')).toEqual([popular, ...[hidden, later].sort(), earlier]);
    expect(await ids(null)).toEqual([popular, later, earlier]);
    expect(await repository.alsoOpened(caller('ann'), unrelated, 10)).toEqual([]);
    const [first] = await repository.alsoOpened(caller('bob'), base, 1);
    expect(first.signals).toMatchObject({ opens: 3, starred: false });
  });
});
