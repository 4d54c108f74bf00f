/**
 * Links between the gallery's pages and JupyterLab (issue 14), through the commands as the router and the menus run
 * them: `?gallery=…` opens the reader's copy once (and only once per page), after logging in when needed; a tag link
 * ends with one summary; a gone notebook says so in words; Copy Link and Open in Browser give `<server>/n/<id>`.
 */
import { ErrorCode, type INotebook } from '@notebook-gallery/core';
import type { IRouter, JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import type { INotebookTracker } from '@jupyterlab/notebook';
import { CommandRegistry } from '@lumino/commands';
import { addLinkCommands } from '../src/commands/linkCommands';
import { HubTokenAuth } from '../src/services/auth/hubTokenAuth';
import { GalleryClient } from '../src/services/client';
import { CopyRegistry } from '../src/services/copyRegistry';
import { HubConnection } from '../src/services/hubConnection';
import { CommandIDs, type IGalleryModel, type IGallerySettings } from '../src/tokens';
import { FakeContents } from './fakeContents';
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

const WEEK: Record<string, INotebook> = {
  'nb-1': storedNotebook('load()', 'plot()'),
  'nb-2': storedNotebook('fit()')
};
const TITLES: Record<string, string> = { 'nb-1': 'Week 3: data', 'nb-2': 'Week 3: models' };

function harness(options: { loggedIn?: boolean; hub?: { up: boolean } } = {}) {
  const gallery = new FakeGallery()
    .on('GET', '/api/notebooks', request => ({
      status: 200,
      body: {
        items:
          new URL(request.url).searchParams.get('tag') === 'week-3'
            ? ['nb-1', 'nb-2'].map(id => summary({ id, title: TITLES[id], revision: REV2, revisionNumber: 2 }))
            : [],
        nextCursor: null
      }
    }))
    .on('GET', '/api/notebooks/nb-1/revisions', {
      status: 200,
      body: {
        items: [
          { revision: REV2, number: 2, message: '', author: 'alice', createdAt: '2026-01-02T00:00:00.000Z' },
          { revision: REV1, number: 1, message: '', author: 'alice', createdAt: '2026-01-01T00:00:00.000Z' }
        ]
      }
    })
    .on('GET', '/api/notebooks/gone', {
      status: 404,
      body: { error: ErrorCode.NOTEBOOK_NOT_FOUND, message: 'No notebook with id gone' }
    });
  for (const id of ['nb-1', 'nb-2']) {
    gallery
      .on('GET', `/api/notebooks/${id}`, {
        status: 200,
        body: summary({ id, title: TITLES[id], revision: REV2, revisionNumber: 2 })
      })
      .on('GET', `/api/notebooks/${id}/content`, { status: 200, body: WEEK[id] })
      .on('POST', `/api/notebooks/${id}/activity`, { status: 204 });
  }
  const storage = new MemoryStorage();
  const hub = options.hub;
  if (hub) {
    gallery.on('GET', '/api/auth/me', () =>
      hub.up ? { status: 200, body: { username: 'bob', isAdmin: false } } : 'network-error'
    );
  }
  const client = hub
    ? new GalleryClient({
        serverUrl: SERVER,
        trans,
        fetch: gallery.fetch,
        auth: new HubTokenAuth({ token: 'hub-token' })
      })
    : clientFor(gallery, { loggedIn: options.loggedIn, storage }).client;
  const hubConnection = new HubConnection(client);
  void hubConnection.connect();
  const commands = new CommandRegistry();
  const contents = new FakeContents();
  const routes: IRouter.IRegisterOptions[] = [];
  const opened: string[] = [];
  const logins: Array<string | null> = [];
  const app = {
    commands,
    serviceManager: { contents: contents.manager },
    restored: Promise.resolve(),
    shell: { activateById: () => undefined }
  } as unknown as JupyterFrontEnd;
  addLinkCommands({
    app,
    router: { register: (route: IRouter.IRegisterOptions) => void routes.push(route) } as unknown as IRouter,
    client,
    model: { refresh: async () => undefined } as unknown as IGalleryModel,
    hubConnection,
    settings: { folder: 'gallery' } as IGallerySettings,
    tracker: { find: () => undefined } as unknown as INotebookTracker,
    docManager: { openOrReveal: (path: string) => void opened.push(path) } as unknown as IDocumentManager,
    registry: new CopyRegistry({ scope: '/', storage: new MemoryStorage() }),
    sidebar: {
      id: 'notebook-gallery-sidebar',
      showLogin: notice => void logins.push(notice),
      focusSearch: () => undefined,
      preview: async () => undefined
    },
    trans
  });
  /** Visit `search` as the router does: the address bar holds it, and the command gets it. */
  const visit = async (search: string): Promise<void> => {
    window.history.replaceState(null, '', `/lab${search}`);
    await commands.execute(CommandIDs.openLink, { search, path: '/lab', hash: '', request: `/lab${search}` });
    await settle(50);
  };
  return { gallery, client, hubConnection, commands, contents, routes, opened, logins, visit };
}

/** Resolves once `check` holds (the flows take several gallery requests in turn), failing after 2 s. */
async function until(check: () => unknown): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > 2000) {
      throw new Error('timed out');
    }
    await settle(20);
  }
}

