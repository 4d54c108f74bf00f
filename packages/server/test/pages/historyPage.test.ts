import { sampleNotebook } from '../helpers/fixtures';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** A notebook of code cells with these sources (ids `c0`, `c1`…), so revisions change cells the diff can follow. */
function cells(sources: string[]): Record<string, unknown> {
  const notebook = sampleNotebook('intro');
  return {
    ...notebook,
    nbformat_minor: 5,
    cells: sources.map((source, index) => ({
      id: `c${index}`,
      cell_type: 'code',
      metadata: {},
      execution_count: null,
      outputs: [],
      source
    }))
  };
}

describe('the history page (/n/:id/history)', () => {
  let gallery: ITestGallery;
  let ann: string;
  let bob: string;
  let id: string;
  let privateId: string;
  let revisions: Array<{ revision: string; number: number }>;

  beforeAll(async () => {
    gallery = await startTestGallery();
    ann = await gallery.login('ann');
    bob = await gallery.login('bob');
    const created = await gallery.request(ann, {
      method: 'POST',
      url: '/api/notebooks',
      payload: {
        notebook: cells(['load = 1', 'plot = 2']),
        title: 'Rain <b>gauge</b>',
        visibility: 'public',
        message: 'First draft'
      }
    });
    id = created.json().id;
    let base = created.json().revision as string;
    for (const [sources, message] of [
      [['load = 1', 'plot = 3'], 'Bigger plot'],
      [['load = 1', 'plot = 3', 'save = 4'], 'Save the figure']
    ] as const) {
      const saved = await gallery.request(ann, {
        method: 'PUT',
        url: `/api/notebooks/${id}`,
        payload: { notebook: cells([...sources]), baseRevision: base, message }
      });
      base = saved.json().revision;
    }
    const listed = await gallery.request(ann, { method: 'GET', url: `/api/notebooks/${id}/revisions` });
    revisions = listed.json().items;
    const hidden = await gallery.request(ann, {
      method: 'POST',
      url: '/api/notebooks',
      payload: { notebook: cells(['secret = 1']), title: 'Hidden', visibility: 'private' }
    });
    privateId = hidden.json().id;
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await gallery.close();
  });

  function page(token: string | null, url: string) {
    return gallery.request(token, { method: 'GET', url, headers: { accept: BROWSER_ACCEPT } });
  }

  it('lists the revisions newest first, each linking to its permanent page', async () => {
    const reply = await page(bob, `/n/${id}/history`);
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/html/);
    expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
    const body = reply.body;
    const order = ['Save the figure', 'Bigger plot', 'First draft'].map(message => body.indexOf(message));
    expect(order.every(at => at > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (const revision of revisions) {
      expect(body).toContain(`href="/n/${id}/r/${revision.revision}">Version ${revision.number}</a>`);
    }
    expect(body).toContain('History of “Rain &#x3C;b>gauge&#x3C;/b>”');
  });

  it('shows by default what the latest revision changed against the one before', async () => {
    const body = (await page(bob, `/n/${id}/history`)).body;
    expect(body).toContain('Changes from version 2 to version 3');
    expect(body).toContain('1 new cell');
    expect(body).toContain('<span class="visually-hidden">Added: </span>save = 4');
    expect(body).not.toContain('Removed: </span>');
  });

  it('compares any two revisions chosen in the form, with changed lines in words', async () => {
    const [latest, , first] = revisions;
    const body = (await page(bob, `/n/${id}/history?from=${first.revision}&to=${latest.revision}`)).body;
    expect(body).toContain('Changes from version 1 to version 3');
    expect(body).toContain('1 cell changed, 1 new cell');
    expect(body).toContain('Cell 2 changed');
    expect(body).toContain('<span class="visually-hidden">Removed: </span>plot = 2');
    expect(body).toContain('<span class="visually-hidden">Added: </span>plot = 3');
    // The form keeps the two revisions chosen.
    expect(body).toMatch(new RegExp(`<option value="${first.revision}" selected>Version 1: First draft</option>`));
  });

  it('names the change request a revision came from, to its proposer and to the owner', async () => {
    const created = await gallery.request(ann, {
      method: 'POST',
      url: '/api/notebooks',
      payload: { notebook: cells(['a = 1']), title: 'Proposals', visibility: 'public' }
    });
    const notebook = created.json();
    const proposed = await gallery.request(bob, {
      method: 'POST',
      url: `/api/notebooks/${notebook.id}/change-requests`,
      payload: { notebook: cells(['a = 2']), baseRevision: notebook.revision, message: 'Fix the constant' }
    });
    expect(proposed.statusCode).toBe(201);
    const accepted = await gallery.request(ann, {
      method: 'POST',
      url: `/api/notebooks/${notebook.id}/change-requests/${proposed.json().id}/accept`,
      payload: {}
    });
    expect(accepted.statusCode).toBe(200);
    for (const token of [ann, bob]) {
      const body = (await page(token, `/n/${notebook.id}/history`)).body;
      expect(body).toContain('Change request by bob, accepted by ann: “Fix the constant”');
    }
    const carol = await gallery.login('carol');
    // Carol may read the notebook but not see bob's change requests, as the change-request API shows them to her.
    expect((await page(carol, `/n/${notebook.id}/history`)).body).not.toContain('Change request by bob');
  });

  it('shows the review comments of the change request that made a revision, cell by cell', async () => {
    const created = await gallery.request(ann, {
      method: 'POST',
      url: '/api/notebooks',
      payload: { notebook: cells(['rate = 0.1', 'total = rate * 12']), title: 'Reviewed', visibility: 'public' }
    });
    const notebook = created.json();
    const proposed = await gallery.request(bob, {
      method: 'POST',
      url: `/api/notebooks/${notebook.id}/change-requests`,
      payload: {
        notebook: cells(['rate = 0.2', 'total = rate * 12']),
        baseRevision: notebook.revision,
        message: 'Double the rate'
      }
    });
    expect(proposed.statusCode).toBe(201);
    const review = await gallery.request(ann, {
      method: 'POST',
      url: `/api/notebooks/${notebook.id}/comments`,
      payload: { body: 'Why **0.2**?', changeRequestId: proposed.json().id, anchor: { cellId: 'c0' } }
    });
    expect(review.statusCode).toBe(201);
    const before = (await page(ann, `/n/${notebook.id}/history`)).body;
    expect(before).not.toContain('Review comments');
    const accepted = await gallery.request(ann, {
      method: 'POST',
      url: `/api/notebooks/${notebook.id}/change-requests/${proposed.json().id}/accept`,
      payload: {}
    });
    expect(accepted.statusCode).toBe(200);
    const body = (await page(bob, `/n/${notebook.id}/history`)).body;
    expect(body).toContain('<h2 id="history-review-heading">Review comments that led to version 2</h2>');
    expect(body).toContain('<h3>Change request by bob</h3>');
    expect(body).toMatch(/<strong>ann<\/strong> · <time datetime="[^"]+">[^<]+<\/time> · on cell 1/);
    expect(body).toContain('Why <strong>0.2</strong>?');
    // The version before has no review: its page says nothing of it.
    const first = (await page(bob, `/n/${notebook.id}/history?to=${notebook.revision}`)).body;
    expect(first).not.toContain('Review comments');
  });

  it('answers a private notebook, a missing one and an unknown revision with the same 404 page', async () => {
    const missing = await page(bob, '/n/no-such-notebook/history');
    const hidden = await page(bob, `/n/${privateId}/history`);
    const badRevision = await page(bob, `/n/${id}/history?to=${'0'.repeat(40)}`);
    const otherRevision = await page(
      ann,
      `/n/${id}/history?to=${(await gallery.request(ann, { method: 'GET', url: `/api/notebooks/${privateId}` })).json().revision}`
    );
    for (const reply of [missing, hidden, badRevision, otherRevision]) {
      expect(reply.statusCode).toBe(404);
      expect(reply.headers['content-type']).toMatch(/^text\/html/);
    }
    const text = (html: string) => html.replace(/<header[\s\S]*<\/header>/, '');
    expect(text(hidden.body)).toBe(text(missing.body));
    expect(text(badRevision.body)).toBe(text(missing.body));
    expect(text(otherRevision.body)).toBe(text(missing.body));
    expect(missing.body).toContain('Notebook not found');
  });
});
