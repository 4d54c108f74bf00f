import type { INotebook } from '@notebook-gallery/core';
import { createNotebookRenderer } from '../../src/pages/render/notebookRenderer';
import { loadRenderLibraries } from '../../src/pages/render/renderLibraries';
import { RenderCache } from '../../src/pages/render/renderCache';
import { TimeSlices } from '../../src/pages/render/timeSlices';
import { SETUP_TIMEOUT_MS, startTestGallery, type ITestGallery } from '../helpers/testGallery';
import { getPage, pageLogin, saveNotebook, type IPageLogin } from './pageHelpers';

/* The first view of a large notebook renders in time slices: the server keeps answering meanwhile. */

/** 300 markdown cells with tables and formulas and 300 code cells: a few hundred ms of rendering, many slices. */
function largeNotebook(): INotebook {
  const cells = [];
  for (let i = 0; i < 300; i++) {
    cells.push({
      cell_type: 'markdown',
      id: `md-${i}`,
      metadata: {},
      source: `## Step ${i}\n\n| x | $x^2$ |\n|---|---|\n| ${i} | $${i}^2 = ${i * i}$ |\n\n$$\\sum_{k=0}^{${i}} k^2$$`
    });
    cells.push({
      cell_type: 'code',
      id: `code-${i}`,
      metadata: {},
      execution_count: null,
      outputs: [],
      source: `def step_${i}(x):\n    return [x ** k for k in range(${i})]\n`
    });
  }
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells
  } as INotebook;
}

describe('rendering in time slices', () => {
  let gallery: ITestGallery;
  let reader: IPageLogin;
  let id: string;

  beforeAll(async () => {
    gallery = await startTestGallery();
    const token = await gallery.login('olga');
    reader = await pageLogin(gallery, 'bob');
    ({ id } = await saveNotebook(gallery, token, {
      notebook: largeNotebook(),
      title: 'Six hundred cells',
      visibility: 'public'
    }));
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await gallery.close();
  });

  it('answers /healthz asked while the first view of a large notebook is rendering, before that page', async () => {
    const order: string[] = [];
    let health: Promise<unknown> | undefined;
    const renderer = gallery.app.pages.renderer;
    const render = renderer.renderCellsInSlices.bind(renderer);
    // Only a signal: /healthz is asked once the render has started; the render itself is the real one.
    const spy = jest.spyOn(renderer, 'renderCellsInSlices').mockImplementation((notebook, slices) => {
      // From the next turn of the event loop, as a request arriving on the network would be.
      health = new Promise(resolve => setImmediate(resolve))
        .then(() => gallery.app.inject({ method: 'GET', url: '/healthz' }))
        .then(response => {
          order.push(`healthz ${response.statusCode}`);
        });
      return render(notebook, slices);
    });
    try {
      const response = await getPage(gallery.app, `/n/${id}`, reader);
      order.push(`page ${response.statusCode}`);
      expect(response.body).toContain('id="cell-600"');
      await health;
    } finally {
      spy.mockRestore();
    }
    // Rendered in one go, the render would hold the thread and /healthz would come after the page.
    expect(order).toEqual(['healthz 200', 'page 200']);
  });

  it('renders the same HTML as in one go', async () => {
    const { toHtml } = await loadRenderLibraries();
    const renderer = await createNotebookRenderer();
    const notebook = largeNotebook();
    const sliced = await renderer.renderCellsInSlices(notebook, new TimeSlices(1));
    expect(toHtml(sliced)).toBe(toHtml(renderer.renderCells(notebook)));
  });
});

describe('the render cache, for work that awaits', () => {
  it('makes a value once for callers that ask while it is being made, and keeps it', async () => {
    const cache = new RenderCache<string>(1000);
    let makes = 0;
    const make = async () => {
      makes++;
      await new Promise(resolve => setImmediate(resolve));
      return { value: 'cells', weight: 10 };
    };
    const both = await Promise.all([cache.getOrMakeAsync('nb@1', make), cache.getOrMakeAsync('nb@1', make)]);
    expect(both).toEqual(['cells', 'cells']);
    expect(await cache.getOrMakeAsync('nb@1', make)).toBe('cells');
    expect(makes).toBe(1);
  });

  it('forgets a failed making, so the next caller tries again', async () => {
    const cache = new RenderCache<string>(1000);
    await expect(cache.getOrMakeAsync('nb@1', () => Promise.reject(new Error('git read failed')))).rejects.toThrow(
      'git read failed'
    );
    expect(await cache.getOrMakeAsync('nb@1', async () => ({ value: 'cells', weight: 10 }))).toBe('cells');
  });
});
