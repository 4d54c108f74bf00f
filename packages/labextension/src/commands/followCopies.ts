import { GALLERY_METADATA_KEY } from '@notebook-gallery/core';
import { Notification } from '@jupyterlab/apputils';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { Contents } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Widget } from '@lumino/widgets';
import { updatePrompts } from '../dialogs/updateDialogs';
import type { CopyRegistry } from '../services/copyRegistry';
import type { CopyUpdates } from '../services/copyUpdates';
import { ignoreKernelMetadata } from '../services/kernelMetadataGuard';
import { readProvenance } from '../services/provenance';
import type { IGalleryClient, IGalleryModel, IGallerySettings } from '../tokens';
import { updatePanel } from './updateCopy';

/** What `followCopies` watches. */
export interface IFollowCopiesOptions {
  client: IGalleryClient;
  model: IGalleryModel;
  settings: IGallerySettings;
  tracker: INotebookTracker;
  contents: Contents.IManager;
  registry: CopyRegistry;
  updates: CopyUpdates;
  trans: TranslationBundle;
  /** The Gallery sidebar: coming back to it checks every open copy. */
  sidebar: Widget;
}

/**
 * Keep track of the gallery copies the user opens and check them for newer revisions: when a copy opens, when the
 * sidebar lists notebooks, when the user comes back to a copy or to the sidebar (focus; at most once per notebook
 * in `FOCUS_CHECK_INTERVAL_MS`, 20 s), and every `updateCheckMinutes`. With `autoUpdateUnedited`, an unedited copy
 * takes the newer revision as it opens.
 */
export function followCopies(options: IFollowCopiesOptions): void {
  const { client, model, settings, tracker, updates, sidebar } = options;
  const followed = new WeakMap<NotebookPanel, string>();
  tracker.widgetAdded.connect((_tracker, panel) => {
    void panel.context.ready
      .then(() => Private.follow(panel, options, followed))
      .catch(reason => {
        console.error('Notebook Gallery: could not check the copy for updates.', reason);
      });
  });
  const checkCurrentCopy = (): void => {
    const id = tracker.currentWidget && followed.get(tracker.currentWidget);
    if (id) {
      void updates.checkOnFocus([id]);
    }
  };
  // Switching to a copy's tab, or back to this browser tab while a copy is the current notebook.
  tracker.currentChanged.connect(checkCurrentCopy);
  window.addEventListener('focus', checkCurrentCopy);
  sidebar.node.addEventListener('focusin', () => void updates.checkOnFocus());
  model.stateChanged.connect(() => {
    if (model.status === 'ready') {
      updates.noteListed(model.items);
    }
  });
  const schedule = (): void => updates.checkEvery(settings.updateCheckMinutes);
  schedule();
  settings.changed.connect(schedule);
  client.authChanged.connect(() => void updates.check());
}

namespace Private {
  export async function follow(
    panel: NotebookPanel,
    options: IFollowCopiesOptions,
    followed: WeakMap<NotebookPanel, string>
  ): Promise<void> {
    const { client, registry, updates, settings, trans } = options;
    const { context } = panel;
    const metadata = { [GALLERY_METADATA_KEY]: context.model.getMetadata(GALLERY_METADATA_KEY) };
    const provenance = readProvenance(metadata, client.serverUrl);
    if (provenance === null) {
      return;
    }
    ignoreKernelMetadata(context);
    registry.remember(context.path, provenance);
    followed.set(panel, provenance.id);
    panel.node.addEventListener('focusin', () => void updates.checkOnFocus([provenance.id]));
    let path = context.path;
    context.pathChanged.connect((_context, next) => {
      registry.rename(path, next);
      path = next;
    });
    await updates.check([provenance.id]);
    if (!settings.autoUpdateUnedited || updates.updateFor(context.path) === null || panel.isDisposed) {
      return;
    }
    const result = await updatePanel(panel, {
      client,
      trans,
      contents: options.contents,
      registry,
      prompts: updatePrompts(trans),
      uneditedOnly: true
    });
    if (result?.kind === 'replaced') {
      Notification.info(
        trans.__('Updated “%1” to the gallery’s version %2.', result.summary.title, result.summary.revisionNumber),
        { autoClose: 5000 }
      );
    }
  }
}
