import type { NotebookSort } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { element } from './dom';

/** The orders the sidebar offers, as `[value, label]`; the empty value is the server's default. */
export function sortOptions(trans: TranslationBundle): Array<[NotebookSort | '', string]> {
  return [
    ['', trans.__('Best match')],
    ['updated', trans.__('Recently updated')],
    ['created', trans.__('Newest')],
    ['title', trans.__('Title')],
    ['stars', trans.__('Most starred')],
    ['views', trans.__('Most viewed')],
    ['runs', trans.__('Most run')],
    ['health', trans.__('Healthiest')],
    ['trending', trans.__('Trending')]
  ];
}

/** A select of the sorts, labelled for screen readers by `label`'s text. */
export function sortSelect(trans: TranslationBundle, id: string): HTMLSelectElement {
  const select = element('select', 'jp-mod-styled jp-NotebookGallery-select jp-NotebookGallery-sort');
  select.id = id;
  select.title = trans.__('Best match orders by relevance while searching, and by latest update otherwise');
  for (const [value, text] of sortOptions(trans)) {
    const option = element('option', '', text);
    option.value = value;
    select.append(option);
  }
  return select;
}
