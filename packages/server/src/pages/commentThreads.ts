import type { IComment, ICommentListResponse, ICommentThread, INotebook } from '@notebook-gallery/core';
import { sourceText } from '@notebook-gallery/core';
import type { Element, ElementContent } from 'hast';
import { XSRF_FIELD } from '../auth/xsrf';
import { sourceHash } from '../storage/sourceHash';
import type { ICellItem } from './cellItems';
import { pageTime } from './pageDate';
import type { PageLinks } from './pageLinks';
import type { INotebookRenderer } from './render/notebookRenderer';
import type { IRenderLibraries } from './render/renderLibraries';

/**
 * What the user wrote in a comment form that could not be saved, sent back with the page so nothing is lost:
 * `target` names the form (`notebook`, `cell:<cellId>`, `reply:<rootId>`, `edit:<commentId>`).
 */
export interface ICommentDraft {
  target: string;
  body: string;
  /** The readable sentence that says what went wrong. */
  message: string;
}

/** What the comment parts of a notebook page are made of. */
export interface ICommentPageView {
  notebookId: string;
  /** The comments, with states against the latest revision (from the comment service, as the API answers). */
  list: ICommentListResponse;
  /** The revision shown, its number, and whether it is the latest. */
  notebook: INotebook;
  shownRevision: string;
  shownNumber: number;
  isLatest: boolean;
  /** Whether the page is a revision's permanent link: its forms come back to it. */
  permanent: boolean;
  /** Revision number of each revision of the notebook, to say "revision 3" of an earlier cell. */
  revisionNumbers: ReadonlyMap<string, number>;
  /** Logged in and may read the notebook: the forms show; otherwise a "Log in to comment" link. */
  canWrite: boolean;
  xsrfToken: string | null;
  /** Where "Log in to comment" goes (back to this page's comments). */
  loginUrl: string;
  draft: ICommentDraft | null;
}

/** What a page needs to build the comments: `h`, its links and the renderer (comment bodies are markdown). */
export interface ICommentPageTools {
  h: IRenderLibraries['h'];
  links: PageLinks;
  renderer: INotebookRenderer;
}

/** Where a thread goes on the page, and what it says about its cell. */
interface IPlacedThread {
  thread: ICommentThread;
  /** On a cell of the shown revision, by its 1-based number; null: on the notebook or on no cell shown. */
  cellNumber: number | null;
  /** Against the cell shown: the same source, an earlier or a later version, or no such cell. */
  relation: 'notebook' | 'same' | 'earlier' | 'later' | 'gone';
}

/**
 * The comments of a notebook page as hast: each cell's threads and comment form beside the cell
 * ({@link commentedCells}), and the notebook's own threads, its form and the outdated threads in the page's
 * `#comments` section ({@link commentsSection}). Bodies are markdown rendered by the notebook renderer (sanitized);
 * every other text is a text node. Forms post to the page routes of routes/commentPageRoutes.ts with the XSRF token.
 */
export class CommentThreads {
  private readonly _placed: IPlacedThread[];
  private readonly _cellNumbers = new Map<string, number>();
  private readonly _cellHashes = new Map<string, string>();
  /** Whether the draft found its form; if not, the notebook's form shows it. */
  private _draftShown = false;

  constructor(
    private readonly _tools: ICommentPageTools,
    private readonly _view: ICommentPageView
  ) {
    _view.notebook.cells.forEach((cell, index) => {
      if (typeof cell.id === 'string') {
        const source = sourceText(cell.source);
        this._cellNumbers.set(cell.id, index + 1);
        this._cellHashes.set(cell.id, sourceHash(source));
      }
    });
    this._placed = [..._view.list.threads, ..._view.list.outdated].map(thread => this._place(thread));
  }

  /** Whether any cell gets something beside it (threads, or a form for those who may write). */
  get besideCells(): boolean {
    return this._view.canWrite || this._placed.some(placed => placed.cellNumber !== null);
  }

