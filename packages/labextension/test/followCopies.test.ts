import { GALLERY_METADATA_KEY } from '@notebook-gallery/core';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { Contents } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';
import { followCopies } from '../src/commands/followCopies';
import { CopyRegistry } from '../src/services/copyRegistry';
import { CopyUpdates, FOCUS_CHECK_INTERVAL_MS } from '../src/services/copyUpdates';
import type { IGalleryModel, IGallerySettings } from '../src/tokens';
import {
  FakeGallery,
  MemoryStorage,
  REV1,
  REV2,
  SERVER,
  clientFor,
  settle,
  storedNotebook,
  summary,
  trans
} from './helpers';

const PATH = 'gallery/week-1.ipynb';

/**
 * A JupyterLab with the sidebar and one open copy of nb-1 (at revision 1), following copies with a clock the test
 * moves; `publish` makes the gallery's latest revision 2, as the instructor saving does.
 */
async function openCopy() {
  let latest = REV1;
  let clock = 1_000_000;
  const gallery = new FakeGallery().on('GET', '/api/notebooks/nb-1', () => ({
    status: 200,
    body: summary({ id: 'nb-1', title: 'Week 1', revision: latest, revisionNumber: latest === REV1 ? 1 : 2 })
  }));
  const { client } = clientFor(gallery);
  const registry = new CopyRegistry({ scope: '/', storage: new MemoryStorage() });
  const updates = new CopyUpdates(client, registry, { now: () => clock });
  const tracker = {
    widgetAdded: new Signal<unknown, NotebookPanel>({}),
    currentChanged: new Signal<unknown, NotebookPanel | null>({}),
    currentWidget: null as NotebookPanel | null
  };
  const model = { stateChanged: new Signal<unknown, void>({}), status: 'idle', items: [] };
  const settings = { updateCheckMinutes: 10, autoUpdateUnedited: false, changed: new Signal<unknown, void>({}) };
  const sidebar = new Widget();
  Widget.attach(sidebar, document.body);
  followCopies({
    client,
    model: model as unknown as IGalleryModel,
    settings: settings as unknown as IGallerySettings,
    tracker: tracker as unknown as INotebookTracker,
    contents: {} as Contents.IManager,
    registry,
    updates,
    trans,
    sidebar
  });

  const metadata = { id: 'nb-1', revision: REV1, server: SERVER };
  const panel = {
    node: document.createElement('div'),
    isDisposed: false,
    context: {
      path: PATH,
      ready: Promise.resolve(),
      isDisposed: false,
      pathChanged: new Signal<unknown, string>({}),
      fileChanged: new Signal<unknown, unknown>({}),
      model: {
        dirty: false,
        stateChanged: new Signal<unknown, unknown>({}),
        getMetadata: (key: string) => (key === GALLERY_METADATA_KEY ? metadata : undefined),
        toJSON: () => storedNotebook('print(1)')
      }
    }
  } as unknown as NotebookPanel;
  document.body.append(panel.node);
  tracker.widgetAdded.emit(panel);
  await settle();
  const checks = (): number => gallery.requests('GET', '/api/notebooks/nb-1').length;
  // Opening the copy asks once.
  expect(checks()).toBe(1);
  return {
    updates,
    sidebar,
    panel,
    tracker,
    checks,
    publish: () => (latest = REV2),
    wait: (ms: number) => (clock += ms),
    /** Focus lands in the element, as a click or Tab does. */
    focus: async (node: HTMLElement) => {
      node.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
      await settle();
    }
  };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('checking open copies for updates when the user comes back to them', () => {
  it('asks when the copy gains focus, at most once per notebook in the interval', async () => {
    const { updates, panel, checks, publish, wait, focus } = await openCopy();
    publish();
    // Just after opening: focusing the copy again and again asks nothing more.
    await focus(panel.node);
    await focus(panel.node);
    expect(checks()).toBe(1);
    expect(updates.updateFor(PATH)).toBeNull();

    wait(FOCUS_CHECK_INTERVAL_MS);
    await focus(panel.node);
    await focus(panel.node);
    expect(checks()).toBe(2);
    expect(updates.updateFor(PATH)).toMatchObject({ revision: REV2, revisionNumber: 2 });

    wait(FOCUS_CHECK_INTERVAL_MS - 1);
    await focus(panel.node);
    expect(checks()).toBe(2);
    wait(1);
    await focus(panel.node);
    expect(checks()).toBe(3);
    updates.dispose();
  });

  it('asks when the sidebar gains focus, or the copy becomes the current notebook, with the same limit', async () => {
    const { updates, sidebar, panel, tracker, checks, publish, wait, focus } = await openCopy();
    publish();
    wait(FOCUS_CHECK_INTERVAL_MS);
    await focus(sidebar.node);
    expect(checks()).toBe(2);
    expect(updates.updateFor(PATH)).toMatchObject({ revisionNumber: 2 });
    // The copy right after the sidebar: the same notebook was just asked about.
    await focus(panel.node);
    expect(checks()).toBe(2);

    wait(FOCUS_CHECK_INTERVAL_MS);
    tracker.currentWidget = panel;
    tracker.currentChanged.emit(panel);
    await settle();
    expect(checks()).toBe(3);
    window.dispatchEvent(new FocusEvent('focus'));
    await settle();
    expect(checks()).toBe(3);
    updates.dispose();
  });
});
