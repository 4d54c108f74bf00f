/**
 * What an owner sees of their own notebook and a reader does not: who it is shared with (the list's "Private ·
 * shared with physics"), and what deleting it would affect (the confirmation of *Delete from gallery…*).
 */
import { sampleNotebook } from '../helpers/fixtures';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

let gallery: ITestGallery;
let alice: string;
let carol: string;
let dave: string;
let admin: string;
let shared: { id: string };

beforeAll(async () => {
  gallery = await startTestGallery({ 'default-visibility': 'private' });
  alice = await gallery.login('alice');
  carol = await gallery.login('carol');
  dave = await gallery.login('dave');
  admin = await gallery.login('ada', { admin: true });
  // carol runs group physics; alice is not in it.
  expect(
    (await gallery.request(carol, { method: 'POST', url: '/api/groups', payload: { name: 'physics' } })).statusCode
  ).toBe(201);
  shared = (
    await gallery.request(alice, {
      method: 'POST',
      url: '/api/notebooks',
      payload: { notebook: sampleNotebook('optics'), title: 'Optics' }
    })
  ).json();
  const sharing = await gallery.request(alice, {
    method: 'PUT',
    url: `/api/notebooks/${shared.id}/sharing`,
    payload: {
      visibility: 'private',
      group: null,
      shares: [
        { kind: 'group', name: 'physics', role: 'reader' },
        { kind: 'user', name: 'dave', role: 'editor' }
      ]
    }
  });
  expect(sharing.statusCode).toBe(200);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
});

async function listed(token: string) {
  const response = await gallery.request(token, { method: 'GET', url: '/api/notebooks' });
  expect(response.statusCode).toBe(200);
  return (response.json().items as any[]).find(item => item.id === shared.id);
}

describe('who a notebook is shared with', () => {
  it('is in the list and the summary for the owner and admins', async () => {
    const expected = [
      { kind: 'group', name: 'physics', role: 'reader' },
      { kind: 'user', name: 'dave', role: 'editor' }
    ];
    for (const token of [alice, admin]) {
      const item = await listed(token);
      expect(item.visibility).toBe('private');
      expect(item.sharedWith).toEqual(expect.arrayContaining(expected));
      expect(item.sharedWith).toHaveLength(2);
      const summary = (await gallery.request(token, { method: 'GET', url: `/api/notebooks/${shared.id}` })).json();
      expect(summary.sharedWith).toHaveLength(2);
    }
  });

  it('is never sent to someone it is shared with, not even an editor', async () => {
    for (const token of [carol, dave]) {
      const item = await listed(token);
      expect(item).toBeDefined();
      expect(item).not.toHaveProperty('sharedWith');
      const summary = (await gallery.request(token, { method: 'GET', url: `/api/notebooks/${shared.id}` })).json();
      expect(summary.title).toBe('Optics');
      expect(summary).not.toHaveProperty('sharedWith');
    }
  });

  it('is an empty list for the owner of a notebook shared with nobody', async () => {
    const lonely = (
      await gallery.request(alice, {
        method: 'POST',
        url: '/api/notebooks',
        payload: { notebook: sampleNotebook('alone'), title: 'Alone' }
      })
    ).json();
    expect(lonely.sharedWith).toEqual([]);
  });
});

describe('what deleting a notebook affects', () => {
  it('counts revisions, forks (readable or not) and the people who opened a copy, for the owner and admins', async () => {
    const original = (
      await gallery.request(alice, {
        method: 'POST',
        url: '/api/notebooks',
        payload: { notebook: sampleNotebook('lenses'), title: 'Lenses', visibility: 'public' }
      })
    ).json();
    const second = await gallery.request(alice, {
      method: 'PUT',
      url: `/api/notebooks/${original.id}`,
      payload: { notebook: sampleNotebook('lenses, second take'), baseRevision: original.revision }
    });
    expect(second.statusCode).toBe(200);
    // Two forks: carol's is private, so alice cannot read it, but it is still a copy that stays.
    for (const [token, visibility] of [
      [carol, 'private'],
      [dave, 'public']
    ] as const) {
      const fork = await gallery.request(token, {
        method: 'POST',
        url: '/api/notebooks',
        payload: {
          notebook: sampleNotebook('my lenses'),
          title: 'My lenses',
          visibility,
          parent: { id: original.id, revision: second.json().revision }
        }
      });
      expect(fork.statusCode).toBe(201);
    }
    // carol opens it twice, dave once: two people.
    for (const token of [carol, carol, dave]) {
      const opened = await gallery.request(token, {
        method: 'POST',
        url: `/api/notebooks/${original.id}/activity`,
        payload: { kind: 'open' }
      });
      expect(opened.statusCode).toBe(204);
    }

    for (const token of [alice, admin]) {
      const impact = await gallery.request(token, {
        method: 'GET',
        url: `/api/notebooks/${original.id}/deletion-impact`
      });
      expect(impact.statusCode).toBe(200);
      expect(impact.json()).toEqual({ revisions: 2, forks: 2, openedBy: 2 });
    }
  });

  it('is refused to a reader (403) and answered as missing to someone who cannot read it (404)', async () => {
    const reader = await gallery.request(carol, { method: 'GET', url: `/api/notebooks/${shared.id}/deletion-impact` });
    expect(reader.statusCode).toBe(403);
    expect(reader.json().error).toBe('FORBIDDEN');
    const stranger = await gallery.login('erin');
    const hidden = await gallery.request(stranger, {
      method: 'GET',
      url: `/api/notebooks/${shared.id}/deletion-impact`
    });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().error).toBe('NOTEBOOK_NOT_FOUND');
  });
});