/** Close the dialog shown with its Close button: dialogs queue, and one left open would hold back the next. */
async function closeDialog(): Promise<void> {
  Array.from(document.querySelectorAll<HTMLButtonElement>('.jp-Dialog button'))
    .find(button => button.textContent === 'Close')!
    .click();
  await settle(20);
}

/** The texts of the notifications shown so far. */
const notices = () => Notification.manager.notifications.map(notification => notification.message);

beforeAll(() => {
  // JupyterLab's dialog focuses itself when the browser is idle; jsdom has no idle callbacks.
  (window as any).requestIdleCallback ??= (callback: () => void) => setTimeout(callback, 0);
});

afterEach(() => {
  Notification.dismiss();
  document.body.replaceChildren();
  window.history.replaceState(null, '', '/');
});

describe('a link into JupyterLab', () => {
  it('is routed to gallery:open-link for ?gallery= and ?gallery-tag= only', () => {
    const { routes } = harness();
    expect(routes).toHaveLength(1);
    expect(routes[0].command).toBe(CommandIDs.openLink);
    expect('/lab?gallery=nb-1').toMatch(routes[0].pattern);
    expect('/lab?gallery-tag=week-3').toMatch(routes[0].pattern);
    expect('/lab?reset').not.toMatch(routes[0].pattern);
  });

  it('opens a copy of the notebook, leaves the address without the link, and says the link named an older version', async () => {
    const { contents, opened, visit } = harness();
    await visit(`?gallery=nb-1&revision=${REV1}`);

    expect(window.location.href).toBe('http://localhost/lab');
    expect(opened).toEqual(['gallery/week-3-data.ipynb']);
    expect(contents.notebooksIn('gallery')).toEqual(['week-3-data.ipynb']);
    expect(notices()).toEqual([
      'Opened your new copy of “Week 3: data” (version 2) at gallery/week-3-data.ipynb. The link named version 1.'
    ]);
  });

  it('takes the same address once per page, however often the router runs it', async () => {
    const { opened, visit, contents } = harness();
    await visit('?gallery=nb-1');
    await visit('?gallery=nb-1');
    expect(opened).toEqual(['gallery/week-3-data.ipynb']);
    expect(contents.saved).toEqual(['gallery/week-3-data.ipynb']);
  });

  it('standalone and logged out: shows the login form saying why, and opens the copy once logged in', async () => {
    const { client, opened, logins, visit } = harness({ loggedIn: false });
    await visit('?gallery=nb-1');
    expect(opened).toEqual([]);
    expect(logins).toEqual(['Log in to open the notebook from your link. It opens as soon as you are logged in.']);
    // The address is cleaned at once: a reload while logging in does not take the link a second time.
    expect(window.location.search).toBe('');

    client.auth.keep({
      token: 't',
      tokenId: null,
      expiresAt: null,
      user: { username: 'bob', isAdmin: false } as never
    });
    await settle(50);
    expect(opened).toEqual(['gallery/week-3-data.ipynb']);
  });

  it('in a hub, logs in by itself; with the gallery service down, says so and opens the copy once it answers', async () => {
    const hub = { up: false };
    const { hubConnection, opened, visit } = harness({ hub });
    await visit('?gallery=nb-1');
    expect(hubConnection.status).toBe('unreachable');
    expect(opened).toEqual([]);
    expect(notices()).toEqual([
      'The gallery cannot be reached through JupyterHub. Your link’s notebook opens once it answers.'
    ]);

    // The sidebar's Try again, once the service is back.
    hub.up = true;
    await hubConnection.connect();
    await until(() => opened.length > 0);
    expect(opened).toEqual(['gallery/week-3-data.ipynb']);
  });

  it('says in words that a notebook is gone or not shared, never the server’s id', async () => {
    const { opened, visit } = harness();
    await visit('?gallery=gone');
    await until(() => document.querySelector('.jp-Dialog .jp-Dialog-header')?.textContent);
    const dialog = document.querySelector<HTMLElement>('.jp-Dialog')!;
    expect(dialog.querySelector('.jp-Dialog-header')?.textContent).toBe('Notebook no longer in the gallery');
    expect(dialog.textContent).toContain('it was deleted, or you can no longer read it');
    expect(dialog.textContent).not.toContain('No notebook with id');
    expect(opened).toEqual([]);
    await closeDialog();
  });

  it('with a tag, copies every notebook with it and ends with one summary', async () => {
    const { contents, opened, visit } = harness();
    await visit('?gallery-tag=week-3');
    await until(() => document.querySelector('.jp-Dialog .jp-Dialog-header')?.textContent);

    expect(contents.notebooksIn('gallery').sort()).toEqual(['week-3-data.ipynb', 'week-3-models.ipynb']);
    const dialogs = document.querySelectorAll<HTMLElement>('.jp-Dialog');
    expect(dialogs).toHaveLength(1);
    const summaryNode = dialogs[0].querySelector<HTMLElement>('.jp-NotebookGallery-linkSummary')!;
    expect(dialogs[0].querySelector('.jp-Dialog-header')?.textContent).toBe('Notebooks tagged “week-3”');
    expect(summaryNode.querySelector('.jp-NotebookGallery-linkSummaryCounts')?.textContent).toBe('2 new copies');
    const rows = Array.from(summaryNode.querySelectorAll('li')).map(row => row.textContent);
    expect(rows).toEqual([
      'Week 3: dataNew copy at gallery/week-3-data.ipynb (version 2).Open',
      'Week 3: modelsNew copy at gallery/week-3-models.ipynb (version 2).Open'
    ]);
    // Nothing is opened in a tab unasked; a row's Open opens that copy and closes the summary.
    expect(opened).toEqual([]);
    summaryNode.querySelector<HTMLButtonElement>('[aria-label="Open your copy of Week 3: models"]')!.click();
    await settle(50);
    expect(opened).toEqual(['gallery/week-3-models.ipynb']);
    expect(document.querySelector('.jp-Dialog')).toBeNull();
  });

  it('with a tag nobody shared, says so and what to do', async () => {
    const { visit } = harness();
    await visit('?gallery-tag=week-9');
    await until(() => document.querySelector('.jp-Dialog .jp-Dialog-header')?.textContent);
    expect(document.querySelector('.jp-Dialog')?.textContent).toContain(
      'No notebook you can read has the tag “week-9”.'
    );
    await closeDialog();
  });
});

