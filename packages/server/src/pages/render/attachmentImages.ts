import type { MultilineString } from '@notebook-gallery/core';
import type { Element, ElementContent, Root } from 'hast';
import { ATTACHMENT_PROTOCOL } from './sanitizeSchema';

/** A markdown cell's attachments as nbformat stores them: name to MIME bundle. Names and types are untrusted. */
export type CellAttachments = Record<string, Record<string, MultilineString>>;

/**
 * The image types an attachment may be shown as. SVG is safe here because it is only ever the `src` of an `<img>`,
 * where browsers run no script and load nothing it references.
 */
export const IMAGE_ATTACHMENT_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/svg+xml'
];

/** Base64 as nbformat stores binary MIME data; line breaks allowed, nothing else. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * A rehype plugin, run right after the sanitizer: every `<img src="attachment:NAME">` becomes the cell's attachment
 * NAME as a `data:` URL when it holds an image type of {@link IMAGE_ATTACHMENT_TYPES}, and otherwise a text
 * placeholder that says which image is missing. The attachments come from `file.data.attachments` (none for
 * descriptions and comments), so one processor serves every cell.
 */
export function rehypeAttachmentImages() {
  return (tree: Root, file: { data: unknown }): void => {
    const { attachments } = file.data as { attachments?: CellAttachments };
    Private.replaceImages(tree, image => {
      const src = image.properties.src;
      if (typeof src !== 'string' || !src.toLowerCase().startsWith(`${ATTACHMENT_PROTOCOL}:`)) {
        return image;
      }
      const name = src.slice(ATTACHMENT_PROTOCOL.length + 1);
      const url = attachments && Private.dataUrl(attachments, name);
      return url === undefined
        ? Private.placeholder(image, name)
        : { ...image, properties: { ...image.properties, src: url } };
    });
  };
}

namespace Private {
  /** Visits every element below `parent`, replacing each `<img>` by what `replace` returns for it. */
  export function replaceImages(parent: Root | Element, replace: (image: Element) => ElementContent): void {
    parent.children.forEach((child, index) => {
      if (child.type !== 'element') {
        return;
      }
      if (child.tagName === 'img') {
        parent.children[index] = replace(child);
      } else {
        replaceImages(child, replace);
      }
    });
  }

  /** The attachment as a `data:` URL, or undefined when there is no such attachment or it holds no allowed image. */
  export function dataUrl(attachments: CellAttachments, name: string): string | undefined {
    const bundle = lookUp(attachments, name) ?? lookUp(attachments, decoded(name));
    if (bundle === undefined || typeof bundle !== 'object' || bundle === null) {
      return undefined;
    }
    for (const type of IMAGE_ATTACHMENT_TYPES) {
      const data = lookUp(bundle, type);
      const text =
        typeof data === 'string'
          ? data
          : Array.isArray(data) && data.every(line => typeof line === 'string')
            ? data.join('')
            : undefined;
      if (text === undefined) {
        continue;
      }
      // nbformat keeps SVG as text and every other image type as base64.
      const base64 =
        type === 'image/svg+xml' && text.trimStart().startsWith('<')
          ? Buffer.from(text, 'utf8').toString('base64')
          : text.replace(/\s+/g, '');
      if (base64 !== '' && BASE64.test(base64)) {
        return `data:${type};base64,${base64}`;
      }
    }
    return undefined;
  }

  /** Own properties only: an attachment named `__proto__` or `constructor` is just a missing attachment. */
  function lookUp<T>(record: Record<string, T>, key: string | undefined): T | undefined {
    return key !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
  }

  /** markdown percent-encodes a URL's spaces and non-ASCII letters; attachment names are stored as typed. */
  function decoded(name: string): string | undefined {
    try {
      return decodeURIComponent(name);
    } catch {
      return undefined;
    }
  }

  /** What a reader sees instead of an attachment that cannot be shown: its alt text and name, as text. */
  export function placeholder(image: Element, name: string): Element {
    const alt =
      typeof image.properties.alt === 'string' && image.properties.alt.trim() !== '' ? image.properties.alt : undefined;
    const shown = decoded(name) ?? name;
    return {
      type: 'element',
      tagName: 'span',
      properties: { className: ['nb-missing-image'] },
      children: [
        {
          type: 'text',
          value: alt === undefined ? `[image "${shown}" not shown]` : `[image not shown: ${alt} ("${shown}")]`
        }
      ]
    };
  }
}
