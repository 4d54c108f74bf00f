import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { localCopiesText, notebookGoneText } from '../galleryError';
import type { CopyRegistry } from '../services/copyRegistry';
import type { IGalleryClient, IGalleryModel } from '../tokens';
import { element } from '../widgets/dom';

/** What telling the user about a notebook gone from the gallery needs. */
export interface INotebookGoneOptions {
  client: IGalleryClient;
  model: IGalleryModel;
  /** Knows the user's local copies, to offer the one they still have. */
  registry: CopyRegistry;
  docManager: IDocumentManager;
  trans: TranslationBundle;
}

/**
 * How the commands (open, share, delete, update) answer a notebook that is no longer in the gallery (deleted, or no
 * longer shared with the user): one message in words instead of "No notebook with id …", a refreshed list so it
 * is not chosen again, and the user's local copy when there is one. Resolves once the user has closed the message.
 */
export function notebookGone(options: INotebookGoneOptions): (id: string) => Promise<void> {
  const { client, model, registry, docManager, trans } = options;
  return async (id: string): Promise<void> => {
    void model.refresh();
    const paths = registry.copiesOf(id, client.serverUrl).map(copy => copy.path);
    const body = new Widget({ node: notebookGoneBody(trans, paths) });
    const result = await showDialog({
      title: trans.__('Notebook no longer in the gallery'),
      body,
      buttons:
        paths.length > 0
          ? [Dialog.cancelButton({ label: trans.__('Close') }), Dialog.okButton({ label: trans.__('Open your copy') })]
          : [Dialog.okButton({ label: trans.__('Close') })]
    });
    if (paths.length > 0 && result.button.accept) {
      docManager.openOrReveal(paths[0]);
    }
  };
}

/** The message's body: the one sentence, and what becomes of the user's copies. */
export function notebookGoneBody(trans: TranslationBundle, paths: readonly string[]): HTMLElement {
  const node = element('div', 'jp-NotebookGallery-gone');
  node.append(element('p', '', notebookGoneText(trans)));
  const copies = localCopiesText(trans, paths);
  node.append(
    element('p', '', copies ?? trans.__('The list is refreshed. You have no copy of it in this JupyterLab.'))
  );
  return node;
}
