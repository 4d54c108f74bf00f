import type { IComment, ICommentThread } from '@notebook-gallery/core';
import { Time } from '@jupyterlab/coreutils';
import { MimeModel, type IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { TranslationBundle } from '@jupyterlab/translation';
import { CommentForm } from './commentForm';
import { element } from './dom';
import type { IGalleryClient } from '../tokens';

/** What a thread's buttons do; each resolves to null on success or the sentence to show. */
export interface ICommentActions {
  reply(thread: ICommentThread, body: string): Promise<string | null>;
  edit(comment: IComment, body: string): Promise<string | null>;
  setResolved(comment: IComment, resolved: boolean): Promise<string | null>;
  /** Asks first; null also when the user cancelled. */
  remove(comment: IComment): Promise<string | null>;
}

/** The one reply or edit box open in the panel, kept across re-renders with what was typed. */
export interface IOpenBox {
  kind: 'reply' | 'edit';
  commentId: string;
  text: string;
}

/** Options of {@link renderThread}. */
export interface IThreadViewOptions {
  client: IGalleryClient;
  trans: TranslationBundle;
  rendermime: IRenderMimeRegistry | null;
  actions: ICommentActions;
  /** The open reply or edit box, if any. */
  openBox: IOpenBox | null;
  /** Open (or with null close) a reply or edit box; the panel re-renders. */
  setOpenBox(box: IOpenBox | null): void;
  /** Forms to dispose of on the next render. */
  forms: CommentForm[];
}

/**
 * One thread as an `article`: its first comment and replies, each with author, time, "edited" and its text rendered
 * as sanitized markdown; "On an earlier version of this cell" with that version for a changed or outdated thread;
 * and the buttons the caller may use (Reply, Edit, Resolve or Reopen, Delete).
 */
export function renderThread(thread: ICommentThread, options: IThreadViewOptions): HTMLElement {
  const { trans } = options;
  const root = thread.comment;
  const article = element('article', 'jp-NotebookGallery-commentThread');
  article.dataset.commentId = root.id;
  article.classList.toggle('jp-mod-resolved', root.resolved);
  article.setAttribute('aria-label', trans.__('Comment by %1', root.author));
  const lines = root.anchor?.lines;
  if (lines) {
    article.append(
      element(
        'p',
        'jp-NotebookGallery-commentLines',
        lines.from === lines.to ? trans.__('Line %1', lines.from) : trans.__('Lines %1–%2', lines.from, lines.to)
      )
    );
  }
  if (thread.earlier && thread.state !== 'current') {
    article.append(Private.earlierVersion(thread, trans));
  }
  article.append(Private.comment(root, options));
  if (root.resolved) {
    article.append(
      element(
        'p',
        'jp-NotebookGallery-commentResolved',
        root.resolvedBy ? trans.__('Resolved by %1', root.resolvedBy) : trans.__('Resolved')
      )
    );
  }
  if (thread.replies.length > 0) {
    const replies = element('div', 'jp-NotebookGallery-commentReplies');
    replies.setAttribute('role', 'group');
    replies.setAttribute('aria-label', trans._n('%1 reply', '%1 replies', thread.replies.length));
    replies.append(...thread.replies.map(reply => Private.comment(reply, options)));
    article.append(replies);
  }

  const box = options.openBox;
  if (box?.kind === 'reply' && box.commentId === root.id) {
    article.append(
      Private.form(options, {
        label: trans.__('Reply to %1', root.author),
        sendLabel: trans.__('Reply'),
        value: box.text,
        onSend: body => options.actions.reply(thread, body),
        box
      })
    );
  } else {
    const buttons = element('div', 'jp-NotebookGallery-commentActions');
    buttons.append(
      Private.button(trans.__('Reply'), trans.__('Reply to %1', root.author), () =>
        options.setOpenBox({ kind: 'reply', commentId: root.id, text: '' })
      )
    );
    if (root.canResolve) {
      const label = root.resolved ? trans.__('Reopen') : trans.__('Resolve');
      buttons.append(Private.button(label, label, () => void options.actions.setResolved(root, !root.resolved)));
    }
    article.append(buttons);
  }
  return article;
}

namespace Private {
  export function comment(comment: IComment, options: IThreadViewOptions): HTMLElement {
    const { trans } = options;
    const node = element('div', 'jp-NotebookGallery-comment');
    node.dataset.commentId = comment.id;
    const header = element('div', 'jp-NotebookGallery-commentHeader');
    const time = element('time', 'jp-NotebookGallery-commentTime', Time.formatHuman(comment.createdAt));
    time.dateTime = comment.createdAt;
    time.title = Time.format(comment.createdAt);
    header.append(element('span', 'jp-NotebookGallery-commentAuthor', comment.author), time);
    if (comment.editedAt) {
      header.append(element('span', 'jp-NotebookGallery-commentEdited', trans.__('edited')));
    }
    node.append(header);

    const box = options.openBox;
    if (box?.kind === 'edit' && box.commentId === comment.id) {
      node.append(
        form(options, {
          label: trans.__('Edit your comment'),
          sendLabel: trans.__('Save'),
          value: box.text,
          onSend: body => options.actions.edit(comment, body),
          box
        })
      );
      return node;
    }
    node.append(body(comment.body, options.rendermime));
    const buttons = element('div', 'jp-NotebookGallery-commentActions');
    if (comment.canEdit) {
      buttons.append(
        button(trans.__('Edit'), trans.__('Edit your comment'), () =>
          options.setOpenBox({ kind: 'edit', commentId: comment.id, text: comment.body })
        )
      );
    }
    if (comment.canDelete) {
      buttons.append(
        button(trans.__('Delete'), trans.__('Delete the comment by %1', comment.author), () => {
          void options.actions.remove(comment);
        })
      );
    }
    if (buttons.childElementCount > 0) {
      node.append(buttons);
    }
    return node;
  }

  /** The text as markdown through JupyterLab's rendermime, untrusted so its sanitizer runs; plain text without one. */
  export function body(text: string, rendermime: IRenderMimeRegistry | null): HTMLElement {
    const node = element('div', 'jp-NotebookGallery-commentBody');
    if (!rendermime) {
      node.textContent = text;
      node.classList.add('jp-mod-plain');
      return node;
    }
    const renderer = rendermime.createRenderer('text/markdown');
    node.append(renderer.node);
    renderer.renderModel(new MimeModel({ data: { 'text/markdown': text }, trusted: false })).catch(() => {
      renderer.node.textContent = text;
    });
    return node;
  }

  export function earlierVersion(thread: ICommentThread, trans: TranslationBundle): HTMLElement {
    const node = element('details', 'jp-NotebookGallery-commentEarlier');
    const summary = element(
      'summary',
      'jp-NotebookGallery-commentEarlierSummary',
      thread.state === 'outdated'
        ? trans.__('On a cell that is no longer in the notebook: show it')
        : trans.__('On an earlier version of this cell: show that version')
    );
    const source = element('pre', 'jp-NotebookGallery-commentEarlierSource', thread.earlier?.source ?? '');
    node.append(summary, source);
    return node;
  }

  export function form(
    options: IThreadViewOptions,
    spec: {
      label: string;
      sendLabel: string;
      value: string;
      onSend: (body: string) => Promise<string | null>;
      box: IOpenBox;
    }
  ): HTMLElement {
    const form = new CommentForm({
      client: options.client,
      trans: options.trans,
      label: spec.label,
      sendLabel: spec.sendLabel,
      value: spec.value,
      rows: 2,
      onSend: async body => {
        const error = await spec.onSend(body);
        if (error === null) {
          options.setOpenBox(null);
        }
        return error;
      },
      onCancel: () => options.setOpenBox(null),
      onInput: text => {
        spec.box.text = text;
      }
    });
    options.forms.push(form);
    return form.node;
  }

  export function button(text: string, label: string, onClick: () => void): HTMLButtonElement {
    const node = element('button', 'jp-NotebookGallery-linkButton', text);
    node.type = 'button';
    if (label !== text) {
      node.setAttribute('aria-label', label);
    }
    node.addEventListener('click', onClick);
    return node;
  }
}
