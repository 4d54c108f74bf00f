/**
 * The Share dialog in jsdom over a scripted gallery (issue 13): alice, in no group, shares with "physics", a group
 * carol is in. The dialog suggests people and groups as she types, a group becomes a group row, and a name that is
 * nobody's says so in the dialog instead of a failed save.
 */
import type { IPrincipalSearchResponse, ISharing } from '@notebook-gallery/core';
import { Widget } from '@lumino/widgets';
import { ShareBody, shareNotebook } from '../src/dialogs/shareDialog';
import { FakeGallery, clientFor, settle, summary, trans, type ISentRequest } from './helpers';

const PRIVATE: ISharing = { visibility: 'private', group: null, shares: [] };

/** The directory the fake server searches: two people and two groups, alice in neither group. */
const USERS = ['alice', 'carol', 'phil'];
const GROUPS = [
  { name: 'physics', memberCount: 2 },
  { name: 'philosophy', memberCount: 0 }
];

/** Answers GET /api/principals as the server does: names starting with the prefix in any case. */
function principals(request: ISentRequest): { status: number; body: IPrincipalSearchResponse } {
  const prefix = (new URL(request.url).searchParams.get('prefix') ?? '').toLowerCase();
  const starts = (name: string) => name.toLowerCase().startsWith(prefix);
  return {
    status: 200,
    body: {
      users: USERS.filter(starts).map(username => ({ username })),
      groups: GROUPS.filter(group => starts(group.name))
    }
  };
}

function galleryWithDirectory(): FakeGallery {
  return new FakeGallery()
    .on('GET', '/api/notebooks/nb-1', { status: 200, body: summary() })
    .on('GET', '/api/notebooks/nb-1/sharing', { status: 200, body: PRIVATE })
    .on('GET', '/api/groups', { status: 200, body: { items: [] } })
    .on('GET', '/api/principals', principals)
    .on('PUT', '/api/notebooks/nb-1/sharing', request => ({ status: 200, body: request.body }));
}

/** A keydown on `target` as a browser sends it: through the document's capture phase, where the dialog listens. */
function key(target: HTMLElement, name: string): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));
}

