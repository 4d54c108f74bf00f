import { UUID } from '@lumino/coreutils';
import { element } from './dom';

/**
 * Suggestions for a text box, as a WAI-ARIA combobox: the box owns a listbox of suggestions, arrows move through
 * them (`aria-activedescendant`, so the focus stays in the box), Enter takes one and Escape closes the list. What to
 * look up, how to show a suggestion and what taking one does are the owner's; the tag suggestions of the search box
 * and the share dialog's people and groups both use it.
 */
export class SuggestionList<T> {
  /** Turn `options.input` into a combobox and put the listbox in `node`, to place under it. */
  constructor(options: SuggestionList.IOptions<T>) {
    this._options = options;
    this._input = options.input;
    this._delay = options.delay ?? 100;
    this.node = element('ul', 'jp-NotebookGallery-suggestions');
    this.node.id = `jp-NotebookGallery-suggestions-${UUID.uuid4()}`;
    this.node.setAttribute('role', 'listbox');
    this.node.setAttribute('aria-label', options.label);
    this.node.hidden = true;
    const input = this._input;
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', this.node.id);
    input.setAttribute('aria-expanded', 'false');
    input.addEventListener('input', this._onInput);
    input.addEventListener('blur', this._onBlur);
    input.addEventListener('focus', this._onFocus);
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
   * nothing more with it). Enter with no suggestion chosen closes the list and is left to the caller.
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

  /** Hide the suggestions, and forget any that are still on their way. */
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
    this._input.removeEventListener('focus', this._onFocus);
  }

  private _onInput = (): void => {
    window.clearTimeout(this._timer);
    const query = this._options.query(this._input);
    if (query === null) {
      this.close();
      return;
    }
    this._timer = window.setTimeout(() => void this._suggest(query), this._delay);
  };

  private _onBlur = (): void => {
    this.close();
  };

  /**
   * Coming back to a box that holds text shows its suggestions again. Leaving the box closes them (and drops a lookup
   * on its way), so without this a box that lost the focus for a moment, say to a dialog placing its first focus
   * while the user had started typing, would stay without suggestions until the next keystroke.
   */
  private _onFocus = (): void => {
    if (!this.isOpen) {
      this._onInput();
    }
  };

  private async _suggest(query: string): Promise<void> {
    const generation = ++this._generation;
    let suggestions: T[];
    try {
      suggestions = await this._options.fetch(query);
    } catch {
      // Suggestions are a convenience: what was typed still works without them.
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
        this._options.render(suggestion, option);
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

  private _pick(suggestion: T): void {
    this.close();
    this._options.pick(suggestion);
  }

  private _options: SuggestionList.IOptions<T>;
  private _input: SuggestionList.TextBox;
  private _delay: number;
  private _timer = 0;
  private _generation = 0;
  private _suggestions: T[] = [];
  private _active = -1;
}

/** Options of the suggestion list. */
export namespace SuggestionList {
  /** A box the list can serve: a one-line input, or a text area (a comment with `@mentions`). */
  export type TextBox = HTMLInputElement | HTMLTextAreaElement;

  /** Construction options. */
  export interface IOptions<T> {
    /** The text box. */
    input: SuggestionList.TextBox;
    /** The listbox's name for screen readers, e.g. "Tag suggestions". */
    label: string;
    /** What to look up for what the box holds now, or null for nothing (the list closes). */
    query(input: SuggestionList.TextBox): string | null;
    /** The suggestions for `query`; a failure shows none. */
    fetch(query: string): Promise<T[]>;
    /** Fill `option`, an empty `role="option"` item, with what it says; its text is its accessible name. */
    render(suggestion: T, option: HTMLLIElement): void;
    /** The user took `suggestion` (the list has closed). */
    pick(suggestion: T): void;
    /** Milliseconds of typing pause before looking up; 100 by default. */
    delay?: number;
  }
}
