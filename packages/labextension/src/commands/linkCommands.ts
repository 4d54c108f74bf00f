import type { IRouter, JupyterFrontEnd } from '@jupyterlab/application';
import { Clipboard, Notification } from '@jupyterlab/apputils';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { askConflictChoices } from '../dialogs/conflictDialog';
import { showLinkSummary, type LinkSummaryRow } from '../dialogs/linkSummary';
import { isNotebookGone, notebookGoneText } from '../galleryError';
import type { CopyRegistry } from '../services/copyRegistry';
import {
  GALLERY_LINK_PATTERN,
  TAG_LINK_LIMIT,
  notebookPageUrl,
  parseGalleryLink,
  withoutGalleryLink,
  type GalleryLinkRequest,
  type ILinkedCopy
} from '../services/galleryLink';
import type { HubConnection } from '../services/hubConnection';
import { CommandIDs, type IGalleryClient, type IGalleryModel, type IGallerySettings } from '../tokens';
import { errorReport, type IGallerySidebarHandle } from './errorReport';
import { notebookGone } from './goneNotebook';
import { takeLinkedCopy, type ILinkedCopyOptions } from './linkedCopy';

/** What the link commands need from the app. */
export interface ILinkCommandsOptions {
  app: JupyterFrontEnd;
  /** JupyterLab's router, which hands `?gallery=…` and `?gallery-tag=…` to `gallery:open-link`; null without one. */
  router: IRouter | null;
  client: IGalleryClient;
  model: IGalleryModel;
  hubConnection: HubConnection;
  settings: IGallerySettings;
  tracker: INotebookTracker;
  docManager: IDocumentManager;
  registry: CopyRegistry;
  sidebar: IGallerySidebarHandle;
  trans: TranslationBundle;
}

/**
 * Links between the gallery's web pages and JupyterLab. *Copy Link* and *Open in Browser* give a notebook's page,
 * `<server URL>/n/<id>`. The page's *Open in JupyterLab* comes back as `<JupyterLab>/lab?gallery=<id>&revision=<rev>`
 * (in a hub through `/hub/user-redirect/`), and an instructor's link for a set of notebooks as
 * `?gallery-tag=<tag>`: the router hands either to `gallery:open-link`, which makes the reader's copy or brings the
 * copy they have up to date, once the gallery login is ready.
 */
