import type { Element, Root } from 'hast';
import { rehypeAttachmentImages, type CellAttachments } from './attachmentImages';
import type { IRenderLibraries } from './renderLibraries';
import { sanitizeSchema } from './sanitizeSchema';

/** Markdown to hast: the unified pipeline every markdown cell, description and comment goes through. */
export interface IMarkdownProcessor {
  /** `text` as sanitized hast, with math and fenced code rendered. */
  toHast(text: string, context: IMarkdownContext): Root;
}

/** What one text is rendered with. */
export interface IMarkdownContext {
  /** The cell's attachments, if any. */
  attachments?: CellAttachments;
  /**
   * Formulas KaTeX may still render, shared by the cells of one notebook and decremented as they render: the rest
   * show their TeX source. KaTeX takes about half a millisecond a formula, so a cell of `$x$ $x$ …` would otherwise
   * cost seconds.
   */
  formulas: { remaining: number };
}

/** What links in user-written markdown carry: no ranking credit, no `window.opener`, no Referer. */
export const LINK_REL = ['nofollow', 'noopener', 'noreferrer'];

/**
 * The pipeline, in this order (the order is the security argument):
 * 1. remark-parse, remark-gfm, remark-math: markdown with tables, task lists, strikethrough, autolinks and `$math$`;
 * 2. remark-rehype keeping raw HTML, then rehype-raw parsing it into the tree like any other element;
 * 3. rehype-sanitize with {@link sanitizeSchema}: everything the author wrote, raw HTML included, is checked here;
 * 4. attachment images resolved (or replaced by text), link `rel`, labels for task-list checkboxes and images, the
 *    formula budget;
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
    .use(remarkInlineDisplayMath)
    // Footnote ids without remark-rehype's prefix: the sanitizer adds it to every id, and inPageLinks.ts points the
    // footnote links at them.
    .use(libraries.remarkRehype, { allowDangerousHtml: true, clobberPrefix: '' })
    .use(libraries.rehypeRaw)
    .use(libraries.rehypeSanitize, sanitizeSchema(libraries.defaultSchema))
    .use(rehypeAttachmentImages)
    .use(rehypeLinkRel)
    .use(rehypeCheckboxLabels)
    .use(rehypeImageAlt)
    .use(rehypeMathBudget)
    // rehype-katex sets throwOnError itself: it renders what KaTeX cannot parse as an error span, never throws.
    // maxSize caps \rule and \kern (a \rule of 10^6 em would stretch the page); maxExpand caps macro expansion.
    .use(libraries.rehypeKatex, { output: 'mathml', trust: false, strict: 'ignore', maxSize: 50, maxExpand: 1000 })
    .use(rehypeMathErrors)
    .use(libraries.rehypeHighlight, { detect: false, ...libraries.grammars })
    .freeze();
  return {
    toHast(text, context) {
      const file = { value: text, data: { ...context } };
      return processor.runSync(processor.parse(file), file) as Root;
    }
  };
}

/** LaTeX environments that KaTeX renders in display mode only. */
const DISPLAY_ENVIRONMENT = /^\s*\\begin\{(?:align|alignat|equation|gather|multline|flalign|eqnarray)\*?\}/;

/** An mdast node, as far as {@link remarkInlineDisplayMath} reads it. */
interface IMarkdownNode {
  type: string;
  value?: string;
  position?: { start: { offset?: number } };
  data?: { hProperties?: { className?: unknown } };
  children?: IMarkdownNode[];
}

/**
 * `$$x$$` inside a paragraph is display math in Jupyter (MathJax) and inline math in remark-math, and so is
 * `$\begin{align*}…\end{align*}$`, which KaTeX refuses inline. Notebooks are written for Jupyter, so both get
 * remark-math's display class, which KaTeX renders in display mode.
 */
function remarkInlineDisplayMath() {
  return (tree: IMarkdownNode, file: { value: unknown }): void => {
    const text = String(file.value);
    const visit = (node: IMarkdownNode): void => {
      const offset = node.position?.start.offset;
      const display =
        (offset !== undefined && text.startsWith('$$', offset)) || DISPLAY_ENVIRONMENT.test(node.value ?? '');
      if (node.type === 'inlineMath' && display && node.data?.hProperties) {
        node.data.hProperties.className = ['language-math', 'math-display'];
      }
      node.children?.forEach(visit);
    };
    visit(tree);
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

/** What a task list's checkbox is called for screen readers, checked and not. */
export const CHECKBOX_LABELS = { checked: 'Done', unchecked: 'Not done' } as const;

/**
 * A task list's checkboxes (`- [x] done`; the sanitizer allows only disabled checkboxes) have no label of their
 * own, which screen readers announce as "checkbox" alone and axe reports as a WCAG violation: they get one.
 */
function rehypeCheckboxLabels() {
  return (tree: Root): void => {
    Private.visitElements(tree, element => {
      if (element.tagName === 'input' && element.properties.type === 'checkbox') {
        element.properties.ariaLabel = element.properties.checked ? CHECKBOX_LABELS.checked : CHECKBOX_LABELS.unchecked;
      }
    });
  };
}

/**
 * An `<img>` written without `alt` (raw HTML, often a badge inside a link: "Open in Kaggle") is named after its file,
 * as screen readers would read it anyway; otherwise it and the link around it have no name, which fails WCAG
 * (axe's image-alt and link-name). `alt=""`, an author's "decorative", is kept.
 */
function rehypeImageAlt() {
  return (tree: Root): void => {
    Private.visitElements(tree, element => {
      if (element.tagName === 'img' && typeof element.properties.alt !== 'string') {
        element.properties.alt = Private.fileTitle(element.properties.src);
      }
    });
  };
}

/** The classes rehype-katex renders; the sanitizer has kept no others on `code`. */
const MATH_CLASSES = ['language-math', 'math-inline', 'math-display'];

/** Formulas past the budget of {@link IMarkdownContext.formulas} lose their math classes, so KaTeX leaves them as code. */
function rehypeMathBudget() {
  return (tree: Root, file: { data: unknown }): void => {
    const { formulas } = file.data as Partial<IMarkdownContext>;
    Private.visitElements(tree, element => {
      const className = element.properties.className;
      if (
        element.tagName === 'code' &&
        Array.isArray(className) &&
        className.some(name => MATH_CLASSES.includes(String(name)))
      ) {
        if (formulas !== undefined && formulas.remaining > 0) {
          formulas.remaining--;
        } else {
          element.properties.className = ['nb-math-source'];
        }
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
  /** `https://x.org/static/open-in-kaggle.svg` → "open in kaggle"; "image" when the URL names no file. */
  export function fileTitle(src: unknown): string {
    const path = typeof src === 'string' && !src.startsWith('data:') ? src.split(/[?#]/)[0] : '';
    const file = path.slice(path.lastIndexOf('/') + 1).replace(/\.[a-z0-9]+$/i, '');
    let title = file;
    try {
      title = decodeURIComponent(file);
    } catch {
      // A malformed escape: the file name as written is still a name.
    }
    title = title.replace(/[-_.+]+/g, ' ').trim();
    return title === '' ? 'image' : title;
  }

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