  /**
   * The notebook's cells as `<ol class="nb-cells">` (as the renderer makes it) with each cell's comments beside it,
   * inside its `<li>`: its threads and, for those who may write, its form. The cells' own content comes as serialised
   * by {@link CellItems}.
   */
  commentedCells(items: readonly ICellItem[]): Element {
    const { h } = this._tools;
    const byNumber = new Map<number, IPlacedThread[]>();
    for (const placed of this._placed) {
      if (placed.cellNumber !== null) {
        byNumber.set(placed.cellNumber, [...(byNumber.get(placed.cellNumber) ?? []), placed]);
      }
    }
    const cellIds = new Map([...this._cellNumbers].map(([id, number]) => [number, id]));
    const children = items.map((item): Element => {
      const number = Number(String(item.properties.id).replace(/^cell-/, ''));
      const threads = byNumber.get(number) ?? [];
      const cellId = cellIds.get(number);
      const form = this._view.canWrite && cellId !== undefined ? [this._newCommentForm(cellId, number)] : [];
      const content: ElementContent = { type: 'raw', value: item.html };
      if (threads.length === 0 && form.length === 0) {
        return { type: 'element', tagName: 'li', properties: { ...item.properties }, children: [content] };
      }
      const label = `Comments on cell ${number}`;
      const aside = h('div', { className: ['cell-comments'], role: 'group', ariaLabel: label }, [
        ...(threads.length > 0
          ? [
              h('p', { className: ['cell-comments__count'] }, Private.count(threads.length, 'thread')),
              h(
                'ol',
                { className: ['comment-threads'] },
                threads.map(placed => h('li', this._thread(placed)))
              )
            ]
          : []),
        ...form
      ]);
      const className = [...((item.properties.className as string[] | undefined) ?? []), 'nb-cell--commented'];
      return {
        type: 'element',
        tagName: 'li',
        properties: { ...item.properties, className },
        children: [content, aside]
      };
    });
    return h('ol', { className: ['nb-cells'] }, children);
  }

  /** The content of the page's `#comments` section (after its heading): notebook threads, form, outdated threads. */
  commentsSection(): ElementContent[] {
    const { h } = this._tools;
    const onNotebook = this._placed.filter(placed => placed.relation === 'notebook');
    const gone = this._placed.filter(placed => placed.relation === 'gone');
    const onCells = this._placed.length - onNotebook.length - gone.length;
    const parts: ElementContent[] = [];
    parts.push(
      h('p', { className: ['comments-summary'] }, [
        this._placed.length === 0
          ? 'No comments yet. '
          : `${Private.count(onNotebook.length, 'thread')} on the notebook, ${Private.count(onCells, 'thread')} beside cells` +
            (gone.length > 0 ? `, ${Private.count(gone.length, 'outdated thread')} below. ` : '. '),
        ...(this._view.canWrite
          ? ['Comment on the whole notebook here, or on one cell with the "Comment on cell" button beside it.']
          : [h('a', { href: this._view.loginUrl }, 'Log in to comment'), ' on the notebook or on one of its cells.'])
      ])
    );
    if (onNotebook.length > 0) {
      parts.push(
        h('h3', { id: 'comments-notebook-heading' }, 'On the notebook'),
        h(
          'ol',
          { className: ['comment-threads'], ariaLabelledBy: 'comments-notebook-heading' },
          onNotebook.map(placed => h('li', this._thread(placed)))
        )
      );
    }
    if (this._view.canWrite) {
      parts.push(this._notebookForm());
    }
    if (gone.length > 0) {
      const title = this._view.isLatest ? 'Outdated comments' : 'Comments on cells not in this revision';
      parts.push(
        h('h3', { id: 'comments-outdated-heading' }, title),
        h(
          'p',
          this._view.isLatest
            ? 'These comments are on cells that were deleted since. They are kept, each with the cell as it was.'
            : 'These comments are on cells that this revision does not have. They are kept, each with the cell as it was.'
        ),
        h(
          'ol',
          { className: ['comment-threads', 'comment-threads--outdated'], ariaLabelledBy: 'comments-outdated-heading' },
          gone.map(placed => h('li', this._thread(placed)))
        )
      );
    }
    return parts;
  }

  private _place(thread: ICommentThread): IPlacedThread {
    const anchor = thread.comment.anchor;
    if (anchor === null) {
      return { thread, cellNumber: null, relation: 'notebook' };
    }
    const number = this._cellNumbers.get(anchor.cellId);
    if (number === undefined) {
      return { thread, cellNumber: null, relation: 'gone' };
    }
    if (this._cellHashes.get(anchor.cellId) === anchor.sourceHash) {
      return { thread, cellNumber: number, relation: 'same' };
    }
    const written = this._view.revisionNumbers.get(anchor.revision);
    // A review comment's revision is its proposal, not a revision: it came before the revision that accepted it.
    const later = written !== undefined && written > this._view.shownNumber;
    return { thread, cellNumber: number, relation: later ? 'later' : 'earlier' };
  }