export function addLinkCommands(options: ILinkCommandsOptions): void {
  const { app, router, client, model, hubConnection, settings, tracker, docManager, registry, sidebar, trans } =
    options;
  const { commands } = app;
  const { revealSidebar, revealLogin, report } = errorReport(app, client, sidebar, trans);
  const gone = notebookGone({ client, model, registry, docManager, trans });
  /** Links taken in this page, so a second routing of the same address (JupyterLab re-routes after `?reset`) is ignored. */
  const taken = new Set<string>();

  const linkedCopyOptions = (ask: boolean): ILinkedCopyOptions => ({
    client,
    contents: app.serviceManager.contents,
    registry,
    folder: settings.folder,
    trans,
    openPanel: path => tracker.find((panel: NotebookPanel) => panel.context.path === path) ?? null,
    resolveConflicts: ask ? (conflicts, context) => askConflictChoices(trans, conflicts, context) : null
  });

  commands.addCommand(CommandIDs.copyLink, {
    label: trans.__('Copy Link'),
    caption: trans.__('Copy the link to this notebook’s page in the gallery, to paste into a chat or a course page'),
    describedBy: Private.idArgument(trans.__('Gallery notebook id')),
    isVisible: args => typeof args.id === 'string',
    execute: async args => {
      if (typeof args.id !== 'string' || !args.id) {
        return;
      }
      const url = notebookPageUrl(client.serverUrl, args.id);
      await Private.copyText(url);
      Notification.success(trans.__('Link copied: %1', url), { autoClose: 4000 });
    }
  });

  commands.addCommand(CommandIDs.openInBrowser, {
    label: trans.__('Open in Browser'),
    caption: trans.__('Open this notebook’s page in the gallery in a new browser tab'),
    describedBy: Private.idArgument(trans.__('Gallery notebook id')),
    isVisible: args => typeof args.id === 'string',
    execute: args => {
      if (typeof args.id === 'string' && args.id) {
        window.open(notebookPageUrl(client.serverUrl, args.id), '_blank', 'noopener');
      }
    }
  });

  commands.addCommand(CommandIDs.openLink, {
    label: trans.__('Open Gallery Link'),
    caption: trans.__('Open your copy of the gallery notebooks a link names'),
    describedBy: {
      args: {
        type: 'object' as const,
        properties: {
          search: {
            type: 'string' as const,
            description: trans.__('The query of the link: ?gallery=<id>&revision=<revision> or ?gallery-tag=<tag>')
          }
        }
      }
    },
    // Run by the router with the page's location; there is nothing to offer in the palette.
    isVisible: args => typeof args.search === 'string',
    execute: args => {
      const search = typeof args.search === 'string' ? args.search : '';
      const request = parseGalleryLink(search);
      // Taken once: a reload of the page must not take the link again.
      window.history.replaceState(window.history.state, '', withoutGalleryLink(window.location.href));
      if (request === null || taken.has(search)) {
        return;
      }
      taken.add(search);
      // Not awaited: the router runs its commands one after another and must not wait for a login.
      void takeLink(request);
    }
  });
  router?.register({ command: CommandIDs.openLink, pattern: GALLERY_LINK_PATTERN });

  /** Once the layout is back and the gallery login ready, take the link. */
  const takeLink = async (request: GalleryLinkRequest): Promise<void> => {
    await app.restored;
    await whenLoggedIn();
    if (request.kind === 'notebook') {
      await openNotebookLink(request.id, request.revision);
    } else {
      await openTagLink(request.tag);
    }
  };

  /**
   * Resolves once the client is logged in. Standalone, the sidebar's login form opens and says why; in a hub the
   * login is automatic, and when it fails the sidebar says why with *Try again*, the notification what was asked.
   */
  const whenLoggedIn = async (): Promise<void> => {
    if (!client.auth.canLogIn) {
      await Private.settled(hubConnection);
    }
    if (client.isLoggedIn) {
      return;
    }
    if (client.auth.canLogIn) {
      revealLogin(trans.__('Log in to open the notebook from your link. It opens as soon as you are logged in.'));
    } else {
      // The sidebar's hub status says why, in full, with Try again; a toast holds one short sentence.
      revealSidebar();
      sidebar.showLogin(null);
      Notification.warning(
        hubConnection.status === 'unreachable'
          ? trans.__('The gallery cannot be reached through JupyterHub. Your link’s notebook opens once it answers.')
          : trans.__('The gallery did not accept your JupyterHub login (see the Gallery sidebar). Your link waits.'),
        { autoClose: false }
      );
    }
    await Private.loggedIn(client);
  };

  /** Open the reader's copy of notebook `id`, made or brought up to date, and say what happened. */
  const openNotebookLink = async (id: string, revision: string | null): Promise<void> => {
    let copy: ILinkedCopy;
    try {
      copy = await takeLinkedCopy(id, linkedCopyOptions(true));
    } catch (error) {
      if (isNotebookGone(error)) {
        await gone(id);
      } else {
        report(trans.__('Could not open the notebook from your link'), error);
      }
      return;
    }
    docManager.openOrReveal(copy.path);
    // Counts toward the notebook's opens, as the sidebar's Open does; a failure there must not spoil the open.
    client.recordActivity(id, 'open').catch(() => undefined);
    const older =
      revision !== null && revision !== copy.revision ? await Private.versionOf(client, id, revision) : null;
    // One short message: JupyterLab's toasts cut what is longer than 140 characters.
    const messages = [Private.linkedMessage(trans, copy)];
    if (older !== null) {
      messages.push(
        older > 0
          ? trans.__('The link named version %1.', older)
          : trans.__('The link named a version this notebook does not have.')
      );
    }
    const notify = copy.kind === 'conflicted' ? Notification.warning : Notification.success;
    notify(messages.join(' '), { autoClose: copy.kind === 'conflicted' ? false : 8000 });
  };

  /** Copy or update every notebook tagged `tag` (at most `TAG_LINK_LIMIT`), then show one summary. */
  const openTagLink = async (tag: string): Promise<void> => {
    let items;
    let more: boolean;
    try {
      const page = await client.listNotebooks({ tag, limit: TAG_LINK_LIMIT + 1 });
      items = page.items.slice(0, TAG_LINK_LIMIT);
      more = page.items.length > TAG_LINK_LIMIT || page.nextCursor !== null;
    } catch (error) {
      report(trans.__('Could not open the notebooks tagged “%1”', tag), error);
      return;
    }
    const rows: LinkSummaryRow[] = [];
    // One at a time: each may write a file and ask the gallery three times; a course's week is a handful.
    for (const item of items) {
      try {
        rows.push({ title: item.title, copy: await takeLinkedCopy(item.id, linkedCopyOptions(false)) });
      } catch (error) {
        rows.push({
          title: item.title,
          failure: isNotebookGone(error) ? notebookGoneText(trans) : Private.message(error)
        });
      }
    }
    await showLinkSummary({
      tag,
      rows,
      more,
      limit: TAG_LINK_LIMIT,
      trans,
      open: path => docManager.openOrReveal(path)
    });
  };
}

