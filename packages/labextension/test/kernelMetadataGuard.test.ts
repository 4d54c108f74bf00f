// The model alone: the package index also loads widgets that need a real browser.
import { NotebookModel } from '@jupyterlab/notebook/lib/model';
import { Signal } from '@lumino/signaling';
import { ignoreKernelMetadata } from '../src/services/kernelMetadataGuard';

/** A gallery copy as written to disk: the language named only, as in the bundled examples. */
const COPY = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
    language_info: { name: 'python' },
    gallery: { id: 'nb-1', revision: 'a'.repeat(40), server: 'http://127.0.0.1:8765' }
  },
  cells: [{ id: 'c1', cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: 'x = 1' }]
};

/** A loaded copy, as the document context holds it right after opening. */
async function openedCopy() {
  const model = new NotebookModel();
  model.fromJSON(COPY as never);
  model.dirty = false;
  const document = {
    model,
    ready: Promise.resolve(),
    fileChanged: new Signal<unknown, unknown>({}),
    isDisposed: false
  };
  ignoreKernelMetadata(document);
  await document.ready;
  await Promise.resolve();
  return { model, document };
}

describe('a freshly opened gallery copy', () => {
  it('is not modified when its kernel starts and reports its language details', async () => {
    const { model } = await openedCopy();
    model.setMetadata('language_info', { name: 'python', version: '3.11.7', mimetype: 'text/x-python' });
    model.setMetadata('kernelspec', { name: 'python3', display_name: 'Python 3', language: 'python' });
    expect(model.dirty).toBe(false);
  });

  it('is modified as soon as the user changes anything', async () => {
    const { model } = await openedCopy();
    model.setMetadata('language_info', { name: 'python', version: '3.11.7' });
    model.cells.get(0).sharedModel.setSource('x = 2');
    expect(model.dirty).toBe(true);
  });
});
