import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ServerConnection, type Contents } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { showAccount } from '../dialogs/accountDialog';
import { confirmDelete } from '../dialogs/deleteDialog';
import { shareNotebook } from '../dialogs/shareDialog';
import { updatePrompts } from '../dialogs/updateDialogs';
import type { ConfirmedSecrets } from '../services/confirmedSecrets';
import type { CopyRegistry, IKnownCopy } from '../services/copyRegistry';
import type { CopyUpdates, ILatestRevision } from '../services/copyUpdates';
import { CurrentGalleryNotebook } from '../services/currentGalleryNotebook';
import type { ISavedNotebook } from '../services/saveFlow';
import { CommandIDs, type IGalleryClient, type IGalleryModel, type IGallerySettings } from '../tokens';
import { galleryIcon } from '../widgets/icons';
import { isNotebookGone } from '../galleryError';
import { deleteFromGallery } from './deleteFromGallery';
import { errorReport, type IGallerySidebarHandle } from './errorReport';
import { notebookGone } from './goneNotebook';
import { OneAtATime } from './oneAtATime';
import { openFromGallery } from './openFromGallery';
import { updatePanel, type PanelUpdate } from './updateCopy';
import { saveToGallery } from './saveToGallery';

/** What the gallery commands act on. */
export interface IGalleryCommandsOptions {
  app: JupyterFrontEnd;
  client: IGalleryClient;
  model: IGalleryModel;
  sidebar: IGallerySidebarHandle;
  settings: IGallerySettings;
  tracker: INotebookTracker;
  docManager: IDocumentManager;
  trans: TranslationBundle;
  /** The local copies known and which of them are behind the gallery. */
  registry: CopyRegistry;
  updates: CopyUpdates;
  /** What the user confirmed as not secrets before, by gallery notebook. */
  confirmed?: ConfirmedSecrets;
}

/**
 * Register the gallery commands; their enabled state follows the login, the settings and the
 * current notebook.
 */
