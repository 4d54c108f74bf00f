import { INBOX_PAGE_DEFAULT_LIMIT } from '@notebook-gallery/core';
import type { LightMyRequestResponse } from 'fastify';
import { commentedNotebook } from '../comments/commentWorld';
import { SETUP_TIMEOUT_MS, startTestGallery, type ITestGallery } from '../helpers/testGallery';
import { getPage, pageLogin, postForm, saveNotebook, type IPageLogin } from './pageHelpers';

/* /inbox: the logged-in user's events as a page, its forms, and the header's unread count. */

let gallery: ITestGallery;
let aliceToken: string;
let bob: IPageLogin;

beforeAll(async () => {
  gallery = await startTestGallery({ 'anonymous-read': 'true' });
  aliceToken = await gallery.login('alice');
  bob = await pageLogin(gallery, 'bob');
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
});

function post(url: string, login: IPageLogin, fields: Record<string, string>): Promise<LightMyRequestResponse> {
  return postForm(gallery.app, url, login, { _xsrf: login.xsrf, ...fields });
}

/** A public notebook of alice's titled `title`. */
function notebook(title: string, visibility = 'public'): Promise<{ id: string; revision: string }> {
  return saveNotebook(gallery, aliceToken, { notebook: commentedNotebook(), title, visibility });
}

/** bob comments on the notebook through its page; returns the comment's id. */
async function bobComments(id: string, body: string): Promise<string> {
  const response = await post(`/n/${id}/comments`, bob, { body });
  expect(response.statusCode).toBe(303);
  return String(response.headers.location).split('#comment-')[1];
}