describe('Copy Link and Open in Browser', () => {
  it('put <server URL>/n/<id> on the clipboard, with a confirmation', async () => {
    const { commands } = harness();
    const written: string[] = [];
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: async (text: string) => void written.push(text) }
    });
    await commands.execute(CommandIDs.copyLink, { id: 'nb-1' });
    expect(written).toEqual([`${SERVER}/n/nb-1`]);
    expect(notices()).toEqual([`Link copied: ${SERVER}/n/nb-1`]);
  });

  it('open the page in a new tab, without giving it this window', async () => {
    const { commands } = harness();
    const open = jest.spyOn(window, 'open').mockReturnValue(null);
    await commands.execute(CommandIDs.openInBrowser, { id: 'nb-1' });
    expect(open).toHaveBeenCalledWith(`${SERVER}/n/nb-1`, '_blank', 'noopener');
    open.mockRestore();
  });

  it('are offered only for a notebook', () => {
    const { commands } = harness();
    expect(commands.isVisible(CommandIDs.copyLink, {})).toBe(false);
    expect(commands.isVisible(CommandIDs.copyLink, { id: 'nb-1' })).toBe(true);
    expect(commands.label(CommandIDs.openInBrowser, { id: 'nb-1' })).toBe('Open in Browser');
  });
});