  /** A root comment with its notices, replies, and reply form. */
  private _thread(placed: IPlacedThread): Element {
    const { h } = this._tools;
    const { thread } = placed;
    const root = thread.comment;
    const replies =
      thread.replies.length > 0
        ? [
            h(
              'ol',
              { className: ['comment-replies'], ariaLabel: `Replies to ${root.author}` },
              thread.replies.map(reply =>
                h('li', { id: `comment-${reply.id}`, className: ['comment'] }, this._comment(reply, null))
              )
            )
          ]
        : [];
    return h(
      'article',
      {
        id: `comment-${root.id}`,
        className: ['comment-thread', ...(root.resolved ? ['comment-thread--resolved'] : [])],
        ariaLabel: `Comment by ${root.author}`
      },
      [
        h('div', { className: ['comment'] }, this._comment(root, placed)),
        ...replies,
        ...(this._view.canWrite ? [this._replyForm(root)] : [])
      ]
    );
  }

  /** One comment: who and when, edited, resolved, its lines and cell version (roots), its text, its actions. */
  private _comment(comment: IComment, placed: IPlacedThread | null): ElementContent[] {
    const { h, renderer } = this._tools;
    const meta: (string | ElementContent)[] = [
      h('strong', { className: ['comment__author'] }, comment.author),
      ' ',
      pageTime(h, comment.createdAt)
    ];
    if (comment.editedAt !== null) {
      meta.push(' ', h('span', { className: ['comment__edited'] }, '(edited)'));
    }
    const lines = comment.anchor?.lines;
    if (lines) {
      meta.push(
        ' ',
        h(
          'span',
          { className: ['comment__tag'] },
          lines.from === lines.to ? `line ${lines.from}` : `lines ${lines.from}–${lines.to}`
        )
      );
    }
    if (comment.resolved) {
      meta.push(
        ' ',
        h(
          'span',
          { className: ['comment__tag', 'comment__tag--resolved'] },
          comment.resolvedBy ? `Resolved by ${comment.resolvedBy}` : 'Resolved'
        )
      );
    }
    return [
      h('p', { className: ['comment__meta'] }, meta),
      ...(placed ? this._cellVersion(placed) : []),
      h('div', { className: ['comment__body'] }, [renderer.renderMarkdown(comment.body)]),
      ...(this._view.canWrite ? this._actions(comment) : [])
    ];
  }

  /** "On an earlier version of this cell", with that version to read; or the cell that is gone. */
  private _cellVersion(placed: IPlacedThread): ElementContent[] {
    const { h } = this._tools;
    const { relation, thread } = placed;
    const anchor = thread.comment.anchor;
    if (anchor === null || relation === 'same' || relation === 'notebook') {
      return [];
    }
    const number = this._view.revisionNumbers.get(anchor.revision);
    const notice =
      relation === 'earlier'
        ? 'On an earlier version of this cell.'
        : relation === 'later'
          ? 'On a later version of this cell.'
          : `On a cell (id ${anchor.cellId}) that is not in ${this._view.isLatest ? 'the notebook any more' : 'this revision'}.`;
    const earlier = thread.earlier;
    return [
      h('p', { className: ['comment__notice'] }, notice),
      ...(earlier
        ? [
            h('details', { className: ['comment__earlier'] }, [
              h(
                'summary',
                number === undefined
                  ? 'Show the cell as it was when this was written'
                  : `Show the cell as it was in revision ${number}`
              ),
              h('pre', { className: ['comment__earlier-source'] }, earlier.source)
            ])
          ]
        : [])
    ];
  }

  /** Edit (the author), resolve or reopen (roots), delete; each a form post. */
  private _actions(comment: IComment): ElementContent[] {
    const { h } = this._tools;
    const actions: ElementContent[] = [];
    const base = `/n/${encodeURIComponent(this._view.notebookId)}/comments/${encodeURIComponent(comment.id)}`;
    if (comment.canEdit) {
      const target = `edit:${comment.id}`;
      const draft = this._draftFor(target);
      actions.push(
        h('details', { className: ['comment__action'], open: draft !== null }, [
          h('summary', 'Edit'),
          this._form(`${base}/edit`, [], {
            id: `comment-edit-${comment.id}`,
            label: 'Edit your comment',
            value: draft?.body ?? comment.body,
            error: draft?.message ?? null,
            button: 'Save the change'
          })
        ])
      );
    }
    if (comment.canResolve && comment.parentId === null) {
      actions.push(
        this._form(`${base}/${comment.resolved ? 'reopen' : 'resolve'}`, [], {
          button: comment.resolved ? 'Reopen thread' : 'Resolve thread'
        })
      );
    }
    if (comment.canDelete) {
      actions.push(
        h('details', { className: ['comment__action'] }, [
          h('summary', 'Delete'),
          h('p', comment.parentId === null ? 'Delete this comment and its replies?' : 'Delete this reply?'),
          this._form(`${base}/delete`, [], { button: 'Delete for good', danger: true })
        ])
      );
    }
    return actions.length > 0 ? [h('div', { className: ['comment__actions'] }, actions)] : [];
  }