export function addCommands(options: IGalleryCommandsOptions): void {
  const { app, client, model, sidebar, settings, tracker, docManager, trans, registry, updates, confirmed } = options;
  const { commands } = app;
  const saving = new OneAtATime();
  const opening = new OneAtATime();
  const sharing = new OneAtATime();
  const deleting = new OneAtATime();
  const updating = new OneAtATime();
  const current = new CurrentGalleryNotebook(tracker, client);

  const { revealSidebar, revealLogin, report } = errorReport(app, client, sidebar, trans);
  const gone = notebookGone({ client, model, registry, docManager, trans });
  /** A command on gallery notebook `id` failed: say that it is gone from the gallery, or report what went wrong. */
  const failed = async (id: string, message: string, error: unknown): Promise<void> => {
    if (isNotebookGone(error)) {
      await gone(id);
    } else {
      report(message, error);
    }
  };

  commands.addCommand(CommandIDs.save, {
    label: trans.__('Save to Gallery'),
    caption: trans.__('Upload this notebook, without its outputs, to the Notebook Gallery'),
    // The icon marks the toolbar button; in menus and the palette the label alone reads better.
    icon: args => (args.toolbar ? galleryIcon : undefined),
    isEnabled: () => tracker.currentWidget !== null,
    execute: async () => {
      const panel = tracker.currentWidget;
      if (!panel) {
        return;
      }
      if (!client.isLoggedIn) {
        revealLogin(trans.__('Log in first, then choose Save to Gallery again.'));
        return;
      }
      await saving.run(panel.context.path, () => save(panel), undefined);
    }
  });

  /** Save `panel` to the gallery and say what became of it. */
  const save = async (panel: NotebookPanel): Promise<void> => {
    try {
      const outcome = await saveToGallery(panel, { client, trans, shell: app.shell, confirmed });
      if (outcome?.kind === 'saved') {
        const { saved } = outcome;
        registry.remember(panel.context.path, { id: saved.id, revision: saved.revision, server: client.serverUrl });
        Notification.success(Private.savedMessage(trans, saved), { autoClose: 5000 });
        void model.refresh();
        current.refresh();
      } else if (outcome?.kind === 'proposed') {
        Notification.success(
          trans.__(
            'Change request sent for “%1”. You will see its status in the Gallery sidebar.',
            outcome.request.notebookTitle
          ),
          { autoClose: 5000 }
        );
        // The sidebar's change requests reload with its list.
        void model.refresh();
      }
    } catch (error) {
      report(trans.__('Could not save to the gallery'), error);
    }
  };

  commands.addCommand(CommandIDs.open, {
    // With an id it acts on one notebook, as in a list item's menu.
    label: args => (typeof args.id === 'string' ? trans.__('Open a Copy') : trans.__('Open from Gallery')),
    caption: trans.__('Find a notebook in the gallery and open a copy of it'),
    describedBy: Private.idArgument(trans.__('Gallery notebook id; without it, the Gallery sidebar opens')),
    execute: async args => {
      const id = typeof args.id === 'string' ? args.id : '';
      if (!id) {
        revealSidebar();
        sidebar.focusSearch();
        return;
      }
      if (!client.isLoggedIn) {
        revealLogin(trans.__('Log in to open notebooks from the gallery.'));
        return;
      }
      await opening.run(id, () => open(id), undefined);
    }
  });

  /** Open a copy of gallery notebook `id`, or the copy the user already has. */
  const open = async (id: string): Promise<void> => {
    try {
      const copy = await openFromGallery(id, {
        client,
        contents: app.serviceManager.contents,
        docManager,
        folder: settings.folder,
        trans
      });
      // Counts toward the notebook's opens and trending score; a failure there must not spoil the open.
      client.recordActivity(id, 'open').catch(() => undefined);
      if (copy.existed) {
        Notification.info(trans.__('Opened your existing copy of “%1” at %2.', copy.title, copy.path), {
          autoClose: 5000
        });
      }
    } catch (error) {
      await failed(id, trans.__('Could not open the notebook'), error);
    }
  };

  commands.addCommand(CommandIDs.share, {
    label: trans.__('Share…'),
    caption: trans.__('Choose who can see this gallery notebook'),
    describedBy: Private.idArgument(
      trans.__('Gallery notebook id; without it, the notebook the current one was opened from')
    ),
    isEnabled: args => client.isLoggedIn && (typeof args.id === 'string' || current.manageableId !== null),
    execute: async args => {
      const id = typeof args.id === 'string' && args.id ? args.id : current.manageableId;
      if (!id) {
        return;
      }
      if (!client.isLoggedIn) {
        revealLogin(trans.__('Log in to share notebooks.'));
        return;
      }
      await sharing.run(id, () => share(id), undefined);
    }
  });

  /** Ask whom gallery notebook `id` is shared with, and save the answer. */
  const share = async (id: string): Promise<void> => {
    try {
      const saved = await shareNotebook(id, { client, trans });
      if (saved) {
        Notification.success(trans.__('Sharing saved.'), { autoClose: 5000 });
        void model.refresh();
      }
    } catch (error) {
      await failed(id, trans.__('Could not share the notebook'), error);
    }
  };

  commands.addCommand(CommandIDs.preview, {
    label: trans.__('Preview'),
    caption: trans.__('Look at a gallery notebook in the sidebar before opening a copy'),
    describedBy: Private.idArgument(trans.__('Gallery notebook id')),
    isVisible: args => typeof args.id === 'string',
    isEnabled: args => client.isLoggedIn && typeof args.id === 'string',
    execute: async args => {
      if (typeof args.id !== 'string' || !args.id) {
        return;
      }
      revealSidebar();
      await sidebar.preview(args.id);
    }
  });

  commands.addCommand(CommandIDs.delete, {
    label: trans.__('Delete from gallery…'),
    caption: trans.__('Delete this notebook and its versions from the gallery (owners and admins)'),
    describedBy: Private.idArgument(
      trans.__('Gallery notebook id; without it, the notebook the current one was opened from')
    ),
    isEnabled: args => client.isLoggedIn && (typeof args.id === 'string' || current.manageableId !== null),
    // Resolves with true once deleted, so the preview can close.
    execute: async args => {
      const id = typeof args.id === 'string' && args.id ? args.id : current.manageableId;
      if (!id) {
        return false;
      }
      if (!client.isLoggedIn) {
        revealLogin(trans.__('Log in to delete notebooks.'));
        return false;
      }
      return deleting.run(id, () => remove(id), false);
    }
  });

  /** Delete gallery notebook `id` once the user confirms; resolves with whether it was deleted. */
  const remove = async (id: string): Promise<boolean> => {
    try {
      const deleted = await deleteFromGallery(id, {
        client,
        confirm: (summary, impact) => confirmDelete(trans, summary, impact)
      });
      if (!deleted) {
        return false;
      }
      Notification.success(trans.__('Deleted “%1” from the gallery.', deleted.title), { autoClose: 5000 });
      void model.refresh();
      current.refresh();
      return true;
    } catch (error) {
      await failed(id, trans.__('Could not delete the notebook'), error);
      return false;
    }
  };

  commands.addCommand(CommandIDs.account, {
    label: trans.__('Account…'),
    caption: trans.__('Change your gallery password, sign out everywhere and manage your access tokens'),
    // Inside JupyterHub the hub owns the password and the login.
    isVisible: () => client.auth.canLogIn,
    isEnabled: () => client.auth.canLogIn && client.isLoggedIn,
    execute: async () => {
      if (!client.auth.canLogIn) {
        return;
      }
      if (!client.isLoggedIn) {
        revealLogin(trans.__('Log in to manage your account.'));
        return;
      }
      const outcome = await showAccount({ client, trans });
      if (outcome === 'signedOutEverywhere') {
        revealLogin(
          trans.__(
            'You signed out everywhere: every JupyterLab and login of yours, this one included, is logged out. Personal access tokens still work. Log in again to use the gallery here.'
          )
        );
      } else if (!client.isLoggedIn) {
        revealLogin(trans.__('You are logged out of the gallery. Log in again to use it.'));
      }
    }
  });

  commands.addCommand(CommandIDs.logout, {
    label: trans.__('Log out of Gallery'),
    caption: trans.__('Forget your login for this gallery server'),
    isVisible: () => client.auth.canLogIn,
    isEnabled: () => client.auth.canLogIn && client.isLoggedIn,
    execute: () => client.logout()
  });

  commands.addCommand(CommandIDs.refresh, {
    label: trans.__('Refresh Gallery'),
    caption: trans.__('Reload the list of gallery notebooks'),
    isEnabled: () => client.isLoggedIn,
    execute: () => model.refresh()
  });

  commands.addCommand(CommandIDs.update, {
    label: args => (args.toolbar ? trans.__('Update available') : trans.__('Update from Gallery')),
    caption: trans.__('Bring this copy up to the gallery’s latest version, keeping your edits'),
    describedBy: Private.idArgument(trans.__('Gallery notebook id; without it, the current notebook')),
    // The toolbar shows it only when the gallery has a newer version of this copy.
    isVisible: args => !args.toolbar || Private.currentUpdate(tracker, updates) !== null,
    isEnabled: args =>
      client.isLoggedIn &&
      (typeof args.id === 'string' ? updates.outdatedCopiesOf(args.id).length > 0 : tracker.currentWidget !== null),
    execute: async args => {
      if (!client.isLoggedIn) {
        revealLogin(trans.__('Log in to update copies from the gallery.'));
        return;
      }
      let panel: NotebookPanel | null;
      try {
        panel = await Private.panelToUpdate(args, {
          tracker,
          docManager,
          updates,
          registry,
          contents: app.serviceManager.contents
        });
      } catch (error) {
        report(trans.__('Could not open the copy to update'), error);
        return;
      }
      if (panel) {
        await updating.run(panel.context.path, () => update(panel), undefined);
      }
    }
  });

  /** Bring `panel`'s copy up to the gallery's latest version, keeping the user's edits. */
  const update = async (panel: NotebookPanel): Promise<void> => {
    try {
      const result = await updatePanel(panel, {
        client,
        trans,
        contents: app.serviceManager.contents,
        registry,
        prompts: updatePrompts(trans)
      });
      if (result) {
        if (result.kind === 'beside') {
          docManager.openOrReveal(result.path);
        }
        Notification.success(Private.updatedMessage(trans, result), { autoClose: 5000 });
      }
    } catch (error) {
      report(trans.__('Could not update the copy'), error);
    }
  };
  updates.changed.connect(() => commands.notifyCommandChanged(CommandIDs.update));
  tracker.currentChanged.connect(() => commands.notifyCommandChanged(CommandIDs.update));

  client.authChanged.connect(() => commands.notifyCommandChanged());
  settings.changed.connect(() => commands.notifyCommandChanged());
  tracker.currentChanged.connect(() => commands.notifyCommandChanged(CommandIDs.save));
  current.changed.connect(() => {
    commands.notifyCommandChanged(CommandIDs.share);
    commands.notifyCommandChanged(CommandIDs.delete);
  });
}

