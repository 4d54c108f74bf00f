import { filterToken, wordAt, type ITagsResponse } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IGalleryClient } from '../tokens';
import { element } from './dom';
import { SuggestionList } from './suggestionList';

type TagSuggestion = ITagsResponse['items'][number];

/**
 * Suggests tags while the user types `tag:` in the search box, as a combobox (see {@link SuggestionList}): taking
 * one puts `tag:<name>` in place of the word being typed and searches.
 */
export class TagAutocomplete {
  /** Turn `options.input` into a combobox and put the suggestion list in `node`, to place under it. */
  constructor(options: TagAutocomplete.IOptions) {
    const { input, client, trans, picked } = options;
    this._list = new SuggestionList<TagSuggestion>({
      input,
      label: trans.__('Tag suggestions'),
      delay: options.delay,
      query: Private.typedTag,
      fetch: prefix => client.suggestTags(prefix, 8),
      render: (suggestion, option) => {
        option.append(
          element('span', 'jp-NotebookGallery-suggestionTag', suggestion.tag),
          element('span', 'jp-NotebookGallery-chipCount', String(suggestion.count))
        );
        option.title = trans._n('%2: %1 notebook', '%2: %1 notebooks', suggestion.count, suggestion.tag);
      },
      pick: suggestion => {
        Private.replaceWord(input, suggestion.tag);
        picked();
      }
    });
    this.node = this._list.node;
  }

  /** The listbox. */
  readonly node: HTMLUListElement;

  /** Whether suggestions are showing. */
  get isOpen(): boolean {
    return this._list.isOpen;
  }

  /**
   * Handle a key pressed in the box while suggestions show; true when it was for the list (the caller then does
   * nothing more with it). Enter with nothing chosen is left to the caller, which searches for what was typed.
   */
  handleKeydown(event: KeyboardEvent): boolean {
    return this._list.handleKeydown(event);
  }

  /** Hide the suggestions. */
  close(): void {
    this._list.close();
  }

  dispose(): void {
    this._list.dispose();
  }

  private _list: SuggestionList<TagSuggestion>;
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

namespace Private {
  /** What follows `tag:` in the word at the caret, or null when the caret is not in a `tag:` word. */
  export function typedTag(input: HTMLInputElement): string | null {
    const caret = input.selectionStart ?? input.value.length;
    const match = /^-?tag:"?([^"]*)$/i.exec(wordAt(input.value, caret).word);
    return match ? match[1] : null;
  }

  /** Put `tag:<tag>` (negated if the word was) in place of the word at the caret, and the caret after it. */
  export function replaceWord(input: HTMLInputElement, tag: string): void {
    const caret = input.selectionStart ?? input.value.length;
    const { word, start, end } = wordAt(input.value, caret);
    const negated = word.startsWith('-') ? '-' : '';
    const replacement = `${negated}${filterToken('tag', tag)} `;
    const after = input.value.slice(end).replace(/^\s+/, '');
    input.value = `${input.value.slice(0, start)}${replacement}${after}`;
    const position = start + replacement.length;
    input.setSelectionRange(position, position);
  }
}
