import { Dialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import type { ILinkedCopy, LinkedCopyKind } from '../services/galleryLink';
import { element } from '../widgets/dom';

/** One notebook of a tag link: what became of its copy, or why it could not be taken. */
export type LinkSummaryRow = { title: string; copy: ILinkedCopy } | { title: string; failure: string };

/** What the summary of a tag link shows. */
export interface ILinkSummaryOptions {
  /** The tag the link named. */
  tag: string;
  rows: readonly LinkSummaryRow[];
  /** Whether the tag has more notebooks than `limit`, which were left out. */
  more: boolean;
  limit: number;
  trans: TranslationBundle;
  /** Open the copy at `path`. */
  open: (path: string) => void;
}

/**
 * The one summary a tag link ends with: a count of what happened, then each notebook with its outcome and an
 * *Open* button for its copy (which closes the summary). Resolves when it is closed.
 */
export async function showLinkSummary(options: ILinkSummaryOptions): Promise<void> {
  const { trans } = options;
  const dialog = new Dialog({
    title: trans.__('Notebooks tagged “%1”', options.tag),
    body: new Widget({
      node: linkSummaryBody(options, path => {
        options.open(path);
        dialog.resolve();
      })
    }),
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
  dialog.addClass('jp-NotebookGallery-linkSummaryDialog');
  await dialog.launch();
}

/** The summary's body; `open` runs a row's *Open* button. */
export function linkSummaryBody(options: ILinkSummaryOptions, open: (path: string) => void): HTMLElement {
  const { trans, rows } = options;
  const node = element('div', 'jp-NotebookGallery-linkSummary');
  if (rows.length === 0) {
    node.append(
      element('p', '', trans.__('No notebook you can read has the tag “%1”.', options.tag)),
      element('p', '', trans.__('Check the link with whoever posted it: the notebooks may not be shared with you yet.'))
    );
    return node;
  }
  node.append(element('p', 'jp-NotebookGallery-linkSummaryCounts', Private.counts(trans, rows)));
  const list = element('ul', 'jp-NotebookGallery-linkSummaryList');
  for (const row of rows) {
    const item = element('li', 'jp-NotebookGallery-linkSummaryItem');
    const text = element('div', 'jp-NotebookGallery-linkSummaryText');
    text.append(element('strong', '', row.title));
    if ('copy' in row) {
      item.dataset.outcome = row.copy.kind;
      text.append(element('span', '', Private.outcome(trans, row.copy)));
      const button = element('button', 'jp-mod-styled jp-NotebookGallery-linkSummaryOpen', trans.__('Open'));
      button.type = 'button';
      button.setAttribute('aria-label', trans.__('Open your copy of %1', row.title));
      button.title = row.copy.path;
      button.addEventListener('click', () => open(row.copy.path));
      item.append(text, button);
    } else {
      item.dataset.outcome = 'failed';
      text.append(element('span', 'jp-NotebookGallery-errorMessage', row.failure));
      item.append(text);
    }
    list.append(item);
  }
  node.append(list);
  if (options.more) {
    node.append(
      element(
        'p',
        'jp-NotebookGallery-linkSummaryMore',
        trans.__(
          'The tag has more than %1 notebooks: only the %1 updated most recently were taken. Open the others from the Gallery sidebar (search tag:%2).',
          options.limit,
          options.tag
        )
      )
    );
  }
  return node;
}

namespace Private {
  /** "2 new copies · 1 updated · 1 with conflicts, kept as it was". */
  export function counts(trans: TranslationBundle, rows: readonly LinkSummaryRow[]): string {
    const count = (kinds: readonly (LinkedCopyKind | 'failed')[]): number =>
      rows.filter(row => kinds.includes('copy' in row ? row.copy.kind : 'failed')).length;
    const parts: string[] = [];
    const created = count(['created']);
    const updated = count(['updated', 'merged']);
    const current = count(['current']);
    const conflicted = count(['conflicted']);
    const failed = count(['failed']);
    if (created) parts.push(trans._n('%1 new copy', '%1 new copies', created));
    if (updated) parts.push(trans._n('%1 updated', '%1 updated', updated));
    if (current) parts.push(trans._n('%1 already up to date', '%1 already up to date', current));
    if (conflicted)
      parts.push(trans._n('%1 kept as it was (conflicts)', '%1 kept as they were (conflicts)', conflicted));
    if (failed) parts.push(trans._n('%1 could not be opened', '%1 could not be opened', failed));
    return parts.join(' · ');
  }

  /** What happened to one copy, in words. */
  export function outcome(trans: TranslationBundle, copy: ILinkedCopy): string {
    switch (copy.kind) {
      case 'created':
        return trans.__('New copy at %1 (version %2).', copy.path, copy.revisionNumber);
      case 'current':
        return trans.__('Your copy at %1 already has the latest version (%2).', copy.path, copy.revisionNumber);
      case 'updated':
        return trans.__('Your copy at %1 was updated to version %2.', copy.path, copy.revisionNumber);
      case 'merged':
        return trans.__(
          'Version %2 was merged into your copy at %1; your edits are kept.',
          copy.path,
          copy.revisionNumber
        );
      case 'conflicted':
        return trans.__(
          'Your copy at %1 is kept as it was: you and version %2 changed the same lines. Open it and choose Update available to settle them.',
          copy.path,
          copy.revisionNumber
        );
    }
  }
}