namespace Private {
  /** "Saved …", or what was merged when someone saved meanwhile. */
  export function savedMessage(trans: TranslationBundle, saved: ISavedNotebook): string {
    if (saved.merge?.mergedWith) {
      return trans.__(
        'Saved “%1” (version %2). Merged with changes by %3.',
        saved.title,
        saved.revisionNumber,
        saved.merge.mergedWith.author
      );
    }
    if (saved.merge) {
      return trans.__(
        'Saved “%1” (version %2) with the conflicts settled as you chose.',
        saved.title,
        saved.revisionNumber
      );
    }
    return saved.changed
      ? trans.__('Saved “%1” to the gallery (version %2).', saved.title, saved.revisionNumber)
      : trans.__('“%1” is unchanged since the gallery’s latest version.', saved.title);
  }

  /** What an update did, in one sentence. */
  export function updatedMessage(trans: TranslationBundle, result: PanelUpdate): string {
    switch (result.kind) {
      case 'current':
        return trans.__('This copy already has the gallery’s latest version.');
      case 'edited':
        return trans.__('Your copy of “%1” has edits of yours; nothing was changed.', result.summary.title);
      case 'replaced':
        return trans.__(
          'Updated “%1” to the gallery’s version %2.',
          result.summary.title,
          result.summary.revisionNumber
        );
      case 'merged':
        return trans.__(
          'Merged the gallery’s version %2 of “%1” into your copy; your edits are kept.',
          result.summary.title,
          result.summary.revisionNumber
        );
      case 'beside':
        return trans.__('Your copy is unchanged; version %1 is at %2.', result.summary.revisionNumber, result.path);
    }
  }

