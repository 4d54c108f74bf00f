import { COMMENT_BODY_MAX_LENGTH } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { UUID } from '@lumino/coreutils';
import type { IGalleryClient } from '../tokens';
import { element } from './dom';
import { SuggestionList } from './suggestionList';

/**
 * A comment box: a labelled text area with `@username` suggestions (the share dialog's suggestion list over the
 * principals lookup, users only), a send button, Ctrl+Enter to send and Escape to cancel, and a line for what went
 * wrong. Used for a new comment, a reply and an edit.
 */
export class CommentForm {
  /** Build the form; nothing is sent until the user presses the button or Ctrl+Enter. */
  constructor(options: CommentForm.IOptions) {
    const { trans } = options;
    this._options = options;
    this.node = element('form', 'jp-NotebookGallery-commentForm');
    this.node.noValidate = true;
    this.textarea = element('textarea', 'jp-mod-styled jp-NotebookGallery-commentInput');
    this.textarea.id = `jp-NotebookGallery-comment-${UUID.uuid4()}`;
    this.textarea.rows = options.rows ?? 3;
    this.textarea.maxLength = COMMENT_BODY_MAX_LENGTH;
    this.textarea.value = options.value ?? '';
    const label = element('label', 'jp-NotebookGallery-label', options.label);
    label.htmlFor = this.textarea.id;
    const hint = element(
      'span',
      'jp-NotebookGallery-hint',
      trans.__('Markdown. Type @ and a name to mention someone. Ctrl+Enter sends.')
    );
    hint.id = `${this.textarea.id}-hint`;
    this.textarea.setAttribute('aria-describedby', hint.id);
    this._status = element('p', 'jp-NotebookGallery-commentError');
    this._status.setAttribute('role', 'alert');
    this._status.hidden = true;

    this._suggestions = new SuggestionList<string>({
      input: this.textarea,
      label: trans.__('People to mention'),
      delay: options.suggestionDelay ?? 150,
      query: input => CommentForm.mentionAtCaret(input.value, input.selectionStart ?? input.value.length),
      fetch: async prefix => (await options.client.findPrincipals(prefix)).users.map(user => user.username),
      render: (username, option) => {
        option.append(element('span', 'jp-NotebookGallery-suggestionName', `@${username}`));
      },
      pick: username => this._insertMention(username)
    });

    const buttons = element('div', 'jp-NotebookGallery-commentButtons');
    this._send = element('button', 'jp-mod-styled jp-mod-accept', options.sendLabel);
    this._send.type = 'submit';
    buttons.append(this._send);
    if (options.onCancel) {
      const cancel = element('button', 'jp-mod-styled jp-mod-reject', trans.__('Cancel'));
      cancel.type = 'button';
      cancel.addEventListener('click', () => options.onCancel?.());
      buttons.append(cancel);
    }
    this.node.append(label, this.textarea, this._suggestions.node, hint, this._status, buttons);

    this.textarea.addEventListener('keydown', this._onKeydown);
    this.textarea.addEventListener('input', () => options.onInput?.(this.textarea.value));
    this.node.addEventListener('submit', event => {
      event.preventDefault();
      void this.submit();
    });
  }

  /** The form. */
  readonly node: HTMLFormElement;
  /** The text box, to focus or to read. */
  readonly textarea: HTMLTextAreaElement;

  /** Turn sending on or off, with a sentence saying why it is off (null: none). */
  setBlocked(reason: string | null): void {
    this._blocked = reason;
    this._send.disabled = reason !== null || this._busy;
    this.showMessage(reason);
  }

  /** Show `message` under the box (null hides it). */
  showMessage(message: string | null): void {
    this._status.textContent = message ?? '';
    this._status.hidden = message === null;
  }

  /** Send what the box holds; on success it empties, on failure it keeps the text and says why. */
  async submit(): Promise<void> {
    const body = this.textarea.value;
    if (this._busy || this._blocked !== null) {
      return;
    }
    if (!body.trim()) {
      this.showMessage(this._options.trans.__('Write something first.'));
      this.textarea.focus();
      return;
    }
    this._busy = true;
    this._send.disabled = true;
    this.showMessage(null);
    try {
      const error = await this._options.onSend(body);
      if (error === null) {
        this.textarea.value = '';
      } else {
        this.showMessage(error);
        this.textarea.focus();
      }
    } finally {
      this._busy = false;
      this._send.disabled = this._blocked !== null;
    }
  }

  dispose(): void {
    this._suggestions.dispose();
    this.textarea.removeEventListener('keydown', this._onKeydown);
  }

  private _onKeydown = (event: KeyboardEvent): void => {
    if (this._suggestions.handleKeydown(event)) {
      return;
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void this.submit();
    } else if (event.key === 'Escape' && this._options.onCancel) {
      event.preventDefault();
      this._options.onCancel();
    }
    // Keys typed here are text, not notebook shortcuts.
    event.stopPropagation();
  };

  /** Replace the `@partial` before the caret with `@username `. */
  private _insertMention(username: string): void {
    const box = this.textarea;
    const caret = box.selectionStart ?? box.value.length;
    const partial = CommentForm.mentionAtCaret(box.value, caret) ?? '';
    const start = caret - partial.length;
    box.value = `${box.value.slice(0, start)}${username} ${box.value.slice(caret)}`;
    const next = start + username.length + 1;
    box.setSelectionRange(next, next);
    box.focus();
    this._options.onInput?.(box.value);
  }

  private _options: CommentForm.IOptions;
  private _suggestions: SuggestionList<string>;
  private _send: HTMLButtonElement;
  private _status: HTMLElement;
  private _busy = false;
  private _blocked: string | null = null;
}

/** Options and helpers of the comment form. */
export namespace CommentForm {
  /** Construction options. */
  export interface IOptions {
    client: IGalleryClient;
    trans: TranslationBundle;
    /** The text area's visible label. */
    label: string;
    /** The send button's text. */
    sendLabel: string;
    /** Text to start with (an edit). */
    value?: string;
    rows?: number;
    /** Send `body`: resolves to null when it was accepted, else the sentence to show. */
    onSend(body: string): Promise<string | null>;
    /** Offer Cancel (and Escape) that calls this. */
    onCancel?: () => void;
    /** Called with the text as it changes, so a re-render can keep it. */
    onInput?: (value: string) => void;
    /** Milliseconds of typing pause before names are looked up. */
    suggestionDelay?: number;
  }

  /** How a mention starts, as the server reads it: `@` not preceded by a word character or `@`. */
  const PARTIAL_MENTION = /(?:^|[^A-Za-z0-9._@-])@([A-Za-z0-9][A-Za-z0-9._-]{0,63})$/;

  /** The start of the username being typed just before `caret` (after an `@`), or null when none is. */
  export function mentionAtCaret(text: string, caret: number): string | null {
    return PARTIAL_MENTION.exec(text.slice(0, caret))?.[1] ?? null;
  }
}
