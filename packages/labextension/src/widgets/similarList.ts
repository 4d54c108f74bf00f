import type { INotebookSummary, ISimilarNotebook, ISimilarResponse } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import { UUID } from '@lumino/coreutils';
import { element } from './dom';

/**
 * The two lists under a preview: notebooks like this one (with why), and what people who opened this one also
 * opened. Each item previews its notebook.
 */
export function similarList(
  trans: TranslationBundle,
  similar: ISimilarResponse,
  preview: (id: string) => void
): HTMLElement {
  const node = element('div', 'jp-NotebookGallery-similar');
  node.append(
    Private.section(
      trans,
      trans.__('Similar notebooks'),
      similar.similar,
      trans.__('No similar notebooks yet: none share enough packages or words with this one.'),
      preview
    ),
    Private.section(
      trans,
      trans.__('People who opened this also opened'),
      similar.alsoOpened,
      trans.__('Nobody who opened this notebook has opened others yet.'),
      preview
    )
  );
  return node;
}

namespace Private {
  export function section(
    trans: TranslationBundle,
    title: string,
    items: ReadonlyArray<INotebookSummary | ISimilarNotebook>,
    empty: string,
    preview: (id: string) => void
  ): HTMLElement {
    const section = element('section', 'jp-NotebookGallery-similarSection');
    const heading = element('h3', 'jp-NotebookGallery-similarHeading', title);
    heading.id = `jp-NotebookGallery-similar-${UUID.uuid4()}`;
    section.setAttribute('aria-labelledby', heading.id);
    section.append(heading);
    if (items.length === 0) {
      section.append(element('p', 'jp-NotebookGallery-similarEmpty', empty));
      return section;
    }
    const list = element('ul', 'jp-NotebookGallery-similarList');
    for (const item of items) {
      const li = element('li', 'jp-NotebookGallery-similarItem');
      const button = element('button', 'jp-NotebookGallery-similarButton');
      button.type = 'button';
      button.dataset.id = item.id;
      button.append(element('span', 'jp-NotebookGallery-similarTitle', item.title));
      const reasons = 'reasons' in item ? item.reasons : [];
      const owner = element('span', 'jp-NotebookGallery-similarMeta', trans.__('by %1', item.owner));
      button.append(owner);
      if (reasons.length > 0) {
        button.append(element('span', 'jp-NotebookGallery-similarMeta', reasons.join(', ')));
      }
      button.setAttribute(
        'aria-label',
        trans.__('Preview %1', [item.title, trans.__('by %1', item.owner), ...reasons].join(', '))
      );
      button.addEventListener('click', () => preview(item.id));
      li.append(button);
      list.append(li);
    }
    section.append(list);
    return section;
  }
}
