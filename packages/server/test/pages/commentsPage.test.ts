import { COMMENT_BODY_MAX_LENGTH } from '@notebook-gallery/core';
import type { LightMyRequestResponse } from 'fastify';
import type { Element, Root } from 'hast';
import { loadRenderLibraries } from '../../src/pages/render/renderLibraries';
import { MARKDOWN_PAYLOADS, TEXT_PAYLOADS } from '../fixtures/xssPayloads';
import { SETUP_TIMEOUT_MS, startTestGallery, type ITestGallery } from '../helpers/testGallery';
import { commentedNotebook } from '../comments/commentWorld';
import { allElements, elementsOf, textOf } from './hastQuery';
import { getPage, pageLogin, postForm, saveNotebook, type IPageLogin } from './pageHelpers';

/* Comments on the notebook page: shown beside their cells, written through the page's forms. */

let gallery: ITestGallery;
let aliceToken: string;
let alice: IPageLogin;
let bob: IPageLogin;
let carol: IPageLogin;

const CODE = 'a = 1\nb = 2\nprint(a + b)';

beforeAll(async () => {
  gallery = await startTestGallery({ 'anonymous-read': 'true' });
  aliceToken = await gallery.login('alice');
  alice = await pageLogin(gallery, 'alice');
  bob = await pageLogin(gallery, 'bob');
  carol = await pageLogin(gallery, 'carol');
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await gallery.close();
});

/** A public notebook of alice's: cell 1 `intro` (markdown), cell 2 `code`. */
function publicNotebook(visibility = 'public'): Promise<{ id: string; revision: string }> {
  return saveNotebook(gallery, aliceToken, {
    notebook: commentedNotebook('Intro', CODE),
    title: 'Commented',
    visibility
  });
}

/** A new revision of `id` as alice, through the API. */
async function saveRevision(id: string, base: string, notebook: Record<string, unknown>): Promise<string> {
  const response = await gallery.request(aliceToken, {
    method: 'PUT',
    url: `/api/notebooks/${id}`,
    payload: { notebook, baseRevision: base }
  });
  expect(response.statusCode).toBe(200);
  return response.json().revision as string;
}

/** Posts a page form with the login's XSRF token. */
function post(url: string, login: IPageLogin, fields: Record<string, string>): Promise<LightMyRequestResponse> {
  return postForm(gallery.app, url, login, { _xsrf: login.xsrf, ...fields });
}

/** Writes a comment through the page's form; returns its id (from the redirect to it). */
async function commentThroughPage(
  id: string,
  login: IPageLogin,
  fields: Record<string, string>,
  page = `/n/${id}`
): Promise<string> {
  const response = await post(`/n/${id}/comments`, login, fields);
  expect(response.statusCode).toBe(303);
  const location = String(response.headers.location);
  expect(location.startsWith(`${page}#comment-`)).toBe(true);
  return location.split('#comment-')[1];
}

/** The HTML of cell `n`'s list item (up to the next cell, or the end of the cells). */
function cellHtml(html: string, n: number): string {
  const start = html.indexOf(`<li id="cell-${n}"`);
  expect(start).toBeGreaterThan(-1);
  const next = html.indexOf(`<li id="cell-${n + 1}"`, start);
  return html.slice(start, next > -1 ? next : html.indexOf('<section id="comments"', start));
}

/** The HTML of the page's `#comments` section. */
function commentsSection(html: string): string {
  return html.slice(html.indexOf('<section id="comments"'));
}