/** The events listed on an inbox page. */
function eventsOf(html: string): string[] {
  return [...html.matchAll(/<li class="inbox-event[^"]*">(.*?)<\/li>/g)].map(match => match[1]);
}

describe('/inbox', () => {
  it('sends a visitor who is not logged in to the login, which comes back to /inbox', async () => {
    const response = await getPage(gallery.app, '/inbox', null);
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/login?next=%2Finbox');
  });

  it('says what will appear, and how, while the inbox is empty', async () => {
    const dora = await pageLogin(gallery, 'dora');
    const html = (await getPage(gallery.app, '/inbox', dora)).body;
    expect(html).toContain('<h1>Inbox</h1>');
    expect(html).toContain('Your inbox is empty.');
    expect(html).toContain('comments that mention you by @name');
    expect(html).toContain('and star it, copy it into JupyterLab, or comment on it.');
    expect(html).not.toContain('Mark all as read');
    expect(html).toContain('<a class="site-inbox" href="/inbox" aria-label="Inbox, nothing unread">Inbox</a>');
  });

  it('lists a mention, unread in words, linking to the comment; the header counts it', async () => {
    const carol = await pageLogin(gallery, 'carol');
    const nb = await notebook('Mentioned here');
    const commentId = await bobComments(nb.id, 'What do you think, @carol?');

    const html = (await getPage(gallery.app, '/inbox', carol)).body;
    const [event] = eventsOf(html);
    expect(event).toContain('<strong class="inbox-event__unread">Unread</strong>');
    expect(event).toContain(
      `bob mentioned you in a comment on <a href="/n/${nb.id}#comment-${commentId}">Mentioned here</a>`
    );
    expect(html).toContain(
      '<a class="site-inbox site-inbox--unread" href="/inbox" aria-label="Inbox, 1 unread">Inbox (1)</a>'
    );
    // The count shows on every page's header, not only the inbox.
    expect((await getPage(gallery.app, `/n/${nb.id}`, carol)).body).toContain(
      'aria-label="Inbox, 1 unread">Inbox (1)</a>'
    );
  });

  it('marks all as read with the XSRF token (403 without), and then nothing is unread', async () => {
    const erin = await pageLogin(gallery, 'erin');
    const nb = await notebook('Read me');
    await bobComments(nb.id, '@erin one');
    await bobComments(nb.id, '@erin two');
    expect((await getPage(gallery.app, '/inbox', erin)).body).toContain('Inbox (2)');

    const refused = await postForm(gallery.app, '/inbox/read', erin, { all: 'true' });
    expect(refused.statusCode).toBe(403);
    expect((await getPage(gallery.app, '/inbox', erin)).body).toContain('Inbox (2)');

    const done = await post('/inbox/read', erin, { all: 'true', back: '/inbox' });
    expect([done.statusCode, done.headers.location]).toEqual([303, '/inbox']);
    const html = (await getPage(gallery.app, '/inbox', erin)).body;
    expect(eventsOf(html)).toHaveLength(2);
    expect(html).not.toContain('inbox-event__unread');
    expect(html).toContain('Nothing unread.');
    expect(html).toContain('aria-label="Inbox, nothing unread">Inbox</a>');
  });

  it('marks one event as read', async () => {
    const fay = await pageLogin(gallery, 'fay');
    const nb = await notebook('One by one');
    await bobComments(nb.id, '@fay first');
    await bobComments(nb.id, '@fay second');
    const html = (await getPage(gallery.app, '/inbox', fay)).body;
    const id = /name="id" value="([^"]+)"/.exec(html)?.[1] as string;
    expect((await post('/inbox/read', fay, { id })).statusCode).toBe(303);
    const after = (await getPage(gallery.app, '/inbox', fay)).body;
    expect(after).toContain('Inbox (1)');
    expect(eventsOf(after).filter(event => event.includes('Unread'))).toHaveLength(1);
  });

  it('mutes and unmutes a listed notebook: a muted one brings no new events', async () => {
    const gus = await pageLogin(gallery, 'gus');
    const nb = await notebook('Noisy');
    await bobComments(nb.id, '@gus hello');
    const before = (await getPage(gallery.app, '/inbox', gus)).body;
    expect(before).toContain('<button type="submit">Mute Noisy</button>');

    expect((await post('/inbox/mute', gus, { notebookId: nb.id, muted: 'true' })).statusCode).toBe(303);
    await bobComments(nb.id, '@gus again');
    const muted = (await getPage(gallery.app, '/inbox', gus)).body;
    expect(eventsOf(muted)).toHaveLength(1);
    expect(muted).toContain('(muted)');
    expect(muted).toContain('<button type="submit">Unmute Noisy</button>');

    expect((await post('/inbox/mute', gus, { notebookId: nb.id, muted: 'false' })).statusCode).toBe(303);
    await bobComments(nb.id, '@gus back');
    expect(eventsOf((await getPage(gallery.app, '/inbox', gus)).body)).toHaveLength(2);
  });

  it('cannot mute a private notebook of another user: the same 404 as a missing one', async () => {
    const hal = await pageLogin(gallery, 'hal');
    const secret = await notebook('Secret', 'private');
    const hidden = await post('/inbox/mute', hal, { notebookId: secret.id, muted: 'true' });
    const missing = await post('/inbox/mute', hal, { notebookId: 'no-such-notebook', muted: 'true' });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.body).toBe(missing.body);
  });

  it('pages: the newest events first, then "Older events" to the rest', async () => {
    const ivy = await pageLogin(gallery, 'ivy');
    const nb = await notebook('Busy');
    const total = INBOX_PAGE_DEFAULT_LIMIT + 3;
    for (let i = 1; i <= total; i++) {
      await bobComments(nb.id, `@ivy number ${i}`);
    }
    const first = (await getPage(gallery.app, '/inbox', ivy)).body;
    expect(eventsOf(first)).toHaveLength(INBOX_PAGE_DEFAULT_LIMIT);
    expect(first).toContain(`Inbox (${total})`);
    const older = /<a href="(\/inbox\?cursor=[^"]+)" rel="next">Older events<\/a>/.exec(first)?.[1];
    expect(older).toBeDefined();
    const second = (await getPage(gallery.app, (older as string).replace(/&amp;/g, '&'), ivy)).body;
    expect(eventsOf(second)).toHaveLength(3);
    expect(second).toContain('<a href="/inbox">Newest events</a>');
    expect(second).not.toContain('Older events');
    // Newest first: the last comment heads the first page.
    const ids = [...first.matchAll(/#comment-([^"]+)"/g)].map(match => match[1]);
    const list = await gallery.request(aliceToken, { method: 'GET', url: `/api/notebooks/${nb.id}/comments` });
    const threads = list.json().threads as { comment: { id: string } }[];
    expect(ids[0]).toBe(threads[threads.length - 1].comment.id);
  });
});
