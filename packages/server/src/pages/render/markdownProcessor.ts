import type { Element, Root } from 'hast';
import { rehypeAttachmentImages, type CellAttachments } from './attachmentImages';
import type { IRenderLibraries } from './renderLibraries';
import { sanitizeSchema } from './sanitizeSchema';

/** Markdown to hast: the unified pipeline every markdown cell, description and comment goes through. */
export interface IMarkdownProcessor {
  /** `text` as sanitized hast, with math and fenced code rendered; `attachments` are the cell's, if any. */
  toHast(text: string, attachments?: CellAttachments): Root;
}

/** What links in user-written markdown carry: no ranking credit, no `window.opener`, no Referer. */
export const LINK_REL = ['nofollow', 'noopener', 'noreferrer'];

/**
 * The pipeline, in this order (the order is the security argument):
 * 1. remark-parse, remark-gfm, remark-math: markdown with tables, task lists, strikethrough, autolinks and `$math$`;
 * 2. remark-rehype keeping raw HTML, then rehype-raw parsing it into the tree like any other element;
 * 3. rehype-sanitize with {@link sanitizeSchema}: everything the author wrote, raw HTML included, is checked here;
 * 4. attachment images resolved (or replaced by text), link `rel`;
 * 5. KaTeX (MathML output, `trust: false`) and highlight.js (class-based spans), which run after the sanitizer so
 *    their markup survives, and which add no attributes that run script: KaTeX without `trust` renders `\href`,
 *    `\htmlClass` and friends as plain red text.
 */
export function createMarkdownProcessor(libraries: IRenderLibraries): IMarkdownProcessor {
  const processor = libraries
    .unified()
    .use(libraries.remarkParse)
    .use(libraries.remarkGfm)
    .use(libraries.remarkMath)
    .use(libraries.remarkRehype, { allowDangerousHtml: true })
    .use(libraries.rehypeRaw)
    .use(libraries.rehypeSanitize, sanitizeSchema(libraries.defaultSchema))
    .use(rehypeAttachmentImages)
    .use(rehypeLinkRel)
    // rehype-katex sets throwOnError itself: it renders what KaTeX cannot parse as an error span, never throws.
    .use(libraries.rehypeKatex, { output: 'mathml', trust: false, strict: 'ignore' })
    .use(rehypeMathErrors)
    .use(libraries.rehypeHighlight, { detect: false })
    .freeze();
  return {
    toHast(text, attachments) {
      const file = { value: text, data: { attachments } };
      return processor.runSync(processor.parse(file), file) as Root;
    }
  };
}

/** Every link gets {@link LINK_REL}; in-page links (footnotes) need none. */
function rehypeLinkRel() {
  return (tree: Root): void => {
    Private.visitElements(tree, element => {
      const href = element.properties.href;
      if (element.tagName === 'a' && typeof href === 'string' && !href.startsWith('#')) {
        element.properties.rel = [...LINK_REL];
      }
    });
  };
}

/**
 * rehype-katex shows math KaTeX cannot parse as its source in a `<span class="katex-error" style="color:…">`: the
 * pages' Content-Security-Policy (`style-src 'self'`) blocks such inline styles, so the colour comes from
 * notebook.css and the attribute is dropped.
 */
function rehypeMathErrors() {
  return (tree: Root): void => {
    Private.visitElements(tree, element => {
      const className = element.properties.className;
      if (Array.isArray(className) && className.includes('katex-error')) {
        delete element.properties.style;
      }
    });
  };
}

namespace Private {
  /** Calls `visit` on every element below `parent`, depth first. */
  export function visitElements(parent: Root | Element, visit: (element: Element) => void): void {
    for (const child of parent.children) {
      if (child.type === 'element') {
        visit(child);
        visitElements(child, visit);
      }
    }
  }
}
