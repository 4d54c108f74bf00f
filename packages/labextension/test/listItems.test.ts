/**
 * The sidebar's list items (issue 13): who can see a notebook says whom its owner shared it with, and each item's
 * actions are in a context menu (JupyterLab's menu, the gallery's commands) that the mouse, the ContextMenu key and
 * Shift+F10 open, as well as on the item's hover toolbar.
 */
import type { INotebookListItem } from '@notebook-gallery/core';
import { CommandRegistry } from '@lumino/commands';
import { MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { GalleryModel } from '../src/services/galleryModel';
import { CommandIDs } from '../src/tokens';
import { GalleryBrowser } from '../src/widgets/galleryBrowser';
import { FakeGallery, clientFor, listed, settle, summary, trans } from './helpers';

/** A browser listing `items`, with every gallery command the menu offers recorded in `executed`. */
async function browserWith(items: INotebookListItem[]) {
  const gallery = new FakeGallery()
    .on('GET', '/api/notebooks', { status: 200, body: { items, nextCursor: null } })
    .on('GET', '/api/notebooks/facets', { status: 200, body: { tags: [], owners: [], languages: [] } });
  const { client } = clientFor(gallery);
  const model = new GalleryModel(client);
  const commands = new CommandRegistry();
  const executed: Array<[string, unknown]> = [];
  const labels: Record<string, string> = {
    [CommandIDs.open]: 'Open a Copy',
    [CommandIDs.preview]: 'Preview',
    [CommandIDs.share]: 'Share…',
    [CommandIDs.history]: 'Gallery History',
    [CommandIDs.update]: 'Update from Gallery',
    [CommandIDs.delete]: 'Delete from gallery…',
    [CommandIDs.copyLink]: 'Copy Link',
    [CommandIDs.openInBrowser]: 'Open in Browser'
  };
  for (const [id, label] of Object.entries(labels)) {
    commands.addCommand(id, { label, execute: args => void executed.push([id, args]) });
  }
  const browser = new GalleryBrowser({ model, commands, trans, searchDelay: 10_000 });
  Widget.attach(browser, document.body);
  const answered = listed(model);
  void model.refresh();
  await answered;
  const rows = () => Array.from(browser.node.querySelectorAll<HTMLElement>('.jp-NotebookGallery-listItem'));
  return { browser, executed, rows };
}

/** The open gallery item menu's labels, in order, once it has rendered. */
function menuLabels(): string[] {
  MessageLoop.flush();
  const menu = document.querySelector('.jp-NotebookGallery-itemMenu');
  return Array.from(menu?.querySelectorAll('.lm-Menu-item') ?? []).map(item =>
    item.classList.contains('lm-Menu-item') && item.getAttribute('data-type') === 'separator'
      ? '—'
      : (item.querySelector('.lm-Menu-itemLabel')?.textContent ?? '')
  );
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('who can see a notebook, in its item', () => {
  it('says whom the owner shared a private notebook with, not just Private', async () => {
    const { rows } = await browserWith([
      summary({ id: 'n1', title: 'Optics', sharedWith: [{ kind: 'group', name: 'physics', role: 'reader' }] }),
      summary({
        id: 'n2',
        title: 'Lenses',
        visibility: 'public',
        sharedWith: [
          { kind: 'user', name: 'dave', role: 'editor' },
          { kind: 'user', name: 'erin', role: 'reader' },
          { kind: 'user', name: 'finn', role: 'reader' },
          { kind: 'group', name: 'physics', role: 'reader' }
        ]
      }),
      summary({ id: 'n3', title: 'Alone', sharedWith: [] })
    ]);
    const badges = rows().map(row => row.querySelector<HTMLElement>('.jp-NotebookGallery-badge')!);
    expect(badges.map(badge => badge.textContent)).toEqual([
      'Private · shared with physics',
      'Public · shared with 3 people and physics',
      'Private'
    ]);
    // Every share is named in the tooltip and for screen readers.
    expect(badges[1].title).toBe('Public · shared with dave (can edit), erin, finn, group physics');
    const open = rows()[0].querySelector('.jp-NotebookGallery-item')!;
    expect(open.getAttribute('aria-label')).toContain('Private · shared with group physics');
  });

  it('says "Shared with you" to a reader, who is never told the other shares', async () => {
    const { rows } = await browserWith([summary({ id: 'n1', owner: 'alice', canManage: false, canEdit: false })]);
    expect(rows()[0].querySelector('.jp-NotebookGallery-badge')?.textContent).toBe('Shared with you');
  });
});

describe('an item, kept compact', () => {
  it('keeps the title, who can see it and the owner in the open button, and the actions beside it', async () => {
    const { rows } = await browserWith([
      summary({ id: 'n1', title: 'Optics', description: 'Light through lenses', tags: ['physics'] })
    ]);
    const row = rows()[0];
    const open = row.querySelector<HTMLButtonElement>('.jp-NotebookGallery-item')!;
    expect(open.querySelector('.jp-NotebookGallery-itemTitle')?.textContent).toBe('Optics');
    expect(open.querySelector('.jp-NotebookGallery-itemMeta')?.textContent).toMatch(/^Privatealice · /);
    // No tag chips and no description line: they are in the tooltip and the accessible name and description.
    expect(open.querySelector('.jp-NotebookGallery-itemTags')).toBeNull();
    expect(open.querySelector<HTMLElement>('.jp-NotebookGallery-itemDescription')?.hidden).toBe(true);
    expect(open.title).toBe('Open a copy of “Optics”\nLight through lenses\nTags: physics');
    expect(open.getAttribute('aria-label')).toContain('tags: physics');
    const actions = Array.from(row.querySelectorAll<HTMLButtonElement>('.jp-NotebookGallery-itemActions button'));
    expect(actions.map(button => button.getAttribute('aria-label'))).toEqual([
      'Preview Optics',
      'Share Optics',
      'History of Optics',
      'More actions for Optics'
    ]);
    // Reachable with Tab: none of them is taken out of the tab order.
    expect(actions.every(button => button.tabIndex === 0)).toBe(true);
  });
});

describe('the context menu of an item', () => {
  it('opens on right click with the gallery commands for that notebook, and runs the one chosen', async () => {
    const { rows, executed } = await browserWith([summary({ id: 'n1', title: 'Optics', canManage: true })]);
    const open = rows()[0].querySelector<HTMLElement>('.jp-NotebookGallery-item')!;
    const event = new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: 20, clientY: 30 });
    open.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
    expect(menuLabels()).toEqual([
      'Open a Copy',
      'Preview',
      'Share…',
      'Gallery History',
      '—',
      'Copy Link',
      'Open in Browser',
      '—',
      'Delete from gallery…'
    ]);

    // Up from nothing active reaches the last item, Delete; Enter runs it.
    const menu = document.querySelector<HTMLElement>('.jp-NotebookGallery-itemMenu')!;
    menu.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', keyCode: 38, bubbles: true }));
    menu.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 13, bubbles: true }));
    await settle();
    expect(executed).toEqual([[CommandIDs.delete, { id: 'n1' }]]);
    expect(document.querySelector('.jp-NotebookGallery-itemMenu')).toBeNull();
  });

  it('leaves out Share and Delete for a notebook the user may only read', async () => {
    const { rows } = await browserWith([summary({ id: 'n1', canManage: false, canEdit: false })]);
    rows()[0].dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true }));
    expect(menuLabels()).toEqual(['Open a Copy', 'Preview', 'Gallery History', '—', 'Copy Link', 'Open in Browser']);
  });

  it.each([
    ['the ContextMenu key', { key: 'ContextMenu' }],
    ['Shift+F10', { key: 'F10', shiftKey: true }]
  ])('opens from the keyboard with %s, walks with the arrows, and gives the focus back', async (_name, keys) => {
    const { rows, executed } = await browserWith([summary({ id: 'n1', title: 'Optics' })]);
    const open = rows()[0].querySelector<HTMLButtonElement>('.jp-NotebookGallery-item')!;
    open.focus();
    const key = new KeyboardEvent('keydown', { ...keys, bubbles: true, cancelable: true });
    open.dispatchEvent(key);
    expect(key.defaultPrevented).toBe(true);
    const menu = document.querySelector<HTMLElement>('.jp-NotebookGallery-itemMenu')!;
    expect(menu).not.toBeNull();
    MessageLoop.flush();
    // The first item is active, so Enter or the arrows act at once.
    expect(menu.querySelector('.lm-Menu-item.lm-mod-active .lm-Menu-itemLabel')?.textContent).toBe('Open a Copy');
    menu.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', keyCode: 40, bubbles: true }));
    MessageLoop.flush();
    expect(menu.querySelector('.lm-Menu-item.lm-mod-active .lm-Menu-itemLabel')?.textContent).toBe('Preview');
    menu.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 13, bubbles: true }));
    await settle();
    expect(executed).toEqual([[CommandIDs.preview, { id: 'n1' }]]);
    expect(document.activeElement).toBe(open);
  });

  it('opens from the … button of the hover toolbar', async () => {
    const { rows } = await browserWith([summary({ id: 'n1', title: 'Optics' })]);
    rows()[0].querySelector<HTMLButtonElement>('.jp-NotebookGallery-more')!.click();
    expect(menuLabels()[0]).toBe('Open a Copy');
  });
});