describe('comments beside their cells', () => {
  it('shows a comment written through the cell form beside that cell, with its author, and not beside others', async () => {
    const nb = await publicNotebook();
    const page = (await getPage(gallery.app, `/n/${nb.id}`, bob)).body;
    expect(cellHtml(page, 2)).toContain('<summary>Comment on cell 2</summary>');
    expect(cellHtml(page, 2)).toContain('<label for="comment-new-cell-2">Your comment on cell 2</label>');
    expect(cellHtml(page, 2)).toContain('name="cellId" value="code"');

    const commentId = await commentThroughPage(nb.id, bob, {
      body: 'Why **2**? cc @carol',
      cellId: 'code',
      revision: nb.revision
    });
    // Comments on lines come from JupyterLab (through the API); the page says which lines.
    const onLines = await gallery.request(aliceToken, {
      method: 'POST',
      url: `/api/notebooks/${nb.id}/comments`,
      payload: { body: 'These two', anchor: { cellId: 'code', lines: { from: 2, to: 3 } } }
    });
    expect(onLines.statusCode).toBe(201);
    const html = (await getPage(gallery.app, `/n/${nb.id}`, bob)).body;
    const cell2 = cellHtml(html, 2);
    expect(cell2).toContain(`id="comment-${commentId}"`);
    expect(cell2).toContain('role="group" aria-label="Comments on cell 2"');
    expect(cell2).toContain('<strong class="comment__author">bob</strong>');
    expect(cell2).toContain('Why <strong>2</strong>? cc @carol');
    expect(cell2).toContain('lines 2–3');
    expect(cellHtml(html, 1)).not.toContain(`comment-${commentId}`);
    expect(commentsSection(html)).not.toContain(`comment-${commentId}`);
  });

  it('says "on an earlier version of this cell" once a new revision changes the cell, and shows that version', async () => {
    const nb = await publicNotebook();
    const onCode = await commentThroughPage(nb.id, bob, { body: 'Typo here', cellId: 'code', revision: nb.revision });
    const onIntro = await commentThroughPage(nb.id, bob, {
      body: 'Nice intro',
      cellId: 'intro',
      revision: nb.revision
    });
    const before = (await getPage(gallery.app, `/n/${nb.id}`, bob)).body;
    expect(before).not.toContain('On an earlier version of this cell');

    await saveRevision(nb.id, nb.revision, commentedNotebook('Intro', 'a = 1\nb = 3\nprint(a + b)'));
    const html = (await getPage(gallery.app, `/n/${nb.id}`, bob)).body;
    const cell2 = cellHtml(html, 2);
    expect(cell2).toContain(`id="comment-${onCode}"`);
    expect(cell2).toContain('On an earlier version of this cell.');
    expect(cell2).toContain('<summary>Show the cell as it was in revision 1</summary>');
    expect(cell2).toContain(`<pre class="comment__earlier-source">${CODE}</pre>`);
    // The unchanged cell's comment says nothing of the kind.
    expect(cellHtml(html, 1)).toContain(`id="comment-${onIntro}"`);
    expect(cellHtml(html, 1)).not.toContain('earlier version');

    // The permanent link of the first revision shows the cell as the comment saw it: no notice there.
    const first = (await getPage(gallery.app, `/n/${nb.id}/r/${nb.revision}`, bob)).body;
    expect(cellHtml(first, 2)).toContain(`id="comment-${onCode}"`);
    expect(cellHtml(first, 2)).not.toContain('earlier version');
  });

  it('lists the comment of a deleted cell under "Outdated comments", with the cell as it was', async () => {
    const nb = await publicNotebook();
    const onCode = await commentThroughPage(nb.id, bob, {
      body: 'About this code',
      cellId: 'code',
      revision: nb.revision
    });
    const withoutCode = commentedNotebook('Intro');
    withoutCode.cells = withoutCode.cells.filter((cell: { id: string }) => cell.id !== 'code');
    await saveRevision(nb.id, nb.revision, withoutCode);

    const html = (await getPage(gallery.app, `/n/${nb.id}`, bob)).body;
    expect(html).not.toContain('id="cell-2"');
    const section = commentsSection(html);
    expect(section).toContain('<h3 id="comments-outdated-heading">Outdated comments</h3>');
    const outdated = section.slice(section.indexOf('comments-outdated-heading'));
    expect(outdated).toContain(`id="comment-${onCode}"`);
    expect(outdated).toContain('About this code');
    expect(outdated).toContain(`<pre class="comment__earlier-source">${CODE}</pre>`);
  });

  it('shows notebook comments, replies, edits and resolution in #comments, each through its form', async () => {
    const nb = await publicNotebook();
    const root = await commentThroughPage(nb.id, bob, { body: 'Great notebook' });
    const reply = await commentThroughPage(nb.id, alice, { body: 'Thanks!', parentId: root });
    expect((await post(`/n/${nb.id}/comments/${root}/edit`, bob, { body: 'Great notebook, really' })).statusCode).toBe(
      303
    );
    const resolved = await post(`/n/${nb.id}/comments/${root}/resolve`, alice, {});
    expect([resolved.statusCode, resolved.headers.location]).toEqual([303, `/n/${nb.id}#comment-${root}`]);

    const section = commentsSection((await getPage(gallery.app, `/n/${nb.id}`, bob)).body);
    expect(section).toContain(`id="comment-${root}"`);
    expect(section).toContain('Great notebook, really');
    expect(section).toContain('<span class="comment__edited">(edited)</span>');
    expect(section).toContain('Resolved by alice');
    expect(section).toContain(`<li id="comment-${reply}" class="comment">`);
    expect(section).toContain('<label for="comment-new-notebook">Comment on the notebook</label>');
    // bob wrote the root: he may edit it; alice's reply he may not.
    expect(section).toContain(`action="/n/${nb.id}/comments/${root}/edit"`);
    expect(section).not.toContain(`action="/n/${nb.id}/comments/${reply}/edit"`);

    expect((await post(`/n/${nb.id}/comments/${root}/reopen`, bob, {})).statusCode).toBe(303);
    expect(commentsSection((await getPage(gallery.app, `/n/${nb.id}`, bob)).body)).not.toContain('Resolved by');

    // carol neither wrote it nor may edit the notebook: no delete form for her, and the route refuses her.
    expect(commentsSection((await getPage(gallery.app, `/n/${nb.id}`, carol)).body)).not.toContain(
      `action="/n/${nb.id}/comments/${root}/delete"`
    );
    const refused = await post(`/n/${nb.id}/comments/${root}/delete`, carol, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('<h1>Not allowed</h1>');
    // The notebook's owner may delete bob's thread; it takes its replies along.
    expect((await post(`/n/${nb.id}/comments/${root}/delete`, alice, {})).headers.location).toBe(
      `/n/${nb.id}#comments`
    );
    const after = commentsSection((await getPage(gallery.app, `/n/${nb.id}`, bob)).body);
    expect(after).not.toContain(`comment-${root}`);
    expect(after).not.toContain(`comment-${reply}`);
  });

  it('comes back to the revision page a comment was written on', async () => {
    const nb = await publicNotebook();
    const id = await commentThroughPage(
      nb.id,
      bob,
      { body: 'On revision 1', cellId: 'code', revision: nb.revision, shown: nb.revision },
      `/n/${nb.id}/r/${nb.revision}`
    );
    const html = (await getPage(gallery.app, `/n/${nb.id}/r/${nb.revision}`, bob)).body;
    expect(cellHtml(html, 2)).toContain(`id="comment-${id}"`);
  });
});

describe('errors come back on the page with the text kept', () => {
  it('a comment too long: the sentence, status 400, and the text in its form', async () => {
    const nb = await publicNotebook();
    const text = `Long ${'x'.repeat(COMMENT_BODY_MAX_LENGTH)}`;
    const response = await post(`/n/${nb.id}/comments`, bob, { body: text, cellId: 'code', revision: nb.revision });
    expect(response.statusCode).toBe(400);
    const cell2 = cellHtml(response.body, 2);
    expect(cell2).toContain('<details class="comment-new" open>');
    expect(cell2).toContain(`characters long; at most ${COMMENT_BODY_MAX_LENGTH.toLocaleString('en')} fit`);
    expect(cell2).toContain(`>${text}</textarea>`);
    expect(cell2).toContain('aria-invalid="true"');
    const list = await gallery.request(aliceToken, { method: 'GET', url: `/api/notebooks/${nb.id}/comments` });
    expect(list.json().threads).toEqual([]);
  });

  it('an unknown cell: says the cell is gone and keeps the text in the notebook form', async () => {
    const nb = await publicNotebook();
    const response = await post(`/n/${nb.id}/comments`, bob, { body: 'Where did it go?', cellId: 'nope' });
    expect(response.statusCode).toBe(400);
    const section = commentsSection(response.body);
    expect(section).toContain('This cell is not in the notebook any more');
    expect(section).toContain('>Where did it go?</textarea>');
  });

  it('too many comments at once: 429 with Retry-After, the text kept, and the API shares the same count', async () => {
    const limited = await startTestGallery({ 'comment-rate-limit': '2/1m' });
    try {
      const token = await limited.login('ann');
      const ann = await pageLogin(limited, 'ann');
      const nb = await saveNotebook(limited, token, { notebook: commentedNotebook(), title: 'Limited' });
      const form = (body: string) => postForm(limited.app, `/n/${nb.id}/comments`, ann, { _xsrf: ann.xsrf, body });
      expect((await form('one')).statusCode).toBe(303);
      const api = await limited.request(token, {
        method: 'POST',
        url: `/api/notebooks/${nb.id}/comments`,
        payload: { body: 'two' }
      });
      expect(api.statusCode).toBe(201);
      const third = await form('three, kept');
      expect(third.statusCode).toBe(429);
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      expect(third.body).toContain('You have written many comments in a short time');
      expect(third.body).toContain('>three, kept</textarea>');
    } finally {
      await limited.close();
    }
  });
});

describe('who may write and read', () => {
  it('a form post without the XSRF token is refused (403) and saves nothing', async () => {
    const nb = await publicNotebook();
    const response = await postForm(gallery.app, `/n/${nb.id}/comments`, bob, { body: 'no token' });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toContain('text/html');
    const wrong = await postForm(gallery.app, `/n/${nb.id}/comments`, bob, { body: 'wrong', _xsrf: carol.xsrf });
    expect(wrong.statusCode).toBe(403);
    const list = await gallery.request(aliceToken, { method: 'GET', url: `/api/notebooks/${nb.id}/comments` });
    expect(list.json().threads).toEqual([]);
  });

  it('anonymous readers see comments and "Log in to comment", but no form', async () => {
    const nb = await publicNotebook();
    const id = await commentThroughPage(nb.id, bob, { body: 'Visible to all', cellId: 'code', revision: nb.revision });
    const html = (await getPage(gallery.app, `/n/${nb.id}`, null)).body;
    expect(cellHtml(html, 2)).toContain(`id="comment-${id}"`);
    expect(html).not.toContain('<form class="comment-form"');
    expect(commentsSection(html)).toContain(`<a href="/login?next=%2Fn%2F${nb.id}%23comments">Log in to comment</a>`);
    const post = await postForm(gallery.app, `/n/${nb.id}/comments`, null, { body: 'anonymous' });
    expect(post.statusCode).toBe(401);
  });

  it("a private notebook's page and comment routes answer as a missing one, to anonymous and to another user", async () => {
    const nb = await publicNotebook('private');
    const comment = await commentThroughPage(nb.id, alice, { body: 'Note to self' });
    const missing = 'no-such-notebook';
    const bodyOf = (response: LightMyRequestResponse) =>
      response.body.replace(new RegExp(`${nb.id}|${missing}`, 'g'), 'ID');

    for (const login of [null, carol]) {
      const page = await getPage(gallery.app, `/n/${nb.id}`, login);
      const none = await getPage(gallery.app, `/n/${missing}`, login);
      expect([page.statusCode, bodyOf(page)]).toEqual([none.statusCode, bodyOf(none)]);
      expect(page.statusCode).toBe(404);
      expect(page.body).not.toContain('Note to self');
    }
    for (const path of [
      'comments',
      `comments/${comment}/edit`,
      `comments/${comment}/resolve`,
      `comments/${comment}/delete`
    ]) {
      const hidden = await post(`/n/${nb.id}/${path}`, carol, { body: 'sneaky' });
      const none = await post(`/n/${missing}/${path.replace(comment, 'no-such-comment')}`, carol, { body: 'sneaky' });
      expect([path, hidden.statusCode]).toEqual([path, 404]);
      expect([path, none.statusCode]).toEqual([path, 404]);
      const anonymous = await postForm(gallery.app, `/n/${nb.id}/${path}`, null, { body: 'sneaky' });
      const anonymousNone = await postForm(gallery.app, `/n/${missing}/${path}`, null, { body: 'sneaky' });
      expect([path, anonymous.statusCode, bodyOf(anonymous)]).toEqual([
        path,
        anonymousNone.statusCode,
        bodyOf(anonymousNone)
      ]);
    }
    const list = await gallery.request(aliceToken, { method: 'GET', url: `/api/notebooks/${nb.id}/comments` });
    expect(list.json().threads.map((thread: { comment: { body: string } }) => thread.comment.body)).toEqual([
      'Note to self'
    ]);
  });
});

describe('XSS in comments', () => {
  /** The served page parsed as a browser would (parse5, through rehype-raw). */
  async function parsed(html: string): Promise<Root> {
    const libraries = await loadRenderLibraries();
    return libraries
      .unified()
      .use(libraries.rehypeRaw)
      .runSync({ type: 'root', children: [{ type: 'raw', value: html }] } as Root) as Root;
  }

  /** What could run script or change the page in `tree`: scripts but the page's own, handlers, styles, bad URLs. */
  function unsafeParts(tree: Root | Element, forbidden: string[]): string[] {
    const found: string[] = [];
    for (const element of allElements(tree)) {
      const src = String(element.properties.src ?? '');
      if (forbidden.includes(element.tagName) && !(element.tagName === 'script' && src.startsWith('/assets/'))) {
        found.push(`<${element.tagName}>`);
      }
      for (const [name, value] of Object.entries(element.properties)) {
        if (/^on/i.test(name) || name === 'style' || name === 'srcDoc') {
          found.push(`<${element.tagName} ${name}>`);
        }
        if (['href', 'src', 'srcSet', 'action', 'formAction', 'xLinkHref', 'background'].includes(name)) {
          const url = String(value).replace(/[\s\u0000-\u001f]/g, '');
          const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
          // The shell's own empty icon (`<link rel="icon" href="data:,">`) is the one data: URL a page has.
          const shellIcon = element.tagName === 'link' && url === 'data:,';
          if (scheme !== undefined && !['http', 'https', 'mailto'].includes(scheme) && !shellIcon) {
            found.push(`<${element.tagName} ${name}="${String(value)}">`);
          }
        }
      }
    }
    return found;
  }

  it('renders every markdown payload of the XSS corpus inert in its comment, beside its cell', async () => {
    const nb = await publicNotebook();
    for (const payload of MARKDOWN_PAYLOADS) {
      const response = await gallery.request(aliceToken, {
        method: 'POST',
        url: `/api/notebooks/${nb.id}/comments`,
        payload: { body: payload.text, anchor: { cellId: 'code' } }
      });
      expect([payload.name, response.statusCode]).toEqual([payload.name, 201]);
    }
    const html = (await getPage(gallery.app, `/n/${nb.id}`, bob)).body;
    const tree = await parsed(html);
    const bodies = elementsOf(tree, 'div', 'comment__body');
    expect(bodies).toHaveLength(MARKDOWN_PAYLOADS.length);
    const forbidden = [
      'script',
      'iframe',
      'frame',
      'object',
      'embed',
      'form',
      'style',
      'link',
      'base',
      'meta',
      'template',
      'svg'
    ];
    for (const body of bodies) {
      expect([textOf(body), unsafeParts(body, forbidden)]).toEqual([textOf(body), []]);
    }
    // The page as a whole: only its own script, no handler, no style, and no id a comment took from the page.
    expect(unsafeParts(tree, ['script', 'iframe', 'object', 'embed', 'style', 'base'])).toEqual([]);
    expect(allElements(tree).filter(element => element.properties.id === 'cell-1')).toHaveLength(1);
  });

  it('shows script in notebook titles as text on the inbox page', async () => {
    const dan = await pageLogin(gallery, 'dan');
    for (const title of TEXT_PAYLOADS) {
      const nb = await saveNotebook(gallery, aliceToken, {
        notebook: commentedNotebook(),
        title,
        visibility: 'public'
      });
      await commentThroughPage(nb.id, bob, { body: '@dan look' });
    }
    const html = (await getPage(gallery.app, '/inbox', dan)).body;
    const tree = await parsed(html);
    expect(unsafeParts(tree, ['script', 'iframe', 'object', 'embed', 'style', 'svg', 'img'])).toEqual([]);
    const lines = elementsOf(tree, 'p', 'inbox-event__line').map(textOf);
    for (const title of TEXT_PAYLOADS) {
      expect(lines.some(line => line.includes(`bob mentioned you in a comment on ${title}`))).toBe(true);
    }
  });
});
