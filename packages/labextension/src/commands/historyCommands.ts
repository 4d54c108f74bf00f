import {
  GALLERY_METADATA_KEY,
  serializeNotebook,
  slugify,
  type INotebookSummary,
  type IRevision
} from '@notebook-gallery/core';
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, Notification } from '@jupyterlab/apputils';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Widget } from '@lumino/widgets';
import { askProposalMessage, confirmRestore } from '../dialogs/historyDialogs';
import type { ConfirmedSecrets } from '../services/confirmedSecrets';
import { readProvenance } from '../services/provenance';
import type { SaveDrafts } from '../services/saveFlow';
import { CommandIDs, type IGalleryClient, type IGalleryModel } from '../tokens';
import { ChangeRequestView } from '../widgets/changeRequestView';
import { HistoryPanel, type IHistoryActions } from '../widgets/historyPanel';
import { galleryIcon } from '../widgets/icons';
import { RevisionView } from '../widgets/revisionView';
import type { IErrorReport } from './errorReport';
import { proposeChanges } from './proposeChanges';
import { revealFinding } from './revealFinding';

/** What the history and change-request commands act on. */
export interface IHistoryCommandsOptions {
  app: JupyterFrontEnd;
  client: IGalleryClient;
  model: IGalleryModel;
  tracker: INotebookTracker;
  trans: TranslationBundle;
  errors: IErrorReport;
  /** The sidebar's change-request status, reloaded after a proposal or a decision. */
  changeRequests: { refresh(): Promise<void> };
  /** The paths of the user's local copies of a gallery notebook, offered when it is gone from the gallery. */
  localCopies: (id: string) => readonly string[];
  /** What the user confirmed as not secrets before, by gallery notebook, not asked again in a proposal. */
  confirmed?: ConfirmedSecrets;
}

/**
 * Register History, Propose changes and Open change request. History panels and change-request views open in the
 * main area, one per notebook or request: asking again reveals the open one and reloads it.
 */
