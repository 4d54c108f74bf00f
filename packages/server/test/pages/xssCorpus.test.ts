import type { INotebook } from '@notebook-gallery/core';
import type { Element, Root } from 'hast';
import { createNotebookRenderer, type INotebookRenderer } from '../../src/pages/render/notebookRenderer';
import { loadRenderLibraries, type IRenderLibraries } from '../../src/pages/render/renderLibraries';
import { ATTACHMENT_PAYLOADS, MARKDOWN_PAYLOADS, xssNotebook } from '../fixtures/xssPayloads';
import { allElements, classesOf, elementsOf, textOf } from './hastQuery';

/** Elements that run script, load documents or styles, or submit anywhere. */
const FORBIDDEN_ELEMENTS = [
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'style',
  'link',
  'base',
  'meta',
  'template',
  'noscript',
  'svg'
];
/** hast property names whose value is a URL. */
const URL_PROPERTIES = [
  'href',
  'src',
  'srcSet',
  'action',
  'formAction',
  'poster',
  'background',
  'xLinkHref',
  'cite',
  'longDesc',
  'data',
  'codeBase',
  'ping',
  'manifest'
];
const SAFE_SCHEMES = ['http', 'https', 'mailto'];
const IMAGE_DATA_URL = /^data:image\/(?:png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/;

let renderer: INotebookRenderer;
let libraries: IRenderLibraries;

beforeAll(async () => {
  renderer = await createNotebookRenderer();
  libraries = await loadRenderLibraries();
});

/** What is unsafe in a tree: forbidden elements, event handlers, styles, URLs with a scheme that can run script. */
function unsafeParts(tree: Root | Element): string[] {
  const found: string[] = [];
  for (const element of allElements(tree)) {
    if (FORBIDDEN_ELEMENTS.includes(element.tagName.toLowerCase())) {
      found.push(`<${element.tagName}>`);
    }
    for (const [name, value] of Object.entries(element.properties)) {
      if (/^on/i.test(name) || ['style', 'srcDoc'].includes(name)) {
        found.push(`<${element.tagName} ${name}>`);
      }
      if (URL_PROPERTIES.includes(name) && value !== undefined && value !== null) {
        const url = String(value).replace(/[\s\u0000-\u001f]/g, '');
        const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
        const imageData = element.tagName === 'img' && name === 'src' && IMAGE_DATA_URL.test(url);
        if (scheme !== undefined && !SAFE_SCHEMES.includes(scheme) && !imageData) {
          found.push(`<${element.tagName} ${name}="${String(value)}">`);
        }
      }
    }
  }
  return found;
}

/**
 * The HTML as a browser reads it: serialised by toHtml, parsed again by parse5 (through rehype-raw). Checking this
 * tree too catches markup that is harmless as a tree but changes meaning when serialised and parsed (mutation XSS).
 */
function reparsed(tree: Element): { tree: Root } {
  const html = libraries.toHtml(tree);
  const root = libraries
    .unified()
    .use(libraries.rehypeRaw)
    .runSync({ type: 'root', children: [{ type: 'raw', value: html }] } as Root) as Root;
  return { tree: root };
}

/** Asserts both the renderer's tree and its HTML parsed again hold nothing unsafe. */
function expectInert(tree: Element): Root {
  expect(unsafeParts(tree)).toEqual([]);
  const again = reparsed(tree);
  expect(unsafeParts(again.tree)).toEqual([]);
  return again.tree;
}

describe('the unsafe-parts check', () => {
  it('finds each kind of unsafe part, so that the corpus below can fail', () => {
    const { h } = libraries;
    const tree = h('div', [
      h('script', 'alert(1)'),
      h('img', { src: 'x', onError: 'alert(1)' }),
      h('a', { href: ' JavaScript:alert(1)' }, 'x'),
      h('img', { src: 'data:text/html;base64,PHNjcmlwdD4=' }),
      h('a', { href: 'data:image/png;base64,AAAA' }, 'x'),
      h('p', { style: 'color: red' }, 'x'),
      h('math', { href: 'javascript:alert(1)' })
    ]);
    expect(unsafeParts(tree)).toEqual([
      '<script>',
      '<img onError>',
      '<a href=" JavaScript:alert(1)">',
      '<img src="data:text/html;base64,PHNjcmlwdD4=">',
      '<a href="data:image/png;base64,AAAA">',
      '<p style>',
      '<math href="javascript:alert(1)">'
    ]);
    expect(unsafeParts(reparsed(h('div', h('iframe', { srcDoc: 'x' }))).tree)).toEqual(['<iframe>', '<iframe srcDoc>']);
  });
});

describe('stored XSS: markdown payloads', () => {
  it.each(MARKDOWN_PAYLOADS.map(payload => [payload.name, payload.text]))('%s is inert', (_name, text) => {
    expectInert(renderer.renderMarkdown(text));
  });

  it('keeps the text a reader wrote, escaped, where the markup was dropped', () => {
    const element = renderer.renderMarkdown('`<script>alert(1)</script>`');
    expect(textOf(element)).toBe('<script>alert(1)</script>');
    expect(libraries.toHtml(element)).toContain('&#x3C;script>alert(1)&#x3C;/script>');
  });

  it('leaves no id that could clobber a cell anchor or a page element', () => {
    const element = renderer.renderMarkdown(
      MARKDOWN_PAYLOADS.find(payload => payload.name === 'DOM clobbering of a cell anchor')!.text
    );
    const named = allElements(element)
      .flatMap(e => [e.properties.id, e.properties.name])
      .filter(Boolean);
    expect(named).toEqual(['user-content-cell-1', 'user-content-cell-2']);
  });

  it('renders KaTeX commands that need trust as text, and no class, id, style or link from them', () => {
    for (const name of ['KaTeX \\href', 'KaTeX \\htmlClass', 'KaTeX \\htmlStyle', 'KaTeX \\htmlId', 'KaTeX \\url']) {
      const element = renderer.renderMarkdown(MARKDOWN_PAYLOADS.find(payload => payload.name === name)!.text);
      expect(elementsOf(element, 'math')).toHaveLength(1);
      const classes = allElements(element).flatMap(classesOf);
      expect(classes.filter(c => !['nb-markdown', 'katex'].includes(c))).toEqual([]);
      expect(
        allElements(element).filter(e => e.properties.id !== undefined || e.properties.href !== undefined)
      ).toEqual([]);
    }
  });
});

describe('what the sanitizer keeps', () => {
  it('keeps http(s) and mailto links, http(s) images and srcset, relative links and in-page anchors', () => {
    const element = renderer.renderMarkdown(
      '[a](https://example.org/a) [b](mailto:me@example.org) [c](../other) [d](#cell-3) ![e](https://example.org/e.png)\n\n' +
        '<picture><source srcset="https://example.org/f.png 2x"><img src="https://example.org/f.png" alt="f"></picture>'
    );
    expect(elementsOf(element, 'a').map(a => a.properties.href)).toEqual([
      'https://example.org/a',
      'mailto:me@example.org',
      '../other',
      '#cell-3'
    ]);
    expect(elementsOf(element, 'img').map(img => img.properties.src)).toEqual([
      'https://example.org/e.png',
      'https://example.org/f.png'
    ]);
    expect(elementsOf(element, 'source').map(source => source.properties.srcSet)).toEqual([
      'https://example.org/f.png 2x'
    ]);
  });
});

describe('stored XSS: attachments', () => {
  it.each(ATTACHMENT_PAYLOADS.map(payload => [payload.name, payload]))('%s is inert', (_name, payload) => {
    const nb: INotebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [{ cell_type: 'markdown', metadata: {}, source: payload.text, attachments: payload.attachments } as never]
    };
    expectInert(renderer.renderCells(nb));
  });

  it('shows an attachment only as an allowed image type, whatever its name', () => {
    const shown = (name: string): string[] => {
      const payload = ATTACHMENT_PAYLOADS.find(p => p.name === name)!;
      const nb = {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [{ cell_type: 'markdown', metadata: {}, source: payload.text, attachments: payload.attachments }]
      } as INotebook;
      return elementsOf(renderer.renderCells(nb), 'img').map(img => String(img.properties.src).slice(0, 26));
    };
    expect(shown('name with quotes, valid PNG')).toEqual(['data:image/png;base64,iVBO']);
    expect(shown('SVG with a script (inert inside <img>)')).toEqual(['data:image/svg+xml;base64,']);
    expect(shown('raw HTML image of an attachment with an onerror')).toEqual(['data:image/png;base64,iVBO']);
    for (const name of [
      'text/html attachment',
      'PNG type, HTML data',
      'PNG type, javascript: data',
      'MIME type with parameters'
    ]) {
      expect(shown(name)).toEqual([]);
    }
  });

  it('says which image is missing, as text', () => {
    const payload = ATTACHMENT_PAYLOADS.find(p => p.name === 'name with a tag, missing')!;
    const element = renderer.renderCells({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [{ cell_type: 'markdown', metadata: {}, source: payload.text, attachments: {} }]
    });
    const [missing] = elementsOf(element, 'span', 'nb-missing-image');
    expect(textOf(missing)).toBe('[image not shown: <img src=x onerror=alert(1)> ("<script>alert(1)</script>.png")]');
  });
});

