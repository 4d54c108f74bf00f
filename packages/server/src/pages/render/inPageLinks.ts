import type { Element, ElementContent } from 'hast';

/** The prefix rehype-sanitize gives every id and name an author wrote, so none can clobber the page's own. */
export const USER_CONTENT_PREFIX = 'user-content-';

const HEADING = /^h[1-6]$/;
/** Properties that name an element by id, and those that refer to one. */
const ID_PROPERTIES = ['id', 'name'] as const;
const ID_REFERENCES = ['ariaDescribedBy', 'ariaLabelledBy'] as const;

/**
 * Makes links inside a notebook work, as they do in Jupyter: headings get Jupyter's anchor (`## Inference - Wald` is
 * `#Inference---Wald`), and every id an author wrote (`<a id="results">`, footnotes) is made unique per cell, as
 * `user-content-cell-N-…`. A link `#x` then points at `x` in its own cell, else at the first `x` of the notebook;
 * a link to nothing is left as written. Ids keep the sanitizer's prefix, so they never clobber the page's (`cell-7`).
 * `bodies` are the cells' bodies in order (not the `<li>`s: the cell numbers' own `#cell-N` links stay as they are),
 * changed in place.
 */
export function linkInPage(bodies: readonly Element[]): void {
  const notebookIds = new Map<string, string>();
  const cellIds = bodies.map((cell, index) => {
    const scope = `${USER_CONTENT_PREFIX}cell-${index + 1}-`;
    const ids = new Map<string, string>();
    Private.visit(cell, element => {
      if (HEADING.test(element.tagName) && element.properties.id === undefined) {
        element.properties.id = `${USER_CONTENT_PREFIX}${Private.textOf(element).trim().replace(/ /g, '-')}`;
      }
      for (const property of ID_PROPERTIES) {
        const value = element.properties[property];
        if (typeof value === 'string' && value.startsWith(USER_CONTENT_PREFIX)) {
          const written = value.slice(USER_CONTENT_PREFIX.length);
          const unique = `${scope}${written}`;
          element.properties[property] = unique;
          if (!ids.has(written)) {
            ids.set(written, unique);
          }
          if (!notebookIds.has(written)) {
            notebookIds.set(written, unique);
          }
        }
      }
    });
    return ids;
  });
  bodies.forEach((cell, index) => {
    const ids = cellIds[index];
    Private.visit(cell, element => {
      for (const property of ID_REFERENCES) {
        const value = element.properties[property];
        if (Array.isArray(value)) {
          element.properties[property] = value.map(ref => {
            const written = String(ref).startsWith(USER_CONTENT_PREFIX)
              ? String(ref).slice(USER_CONTENT_PREFIX.length)
              : String(ref);
            return ids.get(written) ?? ref;
          });
        }
      }
      const href = element.properties.href;
      if (element.tagName === 'a' && typeof href === 'string' && href.startsWith('#')) {
        const written = Private.decoded(href.slice(1));
        const target = ids.get(written) ?? notebookIds.get(written);
        if (target !== undefined) {
          element.properties.href = `#${target}`;
        }
      }
    });
  });
}

namespace Private {
  export function visit(parent: Element, each: (element: Element) => void): void {
    for (const child of parent.children) {
      if (child.type === 'element') {
        each(child);
        visit(child, each);
      }
    }
  }

  export function textOf(node: Element): string {
    return node.children
      .map((child: ElementContent) =>
        child.type === 'text' ? child.value : child.type === 'element' ? textOf(child) : ''
      )
      .join('');
  }

  export function decoded(fragment: string): string {
    try {
      return decodeURIComponent(fragment);
    } catch {
      return fragment;
    }
  }
}
