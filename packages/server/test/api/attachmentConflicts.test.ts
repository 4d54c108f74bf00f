import { sampleNotebook } from '../helpers/fixtures';
import { startTestGallery, type ITestGallery, SETUP_TIMEOUT_MS } from '../helpers/testGallery';

/**
 * An attachment replaced on one side and deleted on the other is a conflict the merge reports (kind `attachment`);
 * these check it reaches the client in both 409 replies that carry conflicts, so the user can choose.
 */
let gallery: ITestGallery;
let ann: string;
let bob: string;

beforeEach(async () => {
  gallery = await startTestGallery({ 'default-visibility': 'public' });
  [ann, bob] = await Promise.all([gallery.login('ann'), gallery.login('bob')]);
}, SETUP_TIMEOUT_MS);

afterEach(async () => {
  await gallery.close();
});

/** The sample notebook with `plot.png` attached to its markdown cell as `image` (base64), or without it. */
function withPlot(image: string | null): Record<string, any> {
  const notebook = sampleNotebook('![plot](attachment:plot.png)');
  notebook.cells[0].attachments = image === null ? {} : { 'plot.png': { 'image/png': image } };
  return notebook;
}

const ATTACHMENT_CONFLICT = {
  id: 'attachment/cell:intro/plot.png',
  kind: 'attachment',
  cellId: 'intro',
  cellType: 'markdown',
  key: 'plot.png',
  base: 'image/png, 8 bytes',
  local: null,
  remote: 'image/png, 16 bytes'
};

async function create(): Promise<{ id: string; revision: string }> {
  const response = await gallery.request(ann, {
    method: 'POST',
    url: '/api/notebooks',
    payload: { notebook: withPlot('iVBORw0KGgo='), title: 'Figures' }
  });
  expect(response.statusCode).toBe(201);
  return response.json();
}

/** ann saves a new image over plot.png: the revision the other side merges with. */
async function annReplacesThePlot(id: string, baseRevision: string): Promise<string> {
  const response = await gallery.request(ann, {
    method: 'PUT',
    url: `/api/notebooks/${id}`,
    payload: { notebook: withPlot('iVBORw0KGgoAAAANSUhEUg=='), baseRevision }
  });
  expect(response.statusCode).toBe(200);
  return response.json().revision;
}

describe('an attachment replaced on one side and deleted on the other', () => {
  it('answers a merging save with 409 and the attachment conflict; ann’s new image is not lost', async () => {
    const first = await create();
    const annRevision = await annReplacesThePlot(first.id, first.revision);
    // ann saves again from the first revision (a second copy of hers), having deleted the image there.
    const response = await gallery.request(ann, {
      method: 'PUT',
      url: `/api/notebooks/${first.id}`,
      payload: { notebook: withPlot(null), baseRevision: first.revision, merge: true }
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ error: 'REVISION_CONFLICT', currentRevision: annRevision });
    expect(response.json().conflicts).toEqual([ATTACHMENT_CONFLICT]);
    const content = (await gallery.request(ann, { method: 'GET', url: `/api/notebooks/${first.id}/content` })).json();
    expect(content.cells[0].attachments).toEqual({ 'plot.png': { 'image/png': 'iVBORw0KGgoAAAANSUhEUg==' } });
  });

  it('answers accepting a proposal with 409 and the attachment conflict', async () => {
    const first = await create();
    const proposal = await gallery.request(bob, {
      method: 'POST',
      url: `/api/notebooks/${first.id}/change-requests`,
      payload: { notebook: withPlot(null), baseRevision: first.revision, message: 'Drop the plot' }
    });
    expect(proposal.statusCode).toBe(201);
    await annReplacesThePlot(first.id, first.revision);
    const response = await gallery.request(ann, {
      method: 'POST',
      url: `/api/notebooks/${first.id}/change-requests/${proposal.json().id}/accept`,
      payload: {}
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().conflicts).toEqual([ATTACHMENT_CONFLICT]);
  });
});
