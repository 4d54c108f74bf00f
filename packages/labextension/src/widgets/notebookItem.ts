import type { INotebookListItem, IShare, IStarResponse } from '@notebook-gallery/core';
import { Time } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { ellipsesIcon, inspectorIcon, shareIcon, type LabIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import { CommandIDs } from '../tokens';
import { element } from './dom';
import { healthBadge } from './healthBadge';
import { galleryHistoryIcon } from './icons';
import { StarButton } from './starButton';
import { visibilityLabel } from './visibilityField';

/** What a list item needs besides its notebook. */
export interface INotebookItemOptions {
  commands: CommandRegistry;
  trans: TranslationBundle;
  /** Whether the user's copy is behind this notebook, to offer *Update available*. */
  outdated: boolean;
  /** Star or unstar it. */
  star: (starred: boolean) => Promise<IStarResponse>;
  /** Show its preview. */
  preview: () => void;
  /**
   * Open the item's menu of actions at `x`, `y` (viewport pixels); `keyboard` when a key asked for it, so the first
   * action is active. `from` gets the focus back when the menu closes.
   */
  openMenu: (at: { x: number; y: number }, keyboard: boolean, from: HTMLElement) => void;
}

/**
 * One notebook of the sidebar list, in two lines as JupyterLab's file browser keeps its rows: a button that opens a
 * copy (the title; then who can see it, the owner and when it changed; under a search, the snippet with the matched
 * words marked), its star and health at the end of the first line, and its actions (Preview, Share, History, more)
 * shown over the end of the second line on hover and on focus. The same actions, and *Delete from gallery…* for its
 * managers, are in its context menu: right click, the ContextMenu key, Shift+F10 or the … button.
 */
export function notebookItem(item: INotebookListItem, options: INotebookItemOptions): HTMLElement {
  const { commands, trans } = options;
  const li = element('li', 'jp-NotebookGallery-listItem');
  li.setAttribute('role', 'listitem');
  li.dataset.id = item.id;
  const button = element('button', 'jp-NotebookGallery-item');
  button.type = 'button';
  button.dataset.id = item.id;
  button.dataset.action = 'open';
  const updated = Time.formatHuman(item.updatedAt);

  const title = element('span', 'jp-NotebookGallery-itemTitle', item.title);
  const access = accessLabel(trans, item);
  const badge = element('span', `jp-NotebookGallery-badge jp-mod-${item.visibility}`, access.text);
  if (access.details) {
    badge.classList.add('jp-mod-shared');
  }
  badge.title = access.details ?? access.text;
  const owner = item.ownerKind === 'group' ? trans.__('group %1', item.owner) : item.owner;
  const meta = element('span', 'jp-NotebookGallery-itemMeta');
  const time = element('time', 'jp-NotebookGallery-itemTime', updated);
  time.dateTime = item.updatedAt;
  time.title = Time.format(item.updatedAt);
  meta.append(badge, element('span', 'jp-NotebookGallery-itemOwner', owner), ' · ', time);
  button.append(title, meta);

  const labelParts = [
    item.title,
    access.details ?? access.text,
    trans.__('by %1', owner),
    trans.__('updated %1', updated)
  ];
  if (item.tags.length > 0) {
    labelParts.push(trans.__('tags: %1', item.tags.join(', ')));
  }
  // A search shows why the notebook matched; otherwise the description is a tooltip and the accessible description,
  // so every row keeps to two lines.
  const description = item.snippet
    ? highlightedText(item.snippet, item.snippetHighlights ?? [])
    : item.description
      ? element('span', '', item.description)
      : null;
  if (description) {
    description.className = 'jp-NotebookGallery-itemDescription';
    description.id = `jp-NotebookGallery-description-${item.id}`;
    description.hidden = !item.snippet;
    button.setAttribute('aria-describedby', description.id);
    button.append(description);
  }
  // An explicit name keeps the title first and the parts separated for screen readers.
  button.setAttribute('aria-label', labelParts.join(', '));
  button.title = [
    trans.__('Open a copy of “%1”', item.title),
    item.description,
    item.tags.length > 0 ? trans.__('Tags: %1', item.tags.join(', ')) : ''
  ]
    .filter(Boolean)
    .join('\n');
  button.addEventListener('click', () => void commands.execute(CommandIDs.open, { id: item.id }));
  li.append(button);

  const signals = element('div', 'jp-NotebookGallery-itemSignals');
  if (options.outdated) {
    // Copies that follow updates: the user's copy is behind this notebook's latest revision. Always shown.
    const update = Private.action('jp-NotebookGallery-update', trans.__('Update'), item.id, 'update');
    update.setAttribute('aria-label', trans.__('Update available: update your copy of %1', item.title));
    update.title = trans.__(
      'Update available: bring your copy of “%1” up to version %2, keeping your edits',
      item.title,
      item.revisionNumber
    );
    update.addEventListener('click', () => void commands.execute(CommandIDs.update, { id: item.id }));
    li.classList.add('jp-mod-updateAvailable');
    signals.append(update);
  }
  const star = new StarButton({
    title: item.title,
    starred: item.starred,
    stars: item.stars,
    trans,
    toggle: options.star
  });
  star.node.dataset.id = item.id;
  star.node.dataset.action = 'star';
  signals.append(star.node);
  // The list shows evidence only; "not run yet" on every new notebook would be noise (the preview says it).
  if (item.health.status !== 'unknown') {
    signals.append(healthBadge(trans, item.health));
  }
  li.append(signals);

  const actions = element('div', 'jp-NotebookGallery-itemActions');
  const preview = Private.iconAction('jp-NotebookGallery-previewButton', inspectorIcon, item.id, 'preview');
  preview.setAttribute('aria-label', trans.__('Preview %1', item.title));
  preview.title = trans.__('Preview: look at “%1” before opening a copy', item.title);
  preview.addEventListener('click', () => options.preview());
  actions.append(preview);
  if (item.canManage) {
    const share = Private.iconAction('jp-NotebookGallery-share', shareIcon, item.id, 'share');
    share.setAttribute('aria-label', trans.__('Share %1', item.title));
    share.title = trans.__('Share: choose who can see “%1”', item.title);
    share.addEventListener('click', () => void commands.execute(CommandIDs.share, { id: item.id }));
    actions.append(share);
  }
  const history = Private.iconAction('jp-NotebookGallery-historyButton', galleryHistoryIcon, item.id, 'history');
  history.setAttribute('aria-label', trans.__('History of %1', item.title));
  history.title = trans.__('History: versions of “%1”, what changed, and restoring an old one', item.title);
  history.addEventListener('click', () => void commands.execute(CommandIDs.history, { id: item.id }));
  actions.append(history);
  const more = Private.iconAction('jp-NotebookGallery-more', ellipsesIcon, item.id, 'more');
  more.setAttribute('aria-label', trans.__('More actions for %1', item.title));
  more.setAttribute('aria-haspopup', 'menu');
  more.title = trans.__('More actions (also right click, or Shift+F10)');
  more.addEventListener('click', event => {
    const box = more.getBoundingClientRect();
    // A click from Enter or Space has no mouse position (detail 0): the keyboard then walks the menu.
    options.openMenu({ x: box.left, y: box.bottom }, event.detail === 0, more);
  });
  actions.append(more);
  li.append(actions);

  li.addEventListener('contextmenu', event => {
    // The row's own menu, not JupyterLab's (which has nothing for a gallery item) nor the browser's.
    event.preventDefault();
    event.stopPropagation();
    const from = (event.target as HTMLElement).closest<HTMLElement>('button') ?? button;
    options.openMenu({ x: event.clientX, y: event.clientY }, false, from);
  });
  li.addEventListener('keydown', event => {
    if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      event.preventDefault();
      event.stopPropagation();
      const from = (event.target as HTMLElement).closest<HTMLElement>('button') ?? button;
      const box = from.getBoundingClientRect();
      options.openMenu({ x: box.left, y: box.bottom }, true, from);
    }
  });
  return li;
}