  /** The newer revision the current notebook could take, or null. */
  export function currentUpdate(tracker: INotebookTracker, updates: CopyUpdates): ILatestRevision | null {
    const panel = tracker.currentWidget;
    return panel ? updates.updateFor(panel.context.path) : null;
  }

  /**
   * The notebook `gallery:update` acts on: the copy of `args.id` (opened if needed), else the current one. Copies
   * deleted or moved outside JupyterLab are forgotten on the way.
   */
  export async function panelToUpdate(
    args: ReadonlyPartialJSONObject,
    options: {
      tracker: INotebookTracker;
      docManager: IDocumentManager;
      updates: CopyUpdates;
      registry: CopyRegistry;
      contents: Contents.IManager;
    }
  ): Promise<NotebookPanel | null> {
    const { tracker, docManager, updates, registry, contents } = options;
    if (typeof args.id !== 'string' || !args.id) {
      return tracker.currentWidget;
    }
    let copy: IKnownCopy | undefined;
    for (const candidate of updates.outdatedCopiesOf(args.id)) {
      try {
        await contents.get(candidate.path, { content: false });
        copy = candidate;
        break;
      } catch (error) {
        if (!(error instanceof ServerConnection.ResponseError && error.response.status === 404)) {
          throw error;
        }
        registry.forget(candidate.path);
      }
    }
    if (!copy) {
      return null;
    }
    const widget = docManager.openOrReveal(copy.path);
    return tracker.find(candidate => candidate === widget) ?? ((widget as NotebookPanel | undefined) || null);
  }

  /** The `{id}` argument of the commands that act on one gallery notebook. */
  export function idArgument(description: string) {
    return { args: { type: 'object' as const, properties: { id: { type: 'string' as const, description } } } };
  }
}
