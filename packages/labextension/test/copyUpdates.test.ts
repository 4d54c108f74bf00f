import { CopyRegistry } from '../src/services/copyRegistry';
import { CopyUpdates } from '../src/services/copyUpdates';
import { FakeGallery, MemoryStorage, SERVER, clientFor, summary } from './helpers';

const REV1 = '1'.repeat(40);
const REV2 = '2'.repeat(40);
const REV3 = '3'.repeat(40);

describe('the copies this JupyterLab knows', () => {
  it('are kept per Jupyter server across page loads, and follow renames', () => {
    const storage = new MemoryStorage();
    const registry = new CopyRegistry({ scope: '/user/alice/', storage });
    registry.remember('gallery/week-1.ipynb', { id: 'nb-1', revision: REV1, server: SERVER });
    registry.rename('gallery/week-1.ipynb', 'course/week-1.ipynb');

    const reloaded = new CopyRegistry({ scope: '/user/alice/', storage });
    expect(reloaded.copiesOf('nb-1', `${SERVER}/`).map(copy => copy.path)).toEqual(['course/week-1.ipynb']);
    expect(new CopyRegistry({ scope: '/user/bob/', storage }).copiesOf('nb-1', SERVER)).toEqual([]);
  });
});

describe('which copies are behind the gallery', () => {
  function setUp() {
    const gallery = new FakeGallery().on('GET', '/api/notebooks/nb-1', {
      status: 200,
      body: summary({ revision: REV3, revisionNumber: 3 })
    });
    const { client } = clientFor(gallery);
    const registry = new CopyRegistry({ scope: '/', storage: new MemoryStorage() });
    const updates = new CopyUpdates(client, registry);
    registry.remember('week-1.ipynb', { id: 'nb-1', revision: REV1, server: SERVER });
    return { gallery, registry, updates };
  }

  it('learns the latest revision from the sidebar’s list, and from asking the gallery', async () => {
    const { registry, updates } = setUp();
    expect(updates.updateFor('week-1.ipynb')).toBeNull();

    updates.noteListed([{ ...summary({ revision: REV2, revisionNumber: 2 }) }]);
    expect(updates.updateFor('week-1.ipynb')).toMatchObject({ revision: REV2, revisionNumber: 2 });
    expect(updates.outdatedCopiesOf('nb-1').map(copy => copy.path)).toEqual(['week-1.ipynb']);

    await updates.check();
    expect(updates.updateFor('week-1.ipynb')).toMatchObject({ revision: REV3, revisionNumber: 3 });

    registry.remember('week-1.ipynb', { id: 'nb-1', revision: REV3, server: SERVER });
    expect(updates.updateFor('week-1.ipynb')).toBeNull();
    expect(updates.outdatedCopiesOf('nb-1')).toEqual([]);
  });

  it('stops offering a revision the user put beside their copy, until a newer one comes', async () => {
    const { registry, updates } = setUp();
    updates.noteListed([summary({ revision: REV2, revisionNumber: 2 })]);
    registry.decline('week-1.ipynb', REV2);
    expect(updates.updateFor('week-1.ipynb')).toBeNull();
    updates.noteListed([summary({ revision: REV3, revisionNumber: 3 })]);
    expect(updates.updateFor('week-1.ipynb')).toMatchObject({ revisionNumber: 3 });
  });

  it('checks every known copy on the interval it is given', async () => {
    jest.useFakeTimers();
    try {
      const { gallery, updates } = setUp();
      updates.checkEvery(5);
      jest.advanceTimersByTime(5 * 60_000);
      expect(gallery.requests('GET', '/api/notebooks/nb-1')).toHaveLength(1);
      updates.checkEvery(0);
      jest.advanceTimersByTime(60 * 60_000);
      expect(gallery.requests('GET', '/api/notebooks/nb-1')).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('says it changed only when an answer changed what it knows', async () => {
    const { gallery, updates } = setUp();
    let emitted = 0;
    updates.changed.connect(() => void (emitted += 1));
    await updates.check();
    expect(emitted).toBe(1);
    await updates.check();
    expect(gallery.requests('GET', '/api/notebooks/nb-1')).toHaveLength(2);
    expect(emitted).toBe(1);
  });
});