/** Type `text` into the "Share with" box and wait for its suggestions, asked for after `delay` ms of no typing. */
async function type(input: HTMLInputElement, text: string, delay = 0): Promise<void> {
  input.focus();
  input.value = text;
  input.dispatchEvent(new Event('input'));
  await settle(delay + 20);
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('the share body', () => {
  function attachBody(gallery = galleryWithDirectory()) {
    const { client } = clientFor(gallery);
    const body = new ShareBody({
      client,
      trans,
      draft: { sharing: PRIVATE, typed: null },
      groups: [],
      problem: null,
      suggestionDelay: 0
    });
    Widget.attach(body, document.body);
    const input = body.node.querySelector<HTMLInputElement>('input[role="combobox"]')!;
    const listbox = document.getElementById(input.getAttribute('aria-controls')!)!;
    const options = () => Array.from(listbox.querySelectorAll<HTMLElement>('[role="option"]'));
    const rows = () =>
      Array.from(body.node.querySelectorAll('.jp-NotebookGallery-shareRow')).map(row =>
        Array.from(row.querySelectorAll('.jp-NotebookGallery-shareName, .jp-NotebookGallery-shareKind')).map(
          part => part.textContent
        )
      );
    return { gallery, body, input, listbox, options, rows };
  }

  it('suggests people and groups as you type, saying which is which, groups you are not in included', async () => {
    const { gallery, input, listbox, options } = attachBody();
    expect(input.getAttribute('aria-expanded')).toBe('false');
    await type(input, 'Ph');
    expect(gallery.requests('GET', '/api/principals').map(request => request.url)).toEqual([
      'http://127.0.0.1:8765/api/principals?prefix=Ph&limit=6'
    ]);
    expect(listbox.getAttribute('role')).toBe('listbox');
    expect(listbox.getAttribute('aria-label')).toBe('People and groups');
    expect(listbox.hidden).toBe(false);
    expect(input.getAttribute('aria-expanded')).toBe('true');
    expect(options().map(option => option.getAttribute('aria-label'))).toEqual([
      'phil, person',
      'philosophy, group',
      'physics, group, 2 members'
    ]);
  });

  it('shows the suggestions again when the focus comes back to a box that lost it while they were looked up', async () => {
    const { body, input, options } = attachBody();
    input.focus();
    input.value = 'ph';
    input.dispatchEvent(new Event('input'));
    // The dialog places its first focus (the visibility) just after the user started typing.
    body.node.querySelector('select')!.focus();
    await settle(20);
    expect(options()).toEqual([]);
    input.focus();
    await settle(20);
    expect(input.getAttribute('aria-expanded')).toBe('true');
    expect(options().map(option => option.getAttribute('aria-label'))).toEqual([
      'phil, person',
      'philosophy, group',
      'physics, group, 2 members'
    ]);
  });

  it('puts the name equal to what was typed first', async () => {
    const { input, options } = attachBody();
    await type(input, 'physics');
    expect(options().map(option => option.getAttribute('aria-label'))).toEqual(['physics, group, 2 members']);
    await type(input, 'phil');
    expect(options().map(option => option.getAttribute('aria-label'))).toEqual(['phil, person', 'philosophy, group']);
  });

  it('adds a group row when a group is chosen with the arrows and Enter', async () => {
    const { body, input, options, rows } = attachBody();
    await type(input, 'ph');
    key(input, 'ArrowDown');
    key(input, 'ArrowDown');
    key(input, 'ArrowDown');
    expect(input.getAttribute('aria-activedescendant')).toBe(options()[2].id);
    expect(options()[2].getAttribute('aria-selected')).toBe('true');
    key(input, 'Enter');
    expect(rows()).toEqual([['physics', 'group']]);
    expect(input.value).toBe('');
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect(body.node.querySelector('[role="status"]')?.textContent).toBe(
      'Added group physics as Reader. Choose Save sharing to apply.'
    );
    expect(body.getValue()).toEqual({
      sharing: { ...PRIVATE, shares: [{ kind: 'group', name: 'physics', role: 'reader' }] },
      typed: null
    });
  });

  it('adds a person chosen with the mouse, as the role chosen', async () => {
    const { body, input, options, rows } = attachBody();
    body.node.querySelector<HTMLSelectElement>('select[id$="-role"]')!.value = 'editor';
    await type(input, 'ca');
    options()[0].click();
    expect(rows()).toEqual([['carol', 'person']]);
    expect(body.getValue().sharing.shares).toEqual([{ kind: 'user', name: 'carol', role: 'editor' }]);
  });

  it('makes a typed group name a group row, in the spelling the gallery has', async () => {
    const { body, input, rows } = attachBody();
    await type(input, 'Physics');
    key(input, 'Escape');
    body.node.querySelector<HTMLButtonElement>('.jp-NotebookGallery-add')!.click();
    await settle(20);
    expect(rows()).toEqual([['physics', 'group']]);
    expect(body.getValue().sharing.shares).toEqual([{ kind: 'group', name: 'physics', role: 'reader' }]);
  });

  it('says in the dialog that a typed name is no user or group, and keeps it to correct', async () => {
    const { body, input, rows } = attachBody();
    await type(input, 'physicz');
    expect(input.getAttribute('aria-expanded')).toBe('false');
    key(input, 'Enter');
    await settle(20);
    expect(rows()).toEqual([]);
    expect(body.node.querySelector('[role="alert"]')?.textContent).toBe(
      'No user or group called “physicz”. Check the spelling, or type the start of the name and choose from the suggestions.'
    );
    expect(input.value).toBe('physicz');
  });
});

describe('shareNotebook', () => {
  beforeAll(() => {
    // JupyterLab's Dialog focuses its first field when the browser is idle; jsdom has no idle callbacks.
    window.requestIdleCallback ??= callback =>
      window.setTimeout(() => callback({ didTimeout: false, timeRemaining: () => 50 }), 0);
  });

  /** Open the dialog for nb-1 as alice; returns its parts and the promise of what it saves. */
  async function openDialog(gallery = galleryWithDirectory()) {
    const { client } = clientFor(gallery);
    const saved = shareNotebook('nb-1', { client, trans });
    await settle(20);
    const dialog = () => document.body.querySelector<HTMLElement>('.jp-Dialog');
    const input = () => dialog()!.querySelector<HTMLInputElement>('input[role="combobox"]')!;
    const button = (label: string) =>
      Array.from(dialog()!.querySelectorAll<HTMLButtonElement>('button')).find(
        node => node.textContent?.trim() === label
      )!;
    return { gallery, saved, dialog, input, button };
  }

  const puts = (gallery: FakeGallery) => gallery.requests('PUT', '/api/notebooks/nb-1/sharing').map(r => r.body);

  it('saves a group picked from the suggestions as a group share', async () => {
    const { gallery, saved, input, button } = await openDialog();
    await type(input(), 'phy', 200);
    key(input(), 'ArrowDown');
    key(input(), 'Enter');
    button('Save sharing').click();
    expect(await saved).toEqual({ ...PRIVATE, shares: [{ kind: 'group', name: 'physics', role: 'reader' }] });
    expect(puts(gallery)).toEqual([{ ...PRIVATE, shares: [{ kind: 'group', name: 'physics', role: 'reader' }] }]);
  });

  it('saves a group name typed in full and not added, as the group', async () => {
    const { gallery, saved, input, button } = await openDialog();
    input().value = 'physics';
    button('Save sharing').click();
    await saved;
    expect(puts(gallery)).toEqual([{ ...PRIVATE, shares: [{ kind: 'group', name: 'physics', role: 'reader' }] }]);
  });

  it('reopens with a sentence, not a server error, when the typed name is nobody', async () => {
    const { gallery, saved, dialog, input, button } = await openDialog();
    input().value = 'physicz';
    button('Save sharing').click();
    await settle(50);
    expect(dialog()?.querySelector('[role="alert"]')?.textContent).toMatch(/^No user or group called “physicz”\./);
    expect(input().value).toBe('physicz');
    expect(puts(gallery)).toEqual([]);
    button('Cancel').click();
    expect(await saved).toBeNull();
  });

  it('closes the suggestions on Escape and keeps the dialog open; a second Escape closes the dialog', async () => {
    const { saved, dialog, input } = await openDialog();
    await type(input(), 'ph', 200);
    const listbox = document.getElementById(input().getAttribute('aria-controls')!)!;
    expect(listbox.hidden).toBe(false);
    key(input(), 'Escape');
    expect(listbox.hidden).toBe(true);
    await settle(20);
    expect(dialog()).not.toBeNull();
    key(input(), 'Escape');
    expect(await saved).toBeNull();
  });
});
