import { sampleNotebook } from '../helpers/fixtures';
import { SETUP_TIMEOUT_MS } from '../helpers/testGallery';
import { startSignalWorld, type ISignalWorld } from './signalWorld';

/*
 * Facets and tag counts are permission checks too: a private notebook of someone else must never add to a count.
 * ann owns group "team", bob is a member, cat is a stranger; every count below is exact.
 */

function rNotebook(text: string): Record<string, unknown> {
  const notebook = sampleNotebook(text, 'summary(cars)');
  notebook.metadata = { kernelspec: { name: 'ir', display_name: 'R', language: 'R' } };
  return notebook;
}

const cases = (anonymousRead: boolean) => {
  let world: ISignalWorld;
  let tokens: Record<'ann' | 'bob' | 'cat', string>;
  let ids: string[];

  beforeAll(async () => {
    world = await startSignalWorld({ 'anonymous-read': String(anonymousRead) });
    tokens = { ann: await world.gallery.login('ann'), bob: await world.gallery.login('bob'), cat: '' };
    tokens.cat = await world.gallery.login('cat');
    await world.gallery.app.groups.create('team', 'ann');
    await world.gallery.app.groups.setMember('team', 'bob', 'member');
    ids = [
      await world.create(tokens.ann, 'First', { tags: ['pandas', 'plot'], visibility: 'public' }),
      await world.create(tokens.ann, 'Second', { tags: ['pandas'], visibility: 'public', notebook: rNotebook('Two') }),
      await world.create(tokens.ann, 'Third', { tags: ['pandas', 'secret'], visibility: 'private' }),
      await world.create(tokens.ann, 'Fourth', { tags: ['pandas', 'teamtag'], visibility: 'group', group: 'team' }),
      await world.create(tokens.bob, 'Fifth', { tags: ['plot'], visibility: 'public' }),
      await world.create(tokens.bob, 'Sixth', {
        tags: ['Pandas', 'bobsecret'],
        visibility: 'private',
        notebook: rNotebook('Six')
      })
    ];
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await world.gallery.close();
  });

  const facets = (token: string | null, query = '', status = 200) =>
    world.call(token, { method: 'GET', url: `/api/notebooks/facets?${query}` }, status);
  const tags = (token: string | null, query: string, status = 200) =>
    world.call(token, { method: 'GET', url: `/api/tags?${query}` }, status);
  const values = (...pairs: [string, number][]) => pairs.map(([value, count]) => ({ value, count }));

  it('counts only the notebooks each caller may read', async () => {
    expect(await facets(tokens.cat)).toEqual({
      tags: values(['pandas', 2], ['plot', 2]),
      owners: values(['ann', 2], ['bob', 1]),
      languages: values(['python', 2], ['r', 1])
    });
    expect(await facets(tokens.bob)).toEqual({
      // "Pandas" and "pandas" are one tag.
      tags: values(['Pandas', 4], ['plot', 2], ['bobsecret', 1], ['teamtag', 1]),
      owners: values(['ann', 3], ['bob', 2]),
      languages: values(['python', 3], ['r', 2])
    });
    expect(await facets(tokens.ann)).toEqual({
      tags: values(['pandas', 4], ['plot', 2], ['secret', 1], ['teamtag', 1]),
      owners: values(['ann', 4], ['bob', 1]),
      languages: values(['python', 4], ['r', 1])
    });
  });

  it('counts over a search, a scope and the starred filter', async () => {
    expect(await facets(tokens.cat, 'q=plot')).toEqual({
      tags: values(['plot', 2], ['pandas', 1]),
      owners: values(['ann', 1], ['bob', 1]),
      languages: values(['python', 2])
    });
    expect(await facets(tokens.bob, 'scope=mine')).toEqual({
      tags: values(['Pandas', 1], ['bobsecret', 1], ['plot', 1]),
      owners: values(['bob', 2]),
      languages: values(['python', 1], ['r', 1])
    });
    await world.call(tokens.cat, { method: 'PUT', url: `/api/notebooks/${ids[1]}/star` }, 200);
    expect(await facets(tokens.cat, 'starred=true')).toEqual({
      tags: values(['pandas', 1]),
      owners: values(['ann', 1]),
      languages: values(['r', 1])
    });
    expect(await facets(tokens.cat, 'q=secret')).toEqual({ tags: [], owners: [], languages: [] });
    expect(await facets(tokens.cat, 'q=%22')).toEqual({ tags: [], owners: [], languages: [] });
  });

  it('completes tags of readable notebooks only, any case, most used first', async () => {
    expect(await tags(tokens.cat, 'prefix=p')).toEqual({
      items: [
        { tag: 'pandas', count: 2 },
        { tag: 'plot', count: 2 }
      ]
    });
    expect(await tags(tokens.bob, 'prefix=PAN')).toEqual({ items: [{ tag: 'Pandas', count: 4 }] });
    expect(await tags(tokens.bob, '')).toEqual({
      items: [
        { tag: 'Pandas', count: 4 },
        { tag: 'plot', count: 2 },
        { tag: 'bobsecret', count: 1 },
        { tag: 'teamtag', count: 1 }
      ]
    });
    expect(await tags(tokens.ann, 'prefix=se')).toEqual({ items: [{ tag: 'secret', count: 1 }] });
    expect(await tags(tokens.cat, 'prefix=se')).toEqual({ items: [] });
    expect(await tags(tokens.cat, 'prefix=b')).toEqual({ items: [] });
    expect(await tags(tokens.ann, 'prefix=p&limit=1')).toEqual({ items: [{ tag: 'pandas', count: 4 }] });
    expect(await tags(tokens.ann, 'prefix=%25')).toEqual({ items: [] });
    expect(await tags(tokens.ann, 'prefix=_')).toEqual({ items: [] });
    expect((await tags(tokens.ann, 'limit=0', 400)).error).toBe('VALIDATION_FAILED');
  });

  it(`answers anonymous callers ${anonymousRead ? 'with public notebooks only' : '401'}`, async () => {
    if (!anonymousRead) {
      expect((await facets(null, '', 401)).error).toBe('UNAUTHORIZED');
      expect((await tags(null, 'prefix=p', 401)).error).toBe('UNAUTHORIZED');
      return;
    }
    expect(await facets(null)).toEqual({
      tags: values(['pandas', 2], ['plot', 2]),
      owners: values(['ann', 2], ['bob', 1]),
      languages: values(['python', 2], ['r', 1])
    });
    expect(await facets(null, 'starred=true')).toEqual({ tags: [], owners: [], languages: [] });
    expect(await tags(null, '')).toEqual({
      items: [
        { tag: 'pandas', count: 2 },
        { tag: 'plot', count: 2 }
      ]
    });
  });
};

describe('facets and tags', () => cases(false));
describe('facets and tags with anonymous reading', () => cases(true));
