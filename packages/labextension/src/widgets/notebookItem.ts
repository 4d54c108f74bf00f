import type { INotebookListItem, IStarResponse } from '@notebook-gallery/core';
import { Time } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { CommandIDs } from '../tokens';
import { element } from './dom';
import { healthBadge } from './healthBadge';
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
}

/**
 * One notebook of the sidebar list: a button that opens a copy (title, badge, owner, tags, and the search snippet
 * with the matched words marked), its star and health badge under it, and its actions (Preview, Share, History)
 * beside it.
 */
export function notebookItem(item: INotebookListItem, options: INotebookItemOptions): HTMLElement {
  const { commands, trans } = options;
  const li = element('li', 'jp-NotebookGallery-listItem');
  li.setAttribute('role', 'listitem');
  const button = element('button', 'jp-NotebookGallery-item');
  button.type = 'button';
  button.dataset.id = item.id;
  button.dataset.action = 'open';
  const updated = Time.formatHuman(item.updatedAt);

  const title = element('span', 'jp-NotebookGallery-itemTitle', item.title);
  // A private notebook of someone else's that I can read reached me through a share.
  const sharedWithMe = item.visibility === 'private' && item.ownerKind === 'user' && !item.canManage;
  const badgeText = sharedWithMe ? trans.__('Shared with you') : visibilityLabel(trans, item.visibility, item.group);
  const badge = element('span', `jp-NotebookGallery-badge jp-mod-${item.visibility}`, badgeText);
  const owner = item.ownerKind === 'group' ? trans.__('group %1', item.owner) : item.owner;
  const meta = element('span', 'jp-NotebookGallery-itemMeta');
  const time = element('time', 'jp-NotebookGallery-itemTime', updated);
  time.dateTime = item.updatedAt;
  time.title = Time.format(item.updatedAt);
  meta.append(badge, trans.__('%1 · updated ', owner), time);
  button.append(title, meta);

  const labelParts = [item.title, badgeText, trans.__('by %1', owner), trans.__('updated %1', updated)];
  if (item.tags.length > 0) {
    const tags = element('span', 'jp-NotebookGallery-itemTags');
    for (const tag of item.tags) {
      tags.append(element('span', 'jp-NotebookGallery-tag', tag));
    }
    button.append(tags);
    labelParts.push(trans.__('tags: %1', item.tags.join(', ')));
  }
  const description = item.snippet
    ? highlightedText(item.snippet, item.snippetHighlights ?? [])
    : item.description
      ? element('span', '', item.description)
      : null;
  if (description) {
    description.className = 'jp-NotebookGallery-itemDescription';
    description.id = `jp-NotebookGallery-description-${item.id}`;
    button.setAttribute('aria-describedby', description.id);
    button.append(description);
  }
  // An explicit name keeps the title first and the parts separated for screen readers.
  button.setAttribute('aria-label', labelParts.join(', '));
  button.title = trans.__('Open a copy of “%1”', item.title);
  button.addEventListener('click', () => void commands.execute(CommandIDs.open, { id: item.id }));
  li.append(button);

  const signals = element('div', 'jp-NotebookGallery-itemSignals');
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

  const preview = Private.action('jp-NotebookGallery-previewButton', trans.__('Preview'), item.id, 'preview');
  preview.setAttribute('aria-label', trans.__('Preview %1', item.title));
  preview.title = trans.__('Look at “%1” before opening a copy', item.title);
  preview.addEventListener('click', () => options.preview());
  li.append(preview);

  if (options.outdated) {
    // Copies that follow updates: the user's copy is behind this notebook's latest revision.
    const update = Private.action('jp-NotebookGallery-update', trans.__('Update available'), item.id, 'update');
    update.setAttribute('aria-label', trans.__('Update available: update your copy of %1', item.title));
    update.title = trans.__(
      'Bring your copy of “%1” up to version %2, keeping your edits',
      item.title,
      item.revisionNumber
    );
    update.addEventListener('click', () => void commands.execute(CommandIDs.update, { id: item.id }));
    li.classList.add('jp-mod-updateAvailable');
    li.append(update);
  }
  if (item.canManage) {
    const share = Private.action('jp-NotebookGallery-share', trans.__('Share'), item.id, 'share');
    share.setAttribute('aria-label', trans.__('Share %1', item.title));
    share.title = trans.__('Choose who can see “%1”', item.title);
    share.addEventListener('click', () => void commands.execute(CommandIDs.share, { id: item.id }));
    li.append(share);
  }
  const history = Private.action('jp-NotebookGallery-historyButton', trans.__('History'), item.id, 'history');
  history.setAttribute('aria-label', trans.__('History of %1', item.title));
  history.title = trans.__('Versions of “%1”: what changed, and restoring an old one', item.title);
  history.addEventListener('click', () => void commands.execute(CommandIDs.history, { id: item.id }));
  li.append(history);
  return li;
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
}