export function addHistoryCommands(options: IHistoryCommandsOptions): void {
  const { app, client, model, tracker, trans, errors } = options;
  const { commands } = app;
  const histories = new Map<string, MainAreaWidget<HistoryPanel>>();
  const reviews = new Map<string, MainAreaWidget<ChangeRequestView>>();

  /** The gallery id of a notebook panel's copy, when it came from this gallery. */
  const galleryIdOf = (panel: NotebookPanel | null): string | null => {
    const metadata = panel?.model ? { [GALLERY_METADATA_KEY]: panel.model.getMetadata(GALLERY_METADATA_KEY) } : null;
    return readProvenance(metadata, client.serverUrl)?.id ?? null;
  };

  /** The panel of the user's open copy of gallery notebook `id`, the current notebook first. */
  const localPanel = (id: string): NotebookPanel | null => {
    const candidates = [tracker.currentWidget, ...Private.panels(tracker)];
    return candidates.find(candidate => candidate && galleryIdOf(candidate) === id) ?? null;
  };

  /** The user's open copy of gallery notebook `id`, the current notebook first. */
  const localCopy = (id: string): unknown | null => localPanel(id)?.model?.toJSON() ?? null;

  const show = (widget: Widget): void => {
    if (!widget.isAttached) {
      app.shell.add(widget, 'main');
    }
    app.shell.activateById(widget.id);
  };

  const openRevision = async (summary: INotebookSummary, revision: IRevision): Promise<void> => {
    try {
      const notebook = await client.getNotebookContent(summary.id, revision.revision);
      const view = new RevisionView({
        trans,
        summary,
        revision,
        notebook,
        actions: [{ label: trans.__('Download'), execute: () => void download(summary, revision) }]
      });
      const main = new MainAreaWidget({ content: view });
      main.id = `notebook-gallery-revision-${summary.id}-${revision.number}`;
      main.title.label = view.title.label;
      main.title.caption = view.title.caption;
      main.title.icon = galleryIcon;
      show(main);
    } catch (error) {
      errors.report(trans.__('Could not open version %1', revision.number), error);
    }
  };

  const download = async (summary: INotebookSummary, revision: IRevision): Promise<void> => {
    const notebook = await client.getNotebookContent(summary.id, revision.revision);
    const name = `${slugify(summary.title) || 'notebook'}-version-${revision.number}.ipynb`;
    Private.saveFile(name, serializeNotebook(notebook));
    // Counts toward the notebook's downloads; a failure there must not spoil the download.
    client.recordActivity(summary.id, 'download').catch(() => undefined);
  };

  const restore = async (summary: INotebookSummary, revision: IRevision): Promise<boolean> => {
    const message = await confirmRestore(trans, summary, revision);
    if (message === null) {
      return false;
    }
    const saved = await client.restoreRevision(summary.id, {
      revision: revision.revision,
      ...(message ? { message } : {})
    });
    Notification.success(
      trans.__('Restored version %1 of “%2” as version %3.', revision.number, saved.title, saved.revisionNumber),
      { autoClose: 5000 }
    );
    void model.refresh();
    return true;
  };

  const actions: IHistoryActions = {
    openRevision: (summary, revision) => void openRevision(summary, revision),
    download,
    restore,
    openHistory: id => void commands.execute(CommandIDs.history, { id }),
    openChangeRequest: (id, requestId) => void commands.execute(CommandIDs.openChangeRequest, { id, requestId }),
    proposeChanges: id => void propose(id),
    notebookGone: id => {
      void model.refresh();
      return options.localCopies(id);
    },
    openLocalCopy: path => void commands.execute('docmanager:open', { path })
  };

  /** Send the open copy of `id` (the current notebook when it is one) as a change request. */
  const propose = async (id: string | null): Promise<void> => {
    if (!client.isLoggedIn) {
      errors.revealLogin(trans.__('Log in to propose changes.'));
      return;
    }
    const panel = id === null ? tracker.currentWidget : localPanel(id);
    const notebook = panel?.model?.toJSON() ?? null;
    if (panel === null || notebook === null) {
      errors.report(
        trans.__('Nothing to propose'),
        new Error(
          trans.__(
            'Open your copy of the notebook first (from the Gallery sidebar), make your changes in it, then choose Propose changes.'
          )
        )
      );
      return;
    }
    try {
      const request = await proposeChanges(notebook, {
        client,
        trans,
        askMessage: (summary, secrets, initial) => askProposalMessage(trans, summary, secrets, initial),
        drafts: Private.drafts,
        draftKey: panel.context.path,
        revealFinding: finding => void revealFinding(panel, finding, app.shell),
        confirmed: options.confirmed
      });
      if (request) {
        Notification.success(
          trans.__(
            'Change request sent for “%1”. You will see its status in the Gallery sidebar.',
            request.notebookTitle
          ),
          { autoClose: 5000 }
        );
        void options.changeRequests.refresh();
        void histories.get(request.notebookId)?.content.refresh();
      }
    } catch (error) {
      errors.report(trans.__('Could not propose changes'), error);
    }
  };

  commands.addCommand(CommandIDs.history, {
    label: trans.__('Gallery History'),
    caption: trans.__('Versions of this gallery notebook: what changed, who changed it, and restoring an old one'),
    describedBy: Private.args({
      id: trans.__('Gallery notebook id; without it, the notebook the current one was opened from')
    }),
    isEnabled: args => client.isLoggedIn && (typeof args.id === 'string' || tracker.currentWidget !== null),
    execute: async args => {
      if (!client.isLoggedIn) {
        errors.revealLogin(trans.__('Log in to see the history of gallery notebooks.'));
        return;
      }
      let id = typeof args.id === 'string' && args.id ? args.id : null;
      if (!id) {
        const panel = tracker.currentWidget;
        await panel?.context.ready;
        id = galleryIdOf(panel);
      }
      if (!id) {
        errors.report(
          trans.__('No gallery history yet'),
          new Error(
            trans.__(
              'This notebook is not in the gallery yet. Choose Save to Gallery: its history starts with that first version.'
            )
          )
        );
        return;
      }
      let main = histories.get(id);
      if (!main || main.isDisposed) {
        const notebookId = id;
        const panel = new HistoryPanel({
          notebookId,
          client,
          trans,
          actions,
          localCopy: () => localCopy(notebookId)
        });
        main = new MainAreaWidget({ content: panel });
        main.id = `notebook-gallery-history-${notebookId}`;
        main.title.icon = galleryIcon;
        main.title.label = trans.__('History');
        panel.title.changed.connect(() => {
          main!.title.label = panel.title.label;
          main!.title.caption = panel.title.caption;
        });
        main.disposed.connect(() => histories.delete(notebookId));
        histories.set(notebookId, main);
      }
      show(main);
      await main.content.refresh();
    }
  });

  commands.addCommand(CommandIDs.proposeChanges, {
    label: trans.__('Propose Changes to Gallery…'),
    caption: trans.__('Send your edited copy to the owner of a gallery notebook you cannot edit, for review'),
    isEnabled: () => client.isLoggedIn && tracker.currentWidget !== null,
    execute: () => propose(null)
  });

  commands.addCommand(CommandIDs.openChangeRequest, {
    label: trans.__('Open Change Request'),
    caption: trans.__('Show a change request with its changes, to accept, decline or withdraw it'),
    describedBy: Private.args({
      id: trans.__('Gallery notebook id'),
      requestId: trans.__('Change request id')
    }),
    isVisible: args => typeof args.id === 'string' && typeof args.requestId === 'string',
    execute: async args => {
      const id = typeof args.id === 'string' ? args.id : '';
      const requestId = typeof args.requestId === 'string' ? args.requestId : '';
      if (!id || !requestId) {
        return;
      }
      const key = `${id}/${requestId}`;
      let main = reviews.get(key);
      if (!main || main.isDisposed) {
        const view = new ChangeRequestView({ client, trans, notebookId: id, requestId });
        main = new MainAreaWidget({ content: view });
        main.id = `notebook-gallery-change-request-${id}-${requestId}`;
        main.title.icon = galleryIcon;
        main.title.label = trans.__('Change request');
        view.title.changed.connect(() => {
          main!.title.label = view.title.label;
          main!.title.caption = view.title.caption;
        });
        view.decided.connect(() => {
          void options.changeRequests.refresh();
          void model.refresh();
          void histories.get(id)?.content.refresh();
        });
        main.disposed.connect(() => reviews.delete(key));
        reviews.set(key, main);
      }
      show(main);
      await main.content.refresh();
    }
  });

  client.authChanged.connect(() => {
    commands.notifyCommandChanged(CommandIDs.history);
    commands.notifyCommandChanged(CommandIDs.proposeChanges);
  });
  tracker.currentChanged.connect(() => {
    commands.notifyCommandChanged(CommandIDs.history);
    commands.notifyCommandChanged(CommandIDs.proposeChanges);
  });
}

namespace Private {
  /** The message and "Not a secret" marks of each file whose proposal was left to fix a secret, for this page's lifetime. */
  export const drafts: SaveDrafts = new Map();

  /** The notebook panels the tracker follows. */
  export function panels(tracker: INotebookTracker): NotebookPanel[] {
    const found: NotebookPanel[] = [];
    tracker.forEach(panel => found.push(panel));
    return found;
  }

  /** A command's string arguments, described for the palette and other extensions. */
  export function args(descriptions: Record<string, string>) {
    const properties: Record<string, { type: 'string'; description: string }> = {};
    for (const [name, description] of Object.entries(descriptions)) {
      properties[name] = { type: 'string', description };
    }
    return { args: { type: 'object' as const, properties } };
  }

  /** Hand `text` to the browser as a file download named `name`. */
  export function saveFile(name: string, text: string): void {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ipynb+json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    // The browser has taken the file by the next task.
    window.setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
