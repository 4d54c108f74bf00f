import { GALLERY_METADATA_KEY } from '@notebook-gallery/core';
import type { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Widget } from '@lumino/widgets';
import type { InboxModel } from '../services/inboxModel';
import { NotebookComments } from '../services/notebookComments';
import { readProvenance } from '../services/provenance';
import { CommandIDs, type IGalleryClient } from '../tokens';
import { followCommentMarkers } from '../widgets/cellCommentMarkers';
import { CommentsPanel } from '../widgets/commentsPanel';

/** What the comment and inbox commands act on. */
export interface ICommentCommandsOptions {
  app: JupyterFrontEnd;
  client: IGalleryClient;
  tracker: INotebookTracker;
  trans: TranslationBundle;
  rendermime: IRenderMimeRegistry | null;
  restorer: ILayoutRestorer | null;
  inbox: InboxModel;
  /** The Gallery sidebar: its inbox opens from a command, and coming back to it asks for the unread count. */
  sidebar: Widget & { revealInbox(): Promise<void> };
}

/**
 * The comments panel in the right area, the markers on commented cells of gallery copies, and the commands that
 * open them and the inbox. The unread count is asked for on an interval while the page is visible and when the user
 * comes back to the sidebar or the browser tab, at most once every 20 s.
 */
export function addCommentCommands(options: ICommentCommandsOptions): CommentsPanel {
  const { app, client, tracker, trans, inbox, sidebar } = options;
  const { commands } = app;
  const comments = new NotebookComments(client);
  const panel = new CommentsPanel({ client, tracker, comments, trans, rendermime: options.rendermime });
  app.shell.add(panel, 'right', { rank: 650 });
  options.restorer?.add(panel, CommentsPanel.ID);
  followCommentMarkers({ client, tracker, comments, commands, trans });

  const currentGalleryId = (): string | null => {
    const model = tracker.currentWidget?.model;
    const metadata = model ? { [GALLERY_METADATA_KEY]: model.getMetadata(GALLERY_METADATA_KEY) } : null;
    return readProvenance(metadata, client.serverUrl)?.id ?? null;
  };

  commands.addCommand(CommandIDs.comments, {
    label: trans.__('Show Gallery Comments'),
    caption: trans.__('The comments on the current notebook’s cells in the gallery, and a box to write one'),
    execute: args => {
      app.shell.activateById(panel.id);
      const cellId = typeof args.cellId === 'string' ? args.cellId : null;
      if (cellId === null || !panel.showCell(cellId)) {
        panel.focusComposer();
      }
    }
  });

  commands.addCommand(CommandIDs.inbox, {
    label: () =>
      inbox.unread ? trans.__('Open Gallery Inbox (%1 unread)', inbox.unread) : trans.__('Open Gallery Inbox'),
    caption: trans.__('Comments, replies, mentions, change requests and updates that concern you'),
    isEnabled: () => client.isLoggedIn,
    execute: async () => {
      app.shell.activateById(sidebar.id);
      await sidebar.revealInbox();
    }
  });

  commands.addCommand(CommandIDs.markInboxRead, {
    label: trans.__('Mark Gallery Inbox as Read'),
    isEnabled: () => Boolean(inbox.unread),
    execute: () => inbox.markAllRead()
  });

  commands.addCommand(CommandIDs.mute, {
    label: args =>
      args.muted === false ? trans.__('Unmute Notebook in Gallery Inbox') : trans.__('Mute Notebook in Gallery Inbox'),
    caption: trans.__('A muted notebook brings you no more inbox events'),
    isEnabled: args => client.isLoggedIn && (typeof args.id === 'string' || currentGalleryId() !== null),
    execute: args => {
      const id = typeof args.id === 'string' ? args.id : currentGalleryId();
      return id ? inbox.setMuted(id, args.muted !== false) : undefined;
    }
  });

  inbox.changed.connect(() => {
    commands.notifyCommandChanged(CommandIDs.inbox);
    commands.notifyCommandChanged(CommandIDs.markInboxRead);
  });
  const onFocus = (): void => void inbox.refreshOnFocus();
  sidebar.node.addEventListener('focusin', onFocus);
  window.addEventListener('focus', onFocus);
  inbox.checkEvery();
  void inbox.refreshCount();
  return panel;
}