  private _replyForm(root: IComment): Element {
    const { h } = this._tools;
    const draft = this._draftFor(`reply:${root.id}`);
    return h('details', { className: ['comment-reply'], open: draft !== null }, [
      h('summary', 'Reply'),
      this._form(`/n/${encodeURIComponent(this._view.notebookId)}/comments`, [['parentId', root.id]], {
        id: `comment-reply-${root.id}`,
        label: `Reply to ${root.author}`,
        value: draft?.body ?? '',
        error: draft?.message ?? null,
        button: 'Reply'
      })
    ]);
  }

  private _newCommentForm(cellId: string, number: number): Element {
    const { h } = this._tools;
    const draft = this._draftFor(`cell:${cellId}`);
    const fieldId = `comment-new-cell-${number}`;
    return h('details', { className: ['comment-new'], open: draft !== null }, [
      h('summary', `Comment on cell ${number}`),
      this._form(
        `/n/${encodeURIComponent(this._view.notebookId)}/comments`,
        [
          ['cellId', cellId],
          ['revision', this._view.shownRevision]
        ],
        {
          id: fieldId,
          label: `Your comment on cell ${number}`,
          value: draft?.body ?? '',
          error: draft?.message ?? null,
          button: 'Comment'
        }
      )
    ]);
  }

  private _notebookForm(): Element {
    const { h } = this._tools;
    let draft = this._draftFor('notebook');
    if (draft === null && this._view.draft !== null && !this._draftShown) {
      // The form it came from is not on the page any more (its cell or thread is gone): keep the text here.
      draft = this._view.draft;
    }
    return h('div', { className: ['comment-new', 'comment-new--notebook'] }, [
      this._form(`/n/${encodeURIComponent(this._view.notebookId)}/comments`, [], {
        id: 'comment-new-notebook',
        label: 'Comment on the notebook',
        value: draft?.body ?? '',
        error: draft?.message ?? null,
        button: 'Comment'
      })
    ]);
  }

  private _draftFor(target: string): ICommentDraft | null {
    const draft = this._view.draft;
    if (draft !== null && draft.target === target) {
      this._draftShown = true;
      return draft;
    }
    return null;
  }

  /**
   * A form post to `path` with the XSRF token, the revision shown (to come back to it) and `hidden` fields; with a
   * `label`, a labelled textarea (with the error that concerns it, if any) before the button.
   */
  private _form(
    path: string,
    hidden: [string, string][],
    field: {
      id?: string;
      label?: string;
      value?: string;
      error?: string | null;
      button: string;
      danger?: boolean;
    }
  ): Element {
    const { h, links } = this._tools;
    const fields: ElementContent[] = [
      h('input', { type: 'hidden', name: XSRF_FIELD, value: this._view.xsrfToken ?? '' }),
      ...(this._view.permanent ? [h('input', { type: 'hidden', name: 'shown', value: this._view.shownRevision })] : []),
      ...hidden.map(([name, value]) => h('input', { type: 'hidden', name, value }))
    ];
    if (field.id && field.label) {
      const errorId = `${field.id}-error`;
      fields.push(
        h('label', { htmlFor: field.id }, field.label),
        ...(field.error ? [h('p', { id: errorId, className: ['form-error'], role: 'alert' }, field.error)] : []),
        h(
          'textarea',
          {
            id: field.id,
            name: 'body',
            rows: 3,
            required: true,
            ariaDescribedBy: field.error ? errorId : undefined,
            ariaInvalid: field.error ? 'true' : undefined
          },
          field.value ?? ''
        )
      );
    }
    fields.push(h('button', { type: 'submit', className: field.danger ? ['danger'] : undefined }, field.button));
    return h('form', { className: ['comment-form'], method: 'post', action: links.href(path) }, fields);
  }
}

namespace Private {
  export function count(n: number, what: string): string {
    return `${n} ${what}${n === 1 ? '' : 's'}`;
  }
}
