import { filterToken, hasWord, type FilterKey, type IFacetValue, type IFacetsResponse } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { UUID } from '@lumino/coreutils';
import { element } from './dom';

/**
 * Chips for the most frequent tags, owners and languages of the current result. A chip is a toggle button: pressing
 * it adds `tag:x`, `owner:y` or `lang:z` to the search, pressing it again takes that back out.
 */
export class SearchFacets {
  /** Create the chips area; a chip calls `options.toggle` with the query word it stands for. */
  constructor(options: SearchFacets.IOptions) {
    this._trans = options.trans;
    this._toggle = options.toggle;
    this.node = element('div', 'jp-NotebookGallery-facets');
    this.node.setAttribute('role', 'group');
    this.node.setAttribute('aria-label', options.trans.__('Narrow the search'));
    this.node.hidden = true;
  }

  /** The chips area. */
  readonly node: HTMLElement;

  /** Show the chips of `facets` (none when null), pressed where `query` already has their word. */
  update(facets: IFacetsResponse | null, query: string): void {
    if (facets === this._facets && query === this._query) {
      return;
    }
    this._facets = facets;
    this._query = query;
    const trans = this._trans;
    // Keep the keyboard on the chip it was on: the chips are rebuilt after each search a chip starts.
    const focused = this.node.contains(document.activeElement)
      ? (document.activeElement as HTMLElement).dataset.token
      : undefined;
    const groups: Array<[FilterKey, string, IFacetValue[]]> = facets
      ? [
          ['tag', trans.__('Tags'), facets.tags],
          ['owner', trans.__('Owners'), facets.owners],
          ['lang', trans.__('Languages'), facets.languages]
        ]
      : [];
    const nodes = groups
      .filter(([, , values]) => values.length > 0)
      .map(([key, label, values]) => this._group(key, label, values, query));
    this.node.replaceChildren(...nodes);
    this.node.hidden = nodes.length === 0;
    if (focused !== undefined) {
      Array.from(this.node.querySelectorAll<HTMLElement>('.jp-NotebookGallery-chip'))
        .find(chip => chip.dataset.token === focused)
        ?.focus();
    }
  }

  private _group(key: FilterKey, label: string, values: IFacetValue[], query: string): HTMLElement {
    const group = element('div', 'jp-NotebookGallery-facetGroup');
    group.setAttribute('role', 'group');
    const heading = element('span', 'jp-NotebookGallery-facetLabel', label);
    heading.id = `jp-NotebookGallery-facet-${key}-${UUID.uuid4()}`;
    group.setAttribute('aria-labelledby', heading.id);
    group.append(heading);
    for (const { value, count } of values) {
      const token = filterToken(key, value);
      const pressed = hasWord(query, token);
      const chip = element('button', 'jp-NotebookGallery-chip');
      chip.type = 'button';
      chip.dataset.token = token;
      chip.setAttribute('aria-pressed', String(pressed));
      chip.classList.toggle('jp-mod-pressed', pressed);
      chip.append(
        element('span', 'jp-NotebookGallery-chipValue', value),
        element('span', 'jp-NotebookGallery-chipCount', String(count))
      );
      chip.setAttribute('aria-label', this._trans._n('%2, %1 notebook', '%2, %1 notebooks', count, value));
      chip.title = pressed
        ? this._trans.__('Remove %1 from the search', token)
        : this._trans.__('Add %1 to the search', token);
      chip.addEventListener('click', () => this._toggle(token));
      group.append(chip);
    }
    return group;
  }

  private _trans: TranslationBundle;
  private _toggle: (token: string) => void;
  private _facets: IFacetsResponse | null = null;
  private _query = '';
}

/** Options of the search facets. */
export namespace SearchFacets {
  /** Construction options. */
  export interface IOptions {
    trans: TranslationBundle;
    /** Add the query word (`tag:x`) to the search, or take it out; then search. */
    toggle: (token: string) => void;
  }
}
