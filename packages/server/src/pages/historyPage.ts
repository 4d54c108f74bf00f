import type {
  IChangeRequest,
  IRevisionCommentsResponse,
  INotebookSummary,
  IRevisionDiffResponse,
  IRevisionListItem
} from '@notebook-gallery/core';
import { notebookDiffMarkup } from './notebookDiffMarkup';
import { pageTime } from './pageDate';
import type { PageLinks } from './pageLinks';
import type { Element, ElementContent, IRenderLibraries } from './render/renderLibraries';

/** What the history page shows. */
export interface IHistoryPageModel {
  notebook: INotebookSummary;
  /** Newest first, as the API lists them. */
  revisions: IRevisionListItem[];
  /** The accepted change requests the caller may see, by the revision they became. */
  changeRequests: ReadonlyMap<string, IChangeRequest>;
  /** The diff the page shows: the one the query chose, by default the latest revision against the one before. */
  diff: IRevisionDiffResponse;
  /** Every URL the page emits (with the hub prefix when there is one). */
  links: PageLinks;
  /** The review comments of the change requests whose acceptance made the diff's newer revision. */
  reviews: IRevisionCommentsResponse['reviews'];
  /** The 1-based number of each cell id in the diff's newer revision, to say which cell a review comment is on. */
  cellNumbers: ReadonlyMap<string, number>;
  /** Renders a comment's markdown body, sanitized (the notebook renderer's `renderMarkdown`). */
  markdown(text: string): Element;
}

/**
 * The history page's `<main>` content, as hast: the revisions newest first (number, author, date, message, the change
 * request it came from), each linking to its permanent page and to what it changed, then a GET form that picks any
 * two revisions and the cell-aware diff between them.
 */
export function historyPage(h: IRenderLibraries['h'], model: IHistoryPageModel): Element {
  const { notebook } = model;
  const history = model.links.href(`/n/${encodeURIComponent(notebook.id)}/history`);
  return h('div.history', [
    h('h1', `History of “${notebook.title}”`),
    h('p', h('a', { href: model.links.notebook(notebook.id) }, 'Back to the notebook')),
    h('section.history-revisions', { ariaLabelledby: 'history-revisions-heading' }, [
      h('h2#history-revisions-heading', 'Versions'),
      revisionTable(h, model)
    ]),
    h('section.history-diff#changes', { ariaLabelledby: 'history-diff-heading' }, [
      h('h2#history-diff-heading', diffTitle(model)),
      compareForm(h, model, history),
      ...parentNote(model).map(text => h('p.history-note', text)),
      ...notebookDiffMarkup(h, model.diff.diff)
    ]),
    ...reviewSection(h, model)
  ]);
}

/**
 * The review that led to the diff's newer revision: the comments written on the change request (cell by cell, like a
 * code review) stay readable in the history once it is accepted.
 */
function reviewSection(h: IRenderLibraries['h'], model: IHistoryPageModel): Element[] {
  const reviews = model.reviews.filter(review => review.threads.length > 0);
  if (reviews.length === 0) {
    return [];
  }
  const number = model.diff.to.number;
  const comment = (item: IRevisionCommentsResponse['reviews'][number]['threads'][number]['comment']): Element =>
    h('article.history-reviewComment', [
      h('p.history-reviewMeta', [
        h('strong', item.author),
        ' · ',
        pageTime(h, item.createdAt),
        ...(item.anchor ? [' · ', cellLabel(model, item.anchor.cellId)] : [' · on the notebook'])
      ]),
      model.markdown(item.body)
    ]);
  return [
    h('section.history-review', { ariaLabelledby: 'history-review-heading' }, [
      h('h2#history-review-heading', `Review comments that led to version ${number}`),
      ...reviews.map(review =>
        h('div.history-reviewRequest', [
          h('h3', `Change request by ${review.proposer}`),
          h(
            'ol.history-reviewThreads',
            review.threads.map(thread => h('li', [comment(thread.comment), ...thread.replies.map(comment)]))
          )
        ])
      )
    ])
  ];
}

function cellLabel(model: IHistoryPageModel, cellId: string): string {
  const cell = model.cellNumbers.get(cellId);
  return cell === undefined ? 'on a cell no longer in this version' : `on cell ${cell}`;
}