describe('stored XSS: a whole notebook', () => {
  it('renders every payload cell, code, raw cell, cell id and metadata inert, with only its own anchors', () => {
    const nb = xssNotebook();
    const list = renderer.renderCells(nb);
    const again = expectInert(list);
    expect(elementsOf(again, 'li').filter(li => classesOf(li).includes('nb-cell'))).toHaveLength(nb.cells.length);
    const ids = allElements(list)
      .map(element => element.properties.id)
      .filter(id => id !== undefined);
    expect(ids.filter(id => !/^user-content-/.test(String(id)))).toEqual(nb.cells.map((_, i) => `cell-${i + 1}`));
    expect(new Set(ids).size).toBe(ids.length);
    // The code cell's text, the raw cell's and the cell id come through as text, not markup.
    const code = elementsOf(list, 'li', 'nb-cell--code')[0];
    expect(textOf(code)).toContain('</code></pre><script>alert(1)</script>');
    expect(code.properties.dataCellId).toBe('"><script>alert(1)</script>');
    expect(textOf(elementsOf(list, 'pre', 'nb-raw')[0])).toBe('<script>alert(1)</script><img src=x onerror=alert(1)>');
    // Metadata and outputs are never shown.
    expect(libraries.toHtml(list)).not.toContain('source_hidden');
    expect(libraries.toHtml(list)).not.toContain('display:none');
  });

  it('renders the code payload highlighted as Python, inert', () => {
    const nb = xssNotebook();
    nb.metadata.kernelspec = { name: 'python3', display_name: 'Python 3', language: 'python' };
    const list = renderer.renderCells({ ...nb, cells: nb.cells.filter(cell => cell.cell_type === 'code') });
    expectInert(list);
    expect(elementsOf(list, 'span', 'hljs-string').map(textOf)).toEqual(['"<img src=x onerror=alert(1)>"']);
  });
});