/**
 * Who can see a notebook, as its badge says it: "Shared with you" for a private notebook shared with the reader;
 * for its managers, who else it is shared with ("Private · shared with physics", "Public · shared with 3 people and
 * physics"), with every share named in `details`.
 */
export function accessLabel(
  trans: TranslationBundle,
  item: INotebookListItem
): { text: string; details: string | null } {
  // A private notebook of someone else's that I can read reached me through a share.
  const sharedWithMe = item.visibility === 'private' && item.ownerKind === 'user' && !item.canManage;
  if (sharedWithMe) {
    return { text: trans.__('Shared with you'), details: null };
  }
  const base = visibilityLabel(trans, item.visibility, item.group);
  const shares = item.sharedWith ?? [];
  if (shares.length === 0) {
    return { text: base, details: null };
  }
  const text = trans.__('%1 · shared with %2', base, Private.sharedWithText(trans, shares));
  const named = shares.map(share =>
    share.kind === 'group'
      ? share.role === 'editor'
        ? trans.__('group %1 (can edit)', share.name)
        : trans.__('group %1', share.name)
      : share.role === 'editor'
        ? trans.__('%1 (can edit)', share.name)
        : share.name
  );
  return { text, details: trans.__('%1 · shared with %2', base, named.join(', ')) };
}

