import { Widget } from '@lumino/widgets';
import { CommandRegistry } from '@lumino/commands';
import { FOCUS_CHECK_INTERVAL_MS } from '../src/services/copyUpdates';
import { InboxModel } from '../src/services/inboxModel';
import { InboxSection } from '../src/widgets/inboxSection';
import { inboxEvent } from './commentFixtures';
import { FakeGallery, clientFor, settle, trans } from './helpers';

describe('InboxModel', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('knows the unread count, and asks again on focus at most once per interval', async () => {
    let unread = 2;
    const gallery = new FakeGallery().on('GET', '/api/inbox/unread-count', () => ({ status: 200, body: { unread } }));
    const { client } = clientFor(gallery);
    let now = 1_000_000;
    const inbox = new InboxModel(client, { now: () => now });

    await inbox.refreshCount();
    expect(inbox.unread).toBe(2);

    unread = 3;
    now += FOCUS_CHECK_INTERVAL_MS - 1;
    await inbox.refreshOnFocus();
    expect(inbox.unread).toBe(2);
    now += 1;
    await inbox.refreshOnFocus();
    expect(inbox.unread).toBe(3);
    expect(gallery.requests('GET', '/api/inbox/unread-count')).toHaveLength(2);
    inbox.dispose();
  });

  it('asks on its interval only while the page is visible', async () => {
    jest.useFakeTimers();
    const gallery = new FakeGallery().on('GET', '/api/inbox/unread-count', { status: 200, body: { unread: 1 } });
    const { client } = clientFor(gallery);
    let visible = false;
    const inbox = new InboxModel(client, { isVisible: () => visible });
    inbox.checkEvery(60_000);

    jest.advanceTimersByTime(180_000);
    expect(gallery.requests('GET', '/api/inbox/unread-count')).toHaveLength(0);
    visible = true;
    jest.advanceTimersByTime(60_000);
    expect(gallery.requests('GET', '/api/inbox/unread-count')).toHaveLength(1);
    inbox.checkEvery(0);
    jest.advanceTimersByTime(600_000);
    expect(gallery.requests('GET', '/api/inbox/unread-count')).toHaveLength(1);
    inbox.dispose();
  });

  it('leaves the count unknown when the gallery has no inbox', async () => {
    const gallery = new FakeGallery().on('GET', '/api/inbox/unread-count', {
      status: 404,
      body: { error: 'NOT_FOUND', message: 'Route GET:/api/inbox/unread-count not found' }
    });
    const { client } = clientFor(gallery);
    const inbox = new InboxModel(client);
    await inbox.refreshCount();
    expect(inbox.unread).toBeNull();
    inbox.dispose();
  });

  it('marks all as read, then shows the count the server gives', async () => {
    let unread = 2;
    const gallery = new FakeGallery()
      .on('GET', '/api/inbox', { status: 200, body: { items: [inboxEvent('e1'), inboxEvent('e2')], nextCursor: null } })
      .on('GET', '/api/inbox/unread-count', () => ({ status: 200, body: { unread } }))
      .on('POST', '/api/inbox/read', () => {
        unread = 0;
        return { status: 204 };
      });
    const { client } = clientFor(gallery);
    const inbox = new InboxModel(client);
    await inbox.loadEvents();
    expect(inbox.unread).toBe(2);
    expect(inbox.events.map(event => event.read)).toEqual([false, false]);

    await inbox.markAllRead();
    expect(gallery.requests('POST', '/api/inbox/read')[0].body).toEqual({ all: true });
    expect(inbox.events.map(event => event.read)).toEqual([true, true]);
    expect(inbox.unread).toBe(0);
    inbox.dispose();
  });
});

describe('InboxSection', () => {
  it('shows the unread count on its button and the sidebar’s tab, and lists events that open the preview', async () => {
    const gallery = new FakeGallery()
      .on('GET', '/api/inbox', {
        status: 200,
        body: { items: [inboxEvent('e1', { kind: 'mention' }), inboxEvent('e2', { read: true })], nextCursor: null }
      })
      .on('GET', '/api/inbox/unread-count', { status: 200, body: { unread: 1 } })
      .on('POST', '/api/inbox/read', { status: 204 })
      .on('PUT', '/api/notebooks/nb-1/mute', { status: 200, body: { muted: true } });
    const { client } = clientFor(gallery);
    const inbox = new InboxModel(client);
    const commands = new CommandRegistry();
    const previewed: unknown[] = [];
    commands.addCommand('gallery:preview', { execute: args => void previewed.push(args) });
    const ran: string[] = [];
    commands.addCommand('gallery:open', { execute: args => void ran.push(`open ${String(args.id)}`) });
    commands.addCommand('gallery:comments', { execute: () => void ran.push('comments') });
    const sidebar = new Widget();
    sidebar.title.dataset = { id: 'notebook-gallery-sidebar' };
    const section = new InboxSection({ inbox, commands, trans, tab: sidebar.title });
    expect(section.isHidden).toBe(true);

    await inbox.refreshCount();
    expect(section.isHidden).toBe(false);
    const toggle = section.node.querySelector('.jp-NotebookGallery-inboxToggle')!;
    expect(toggle.getAttribute('aria-label')).toBe('Inbox, 1 unread');
    expect(sidebar.title.dataset).toEqual({ id: 'notebook-gallery-sidebar', unread: '1' });
    expect(sidebar.title.caption).toBe('Notebook Gallery (1 unread)');

    await section.reveal();
    const events = [...section.node.querySelectorAll('.jp-NotebookGallery-inboxEvent')];
    expect(events.map(event => event.getAttribute('aria-label'))).toEqual([
      'Unread: bob mentioned you on “Sales forecast”',
      'bob commented on “Sales forecast”'
    ]);
    (events[0] as HTMLElement).click();
    await settle();
    expect(previewed).toEqual([{ id: 'nb-1' }]);
    expect(gallery.requests('POST', '/api/inbox/read')[0].body).toEqual({ ids: ['e1'] });

    section.node
      .querySelector<HTMLButtonElement>('[aria-label="Show the comments in your copy of “Sales forecast”"]')!
      .click();
    await settle();
    expect(ran).toEqual(['open nb-1', 'comments']);

    const mute = section.node.querySelector<HTMLButtonElement>('[aria-label^="Mute “Sales forecast”"]')!;
    mute.click();
    await settle();
    expect(gallery.requests('PUT', '/api/notebooks/nb-1/mute')).toHaveLength(1);
    expect(section.node.querySelector('[aria-label^="Unmute “Sales forecast”"]')).not.toBeNull();
    inbox.dispose();
  });
});
