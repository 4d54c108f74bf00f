import type { ITagsResponse } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { UUID } from '@lumino/coreutils';
import type { IGalleryClient } from '../tokens';
import { element } from './dom';
import { filterToken, wordAt } from './queryTokens';

/**
 * Suggests tags while the user types `tag:` in the search box, as a combobox: the box owns a listbox of
 * suggestions, arrows move through them (`aria-activedescendant`), Enter takes one and Escape closes the list.
 */
export class TagAutocomplete {
  /** Turn `options.input` into a combobox and put the suggestion list in `node`, to place under it. */
  constructor(options: TagAutocomplete.IOptions) {
    this._input = options.input;
    this._client = options.client;
    this._trans = options.trans;
    this._picked = options.picked;
    this._delay = options.delay ?? 100;
    this.node = element('ul', 'jp-NotebookGallery-suggestions');
    this.node.id = `jp-NotebookGallery-tags-${UUID.uuid4()}`;
    this.node.setAttribute('role', 'listbox');
    this.node.setAttribute('aria-label', options.trans.__('Tag suggestions'));
    this.node.hidden = true;
    const input = this._input;
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', this.node.id);
    input.setAttribute('aria-expanded', 'false');
    input.addEventListener('input', this._onInput);
    input.addEventListener('blur', this._onBlur);
    // A click on a suggestion must not take the focus from the box first.
    this.node.addEventListener('mousedown', event => event.preventDefault());
  }

  /** The listbox. */
  readonly node: HTMLUListElement;

  /** Whether suggestions are showing. */
  get isOpen(): boolean {
    return !this.node.hidden;
  }

  /**
   * Handle a key pressed in the box while suggestions show; true when it was for the list (the caller then does
   * nothing more with it).
   */
  handleKeydown(event: KeyboardEvent): boolean {
    if (!this.isOpen) {
      return false;
    }
    const count = this._suggestions.length;
    switch (event.key) {
      case 'ArrowDown':
        this._activate(this._active + 1 >= count ? 0 : this._active + 1);
        break;
      case 'ArrowUp':
        this._activate(this._active <= 0 ? count - 1 : this._active - 1);
        break;
      case 'Enter':
        if (this._active === -1) {
          // Nothing chosen: Enter searches for what was typed.
          this.close();
          return false;
        }
        this._pick(this._suggestions[this._active]);
        break;
      case 'Escape':
        this.close();
        break;
      default:
        return false;
    }
    event.preventDefault();
    event.stopPropagation();
    return true;
  }

  /** Hide the suggestions. */
  close(): void {
    window.clearTimeout(this._timer);
    this._generation++;
    this._suggestions = [];
    this._active = -1;
    this.node.replaceChildren();
    this.node.hidden = true;
    this._input.setAttribute('aria-expanded', 'false');
    this._input.removeAttribute('aria-activedescendant');
  }

  dispose(): void {
    this.close();
    this._input.removeEventListener('input', this._onInput);
    this._input.removeEventListener('blur', this._onBlur);
  }

  private _onInput = (): void => {
    window.clearTimeout(this._timer);
    const prefix = this._typedTag();
    if (prefix === null) {
      this.close();
      return;
    }
    this._timer = window.setTimeout(() => void this._suggest(prefix), this._delay);
  };

  private _onBlur = (): void => {
    this.close();
  };

  /** What follows `tag:` in the word at the caret, or null when the caret is not in a `tag:` word. */
  private _typedTag(): string | null {
    const caret = this._input.selectionStart ?? this._input.value.length;
    const match = /^-?tag:"?([^"]*)$/i.exec(wordAt(this._input.value, caret).word);
    return match ? match[1] : null;
  }

  private async _suggest(prefix: string): Promise<void> {
    const generation = ++this._generation;
    let suggestions: ITagsResponse['items'];
    try {
      suggestions = await this._client.suggestTags(prefix, 8);
    } catch {
      // Suggestions are a convenience: searching still works, and the list reports a broken connection.
      suggestions = [];
    }
    if (generation !== this._generation || document.activeElement !== this._input) {
      return;
    }
    this._suggestions = suggestions;
    this._active = -1;
    this._input.removeAttribute('aria-activedescendant');
    this.node.replaceChildren(
      ...suggestions.map((suggestion, index) => {
        const option = element('li', 'jp-NotebookGallery-suggestion');
        option.id = `${this.node.id}-${index}`;
        option.setAttribute('role', 'option');
        option.setAttribute('aria-selected', 'false');
        option.append(
          element('span', 'jp-NotebookGallery-suggestionTag', suggestion.tag),
          element('span', 'jp-NotebookGallery-chipCount', String(suggestion.count))
        );
        option.title = this._trans._n('%2: %1 notebook', '%2: %1 notebooks', suggestion.count, suggestion.tag);
        option.addEventListener('click', () => this._pick(suggestion));
        return option;
      })
    );
    const open = suggestions.length > 0;
    this.node.hidden = !open;
    this._input.setAttribute('aria-expanded', String(open));
  }

  private _activate(index: number): void {
    const options = Array.from(this.node.children) as HTMLElement[];
    options.forEach((option, i) => {
      option.setAttribute('aria-selected', String(i === index));
      option.classList.toggle('jp-mod-active', i === index);
    });
    this._active = index;
    const active = options[index];
    if (active) {
      this._input.setAttribute('aria-activedescendant', active.id);
      active.scrollIntoView?.({ block: 'nearest' });
    }
  }

  /** Put `tag:<suggestion>` in place of the word being typed, then let the browser search. */
  private _pick(suggestion: ITagsResponse['items'][number]): void {
    const input = this._input;
    const caret = input.selectionStart ?? input.value.length;
    const { word, start, end } = wordAt(input.value, caret);
    const negated = word.startsWith('-') ? '-' : '';
    const replacement = `${negated}${filterToken('tag', suggestion.tag)} `;
    const after = input.value.slice(end).replace(/^\s+/, '');
    input.value = `${input.value.slice(0, start)}${replacement}${after}`;
    const position = start + replacement.length;
    input.setSelectionRange(position, position);
    this.close();
    this._picked();
  }

  private _input: HTMLInputElement;
  private _client: IGalleryClient;
  private _trans: TranslationBundle;
  private _picked: () => void;
  private _delay: number;
  private _timer = 0;
  private _generation = 0;
  private _suggestions: ITagsResponse['items'] = [];
  private _active = -1;
}

/** Options of the tag autocomplete. */
export namespace TagAutocomplete {
  /** Construction options. */
  export interface IOptions {
    /** The search box. */
    input: HTMLInputElement;
    client: IGalleryClient;
    trans: TranslationBundle;
    /** Called after a suggestion replaced the word being typed, to search for the new text. */
    picked: () => void;
    /** Milliseconds of typing pause before asking for suggestions; 100 by default. */
    delay?: number;
  }
}