/**
 * `text` with the `[start, end)` ranges wrapped in `<mark>`: the server sends snippets as text and ranges, never
 * HTML, so every part goes in as text.
 */
export function highlightedText(text: string, ranges: ReadonlyArray<readonly [number, number]>): HTMLElement {
  const node = element('span', '');
  let at = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (start < at || end <= start || end > text.length) {
      // Overlapping or out-of-range ranges would cut the text wrongly; such a range is skipped.
      continue;
    }
    node.append(text.slice(at, start), element('mark', 'jp-NotebookGallery-match', text.slice(start, end)));
    at = end;
  }
  node.append(text.slice(at));
  return node;
}

namespace Private {
  export function action(className: string, label: string, id: string, kind: string): HTMLButtonElement {
    const button = element('button', `jp-mod-styled ${className}`, label);
    button.type = 'button';
    button.dataset.id = id;
    button.dataset.action = kind;
    return button;
  }

  /** A small icon button of the hover toolbar; its `aria-label` names it. */
  export function iconAction(className: string, icon: LabIcon, id: string, kind: string): HTMLButtonElement {
    const button = element('button', `jp-NotebookGallery-iconButton jp-NotebookGallery-itemAction ${className}`);
    button.type = 'button';
    button.dataset.id = id;
    button.dataset.action = kind;
    button.append(icon.element({ tag: 'span', elementSize: 'normal' }));
    return button;
  }

  /** "physics", "dave and physics", "3 people and 2 groups": groups by name up to two, people by name when one. */
  export function sharedWithText(trans: TranslationBundle, shares: readonly IShare[]): string {
    const people = shares.filter(share => share.kind === 'user').map(share => share.name);
    const groups = shares.filter(share => share.kind === 'group').map(share => share.name);
    const parts: string[] = [];
    if (people.length === 1) {
      parts.push(people[0]);
    } else if (people.length > 1) {
      parts.push(trans._n('%1 person', '%1 people', people.length));
    }
    if (groups.length > 0 && groups.length <= 2) {
      parts.push(...groups);
    } else if (groups.length > 2) {
      parts.push(trans._n('%1 group', '%1 groups', groups.length));
    }
    return parts.length === 1
      ? parts[0]
      : trans.__('%1 and %2', parts.slice(0, -1).join(', '), parts[parts.length - 1]);
  }
}