function revisionTable(h: IRenderLibraries['h'], model: IHistoryPageModel): Element {
  const { links, notebook } = model;
  const rows = model.revisions.map(revision => {
    const request = model.changeRequests.get(revision.revision);
    const permanent = links.notebook(notebook.id, revision.revision);
    const changes = `${links.href(`/n/${encodeURIComponent(notebook.id)}/history`, { to: revision.revision })}#changes`;
    return h('tr', [
      h('th', { scope: 'row' }, [
        h('a', { href: permanent }, `Version ${revision.number}`),
        h('br'),
        h('a.history-changesLink', { href: changes }, `What changed in version ${revision.number}`)
      ]),
      h('td', revision.author),
      h('td', pageTime(h, revision.createdAt)),
      h('td.history-message', revision.message || h('span.history-none', 'No message')),
      h(
        'td',
        request
          ? `Change request by ${request.proposer}${request.decidedBy ? `, accepted by ${request.decidedBy}` : ''}: “${request.message}”`
          : h('span.history-none', 'None')
      )
    ]);
  });
  return h('div.history-tableWrap', { role: 'region', ariaLabelledby: 'history-revisions-heading', tabIndex: 0 }, [
    h('table.history-table', [
      h(
        'thead',
        h('tr', [
          h('th', { scope: 'col' }, 'Version'),
          h('th', { scope: 'col' }, 'Author'),
          h('th', { scope: 'col' }, 'Saved'),
          h('th', { scope: 'col' }, 'Message'),
          h('th', { scope: 'col' }, 'Change request')
        ])
      ),
      h('tbody', rows)
    ])
  ]);
}

/** The GET form that picks the two revisions to compare. */
function compareForm(h: IRenderLibraries['h'], model: IHistoryPageModel, action: string): Element {
  const { diff, revisions } = model;
  const option = (revision: IRevisionListItem, selected: boolean) =>
    h('option', { value: revision.revision, selected }, revisionLabel(revision));
  const fromOptions: ElementContent[] = revisions.map(revision =>
    option(revision, revision.revision === diff.from?.revision)
  );
  if (diff.from === null) {
    // The first revision is compared with what came before it, which has no revision of its own to pick.
    fromOptions.push(h('option', { value: '', selected: true }, beforeFirstLabel(model)));
  }
  return h('form.history-compare', { method: 'get', action: `${action}#changes` }, [
    h('div.gallery-field', [
      h('label', { for: 'history-from' }, 'Older version'),
      h('select#history-from', { name: 'from' }, fromOptions)
    ]),
    h('div.gallery-field', [
      h('label', { for: 'history-to' }, 'Newer version'),
      h(
        'select#history-to',
        { name: 'to' },
        revisions.map(revision => option(revision, revision.revision === diff.to.revision))
      )
    ]),
    h('button.gallery-button', { type: 'submit' }, 'Compare')
  ]);
}

function revisionLabel(revision: IRevisionListItem): string {
  const message = revision.message.length > 60 ? `${revision.message.slice(0, 59)}…` : revision.message;
  return message ? `Version ${revision.number}: ${message}` : `Version ${revision.number}`;
}

/** What the first revision is compared with. */
function beforeFirstLabel({ diff }: IHistoryPageModel): string {
  return diff.parent ? `The notebook it was copied from (“${diff.parent.title}”)` : 'Nothing (an empty notebook)';
}

function diffTitle({ diff }: IHistoryPageModel): string {
  const from = diff.from
    ? `version ${diff.from.number}`
    : diff.parent
      ? 'the notebook it was copied from'
      : 'an empty notebook';
  return `Changes from ${from} to version ${diff.to.number}`;
}

/** For a copy's first revision: what it is compared with, when the title alone does not say. */
function parentNote({ diff }: IHistoryPageModel): string[] {
  if (diff.parent) {
    return [
      `Compared with version ${diff.parent.number} of “${diff.parent.title}” by ${diff.parent.owner}, which this notebook was copied from.`
    ];
  }
  if (diff.parentHidden) {
    return [
      'This notebook was copied from one you cannot see (or that was deleted), so it is compared with an empty notebook.'
    ];
  }
  return [];
}