namespace Private {
  /** The `{id}` argument of the commands that act on one gallery notebook. */
  export function idArgument(description: string) {
    return { args: { type: 'object' as const, properties: { id: { type: 'string' as const, description } } } };
  }

  /** Put `text` on the clipboard: the asynchronous Clipboard API where the page may use it, else JupyterLab's copy. */
  export async function copyText(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Not a secure context (a hub served over plain http) or no permission: the copy event still works.
      Clipboard.copyToSystem(text);
    }
  }

  /** Resolves once the hub login is no longer being attempted (connected, or failed with a reason). */
  export function settled(connection: HubConnection): Promise<void> {
    const busy = (): boolean => connection.status === 'connecting' || connection.status === 'inactive';
    return new Promise(resolve => {
      if (!busy()) {
        resolve();
        return;
      }
      const check = (): void => {
        if (!busy()) {
          connection.stateChanged.disconnect(check);
          resolve();
        }
      };
      connection.stateChanged.connect(check);
    });
  }

  /** Resolves once `client` is logged in. */
  export function loggedIn(client: IGalleryClient): Promise<void> {
    return new Promise(resolve => {
      const check = (): void => {
        if (client.isLoggedIn) {
          client.authChanged.disconnect(check);
          resolve();
        }
      };
      client.authChanged.connect(check);
      check();
    });
  }

  /** The number of revision `revision` of notebook `id`; 0 when it has no such revision, null when unknown. */
  export async function versionOf(client: IGalleryClient, id: string, revision: string): Promise<number | null> {
    try {
      const revisions = await client.listRevisions(id);
      return revisions.find(item => item.revision === revision)?.number ?? 0;
    } catch {
      return null;
    }
  }

  /** What a notebook link did, in one sentence. */
  export function linkedMessage(trans: TranslationBundle, copy: ILinkedCopy): string {
    switch (copy.kind) {
      case 'created':
        return trans.__('Opened your new copy of “%1” (version %2) at %3.', copy.title, copy.revisionNumber, copy.path);
      case 'current':
        return trans.__('Opened your copy of “%1”; it has the latest version (%2).', copy.title, copy.revisionNumber);
      case 'updated':
        return trans.__('Opened your copy of “%1”, updated to version %2.', copy.title, copy.revisionNumber);
      case 'merged':
        return trans.__(
          'Opened your copy of “%1” with version %2 merged in; your edits are kept.',
          copy.title,
          copy.revisionNumber
        );
      case 'conflicted':
        return trans.__(
          'Opened your copy of “%1” unchanged: Update available settles its conflicts with version %2.',
          copy.title,
          copy.revisionNumber
        );
    }
  }

  export function message(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
  }
}
