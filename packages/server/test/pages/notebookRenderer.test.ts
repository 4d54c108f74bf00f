import type { INotebook } from '@notebook-gallery/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createNotebookRenderer,
  DEFAULT_RENDER_LIMITS,
  type INotebookRenderer
} from '../../src/pages/render/notebookRenderer';
import { loadRenderLibraries, type IRenderLibraries } from '../../src/pages/render/renderLibraries';
import { fixtureJson } from '../helpers/fixtures';
import { allElements, classesOf, elementsOf, textOf } from './hastQuery';

/** handson-ml2's calculus notebook (Apache-2.0, see its LICENSE): inline and display math, a table of formulas, Python. */
const CALCULUS = path.join(
  __dirname,
  '..',
  'fixtures',
  'search-corpus',
  'handson-ml2',
  'math_differential_calculus.ipynb'
);

let renderer: INotebookRenderer;
let libraries: IRenderLibraries;

beforeAll(async () => {
  renderer = await createNotebookRenderer();
  libraries = await loadRenderLibraries();
});

const PYTHON: INotebook['metadata'] = {
  kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }
};

function notebook(cells: INotebook['cells'], metadata: INotebook['metadata'] = PYTHON): INotebook {
  return { nbformat: 4, nbformat_minor: 5, metadata, cells };
}

function markdown(source: string, extra: Record<string, unknown> = {}): INotebook['cells'][number] {
  return { cell_type: 'markdown', metadata: {}, source, ...extra };
}

function code(source: string, extra: Record<string, unknown> = {}): INotebook['cells'][number] {
  return { cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null, ...extra };
}

describe('the notebook renderer', () => {
  it('renders a real notebook: numbered cells, a table of formulas, inline and display math as MathML, Python highlighted', () => {
    const nb = JSON.parse(fs.readFileSync(CALCULUS, 'utf8')) as INotebook;
    // The notebook writes no display math of its own; one cell of it, and the nbdime attachment cell, are added.
    nb.cells.push(markdown('$$\n\\int_0^1 x\\,dx = \\frac{1}{2}\n$$'), fixtureJson('nbdime/attachment.ipynb').cells[0]);
    const list = renderer.renderCells(nb);
    expect(list.tagName).toBe('ol');
    expect(classesOf(list)).toEqual(['nb-cells']);
    const items = list.children.filter(child => child.type === 'element');
    expect(items).toHaveLength(nb.cells.length);
    items.forEach((item, index) => {
      const cell = nb.cells[index];
      expect(item.tagName).toBe('li');
      expect(item.properties.id).toBe(`cell-${index + 1}`);
      expect(classesOf(item)).toEqual(['nb-cell', `nb-cell--${cell.cell_type}`]);
      const [number] = elementsOf(item, 'a', 'nb-cell__number');
      expect(textOf(number)).toBe(String(index + 1));
      expect(number.properties.href).toBe(`#cell-${index + 1}`);
      expect(number.properties.ariaLabel).toBe(`Cell ${index + 1}, ${cell.cell_type}`);
    });

    // Cell 39 is a GitHub-flavoured table whose cells hold formulas.
    const table = elementsOf(items[38], 'table');
    expect(table).toHaveLength(1);
    const formulasInTable = elementsOf(table[0], 'td').flatMap(td => elementsOf(td, 'math'));
    expect(formulasInTable.length).toBeGreaterThan(5);

    const maths = elementsOf(list, 'math');
    expect(maths.filter(math => math.properties.display === 'block').length).toBeGreaterThan(0);
    expect(maths.filter(math => math.properties.display === undefined).length).toBeGreaterThan(0);
    expect(elementsOf(list, 'span', 'katex-error')).toEqual([]);

    const [image] = elementsOf(items[items.length - 1], 'img');
    expect(String(image.properties.src)).toMatch(/^data:image\/png;base64,iVBOR/);

    const codeCell = items.find(item => classesOf(item).includes('nb-cell--code'));
    const [codeElement] = elementsOf(codeCell!, 'code');
    expect(classesOf(codeElement)).toEqual(['hljs', 'language-python']);
    expect(elementsOf(list, 'span', 'hljs-keyword').length).toBeGreaterThan(10);
  });

  it('gives each cell its nbformat id as data-cell-id, and none when the cell has none', () => {
    const list = renderer.renderCells(notebook([markdown('# A', { id: 'intro' }), code('x = 1')]));
    const [first, second] = elementsOf(list, 'li', 'nb-cell');
    expect(first.properties.dataCellId).toBe('intro');
    expect(second.properties.dataCellId).toBeUndefined();
    expect(libraries.toHtml(first)).toContain('data-cell-id="intro"');
  });

  it('shows an attachment image as a data URL (nbdime attachment fixture)', () => {
    const nb = fixtureJson('nbdime/attachment.ipynb');
    const [image] = elementsOf(renderer.renderCells(nb as INotebook), 'img');
    expect(image.properties.alt).toBe('inline image');
    expect(image.properties.src).toBe(`data:image/png;base64,${nb.cells[0].attachments['test.png']['image/png']}`);
  });

  it('finds an attachment whose name markdown percent-encoded, and shows a missing one as text', () => {
    const png = fixtureJson('nbdime/attachment.ipynb').cells[0].attachments['test.png'];
    const list = renderer.renderCells(
      notebook([
        markdown('![chart](<attachment:my chart.png>) and ![gone](attachment:gone.png)', {
          attachments: { 'my chart.png': png }
        })
      ])
    );
    const images = elementsOf(list, 'img');
    expect(images).toHaveLength(1);
    expect(String(images[0].properties.src)).toMatch(/^data:image\/png;base64,iVBOR/);
    const [missing] = elementsOf(list, 'span', 'nb-missing-image');
    expect(textOf(missing)).toBe('[image not shown: gone ("gone.png")]');
  });

  it('renders GitHub-flavoured markdown: strikethrough, task lists, autolinks, fenced code, links with rel', () => {
    const element = renderer.renderMarkdown(
      '~~old~~ www.example.org\n\n- [x] done\n- [ ] to do\n\n```python\nimport numpy\n```\n\n[docs](https://example.org/docs)'
    );
    expect(element.tagName).toBe('div');
    expect(classesOf(element)).toEqual(['nb-markdown']);
    expect(textOf(elementsOf(element, 'del')[0])).toBe('old');
    const boxes = elementsOf(element, 'input');
    expect(boxes.map(box => box.properties.checked === true)).toEqual([true, false]);
    // Labelled for screen readers (axe's "label" rule fails an unlabelled checkbox).
    expect(boxes.map(box => box.properties.ariaLabel)).toEqual(['Done', 'Not done']);
    const links = elementsOf(element, 'a');
    expect(links.map(link => link.properties.href)).toEqual(['http://www.example.org', 'https://example.org/docs']);
    for (const link of links) {
      expect(link.properties.rel).toEqual(['nofollow', 'noopener', 'noreferrer']);
    }
    expect(elementsOf(element, 'span', 'hljs-keyword').map(textOf)).toEqual(['import']);
    const julia = renderer.renderMarkdown('```julia\nfunction f(x) end\n```');
    expect(elementsOf(julia, 'span', 'hljs-keyword').map(textOf)).toEqual(['function', 'end']);
  });

  it('names an image written without alt after its file, so it and its link have a name; keeps alt=""', () => {
    const element = renderer.renderMarkdown(
      '<a href="https://kaggle.com/k"><img src="https://kaggle.com/static/open-in-kaggle.svg?v=2"></a> ' +
        '<img src="https://example.org/"> ![](https://example.org/rule.png) ![Chart](https://example.org/c.png)'
    );
    expect(elementsOf(element, 'img').map(img => img.properties.alt)).toEqual(['open in kaggle', 'image', '', 'Chart']);
  });

  it("renders Jupyter's $$…$$ inside a paragraph as display math, and $…$ inline", () => {
    const element = renderer.renderMarkdown('Inline $a^2$ and shown $$b^2$$ here.');
    const maths = elementsOf(element, 'math');
    expect(maths.map(math => math.properties.display)).toEqual([undefined, 'block']);
  });

  it('caps the size KaTeX draws and the macros it expands', () => {
    const rule = renderer.renderMarkdown('$\\rule{100000em}{100000em}$');
    const widths = elementsOf(rule, 'mspace').map(space => String(space.properties.width));
    expect(widths).toEqual(['50em']);
    const bomb = renderer.renderMarkdown('$\\def\\a{\\a\\a}\\a$');
    expect(elementsOf(bomb, 'span', 'katex-error')).toHaveLength(1);
  });

  it('shows math KaTeX cannot parse as its source, coloured by a class and not an inline style', () => {
    const element = renderer.renderMarkdown('Broken $\\frac{$ math');
    const [error] = elementsOf(element, 'span', 'katex-error');
    expect(textOf(error)).toBe('\\frac{');
    expect(error.properties.style).toBeUndefined();
  });

  it('highlights code in the kernel language (Julia and Octave too), or the language the kernel reported; unknown languages are plain text', () => {
    const language = (metadata: INotebook['metadata']): { classes: string[]; spans: number } => {
      const list = renderer.renderCells(notebook([code('if (x) { print("a") }')], metadata));
      const [element] = elementsOf(list, 'code');
      return { classes: classesOf(element), spans: elementsOf(element, 'span').length };
    };
    expect(language(fixtureJson('irkernel/Demo.ipynb').metadata)).toEqual({
      classes: ['hljs', 'language-r'],
      spans: expect.any(Number)
    });
    expect(language(fixtureJson('irkernel/Demo.ipynb').metadata).spans).toBeGreaterThan(0);
    expect(language({ language_info: { name: 'JavaScript' } }).classes).toEqual(['hljs', 'language-javascript']);
    // Kernels beyond highlight.js's common set: Julia, and Octave through the MATLAB grammar.
    expect(language({ kernelspec: { name: 'julia-1.10', display_name: 'Julia', language: 'julia' } }).classes).toEqual([
      'hljs',
      'language-julia'
    ]);
    expect(language({ kernelspec: { name: 'octave', display_name: 'Octave', language: 'octave' } }).classes).toEqual([
      'hljs',
      'language-octave'
    ]);
    expect(
      language({ kernelspec: { name: 'wolfram', display_name: 'Wolfram', language: 'Wolfram Language' } })
    ).toEqual({
      classes: ['language-plaintext'],
      spans: 0
    });
    expect(language({ kernelspec: { name: 'x', display_name: 'X', language: '<b>' } })).toEqual({
      classes: ['language-plaintext'],
      spans: 0
    });
    expect(language({})).toEqual({ classes: ['language-plaintext'], spans: 0 });
  });

  it('shows raw cells as preformatted text', () => {
    const list = renderer.renderCells(
      notebook([{ cell_type: 'raw', metadata: {}, source: ['**not** ', '$markdown$'] }])
    );
    const [pre] = elementsOf(list, 'pre', 'nb-raw');
    expect(textOf(pre)).toBe('**not** $markdown$');
    expect(elementsOf(list, 'strong')).toEqual([]);
    expect(elementsOf(list, 'li', 'nb-cell--raw')).toHaveLength(1);
  });

  it('never renders outputs, even when a notebook has some (nbformat test4.5: HTML, images, streams)', () => {
    const nb = fixtureJson('nbformat/test4.5.ipynb') as INotebook;
    const outputs = nb.cells.flatMap(cell => (cell.cell_type === 'code' ? cell.outputs : []));
    expect(outputs.length).toBeGreaterThan(3);
    const marked = notebook([
      code('print(1)', { outputs: [{ output_type: 'stream', name: 'stdout', text: 'OUTPUT-MARKER' }] })
    ]);
    const html = libraries.toHtml(renderer.renderCells(marked));
    expect(html).not.toContain('OUTPUT-MARKER');
    const list = renderer.renderCells(nb);
    expect(elementsOf(list, 'img')).toEqual([]);
    expect(elementsOf(list, 'b')).toEqual([]);
    const rendered = libraries.toHtml(list);
    for (const output of ['IPython.core.display', 'iVBORw0KGgoAAAANSUhEUgAAAggAAABD', 'HTML</b>']) {
      expect(rendered).not.toContain(output);
    }
  });

  it('shows a code cell above the highlight bound, or a markdown cell above its bound, as plain text with a note', async () => {
    const small = await createNotebookRenderer({ highlightCellChars: 20, markdownCellChars: 20 });
    const list = small.renderCells(
      notebook([code('import a  # 20 chars'), code('import b  # 21 chars!'), markdown('*a* '.repeat(6))])
    );
    const [atBound, above, long] = elementsOf(list, 'li', 'nb-cell');
    expect(elementsOf(atBound, 'span', 'hljs-keyword')).toHaveLength(1);
    expect(elementsOf(atBound, 'p', 'nb-cell__note')).toEqual([]);
    expect(elementsOf(above, 'span')).toEqual([]);
    expect(textOf(elementsOf(above, 'code')[0])).toBe('import b  # 21 chars!');
    expect(textOf(elementsOf(above, 'p', 'nb-cell__note')[0])).toBe(
      'This cell is long (21 characters), so it is shown as plain text.'
    );
    expect(elementsOf(long, 'em')).toEqual([]);
    expect(textOf(elementsOf(long, 'pre', 'nb-plain')[0])).toBe('*a* '.repeat(6));
    expect(textOf(small.renderMarkdown('*a* '.repeat(6)))).toBe('*a* '.repeat(6));
  });

  it('formats a notebook up to its budget of characters, then shows the remaining cells as plain text', async () => {
    const small = await createNotebookRenderer({ notebookChars: 25 });
    const list = small.renderCells(
      notebook([markdown('*first* ten'), code('x = 1 + 2'), markdown('*third* is past'), code('y = 2')])
    );
    const [first, second, third, fourth] = elementsOf(list, 'li', 'nb-cell');
    expect(elementsOf(first, 'em')).toHaveLength(1);
    expect(elementsOf(second, 'span').length).toBeGreaterThan(0);
    expect(elementsOf(third, 'em')).toEqual([]);
    expect(textOf(elementsOf(third, 'p', 'nb-cell__note')[0])).toBe(
      'This notebook is long, so this cell and the ones after it are shown as plain text.'
    );
    // Short enough for what is left, but after the point where formatting stopped.
    expect(elementsOf(fourth, 'span')).toEqual([]);
    expect(elementsOf(fourth, 'p', 'nb-cell__note')).toHaveLength(1);
  });

  it('renders formulas up to the notebook budget, then shows their TeX source', async () => {
    const small = await createNotebookRenderer({ notebookFormulas: 2 });
    const list = small.renderCells(notebook([markdown('$a$ and $b$'), markdown('$c$ and $$d$$')]));
    expect(elementsOf(list, 'math')).toHaveLength(2);
    expect(elementsOf(list, 'code', 'nb-math-source').map(textOf)).toEqual(['c', 'd']);
  });

  it('keeps the default bounds three to four times above the largest notebook and markdown cell of the search corpus', () => {
    const corpus = path.join(__dirname, '..', 'fixtures', 'search-corpus');
    let notebookChars = 0;
    let markdownCellChars = 0;
    for (const folder of fs.readdirSync(corpus, { withFileTypes: true }).filter(entry => entry.isDirectory())) {
      for (const file of fs.readdirSync(path.join(corpus, folder.name)).filter(name => name.endsWith('.ipynb'))) {
        const nb = JSON.parse(fs.readFileSync(path.join(corpus, folder.name, file), 'utf8')) as INotebook;
        const lengths = nb.cells.map(cell => ({ kind: cell.cell_type, chars: [cell.source].flat().join('').length }));
        notebookChars = Math.max(
          notebookChars,
          lengths.reduce((sum, cell) => sum + cell.chars, 0)
        );
        markdownCellChars = Math.max(
          markdownCellChars,
          ...lengths.filter(c => c.kind === 'markdown').map(c => c.chars)
        );
      }
    }
    expect(notebookChars).toBeGreaterThan(50_000);
    expect(DEFAULT_RENDER_LIMITS.notebookChars).toBeGreaterThanOrEqual(4 * notebookChars);
    expect(DEFAULT_RENDER_LIMITS.markdownCellChars).toBeGreaterThanOrEqual(3 * markdownCellChars);
  });
});

describe('links inside a notebook', () => {
  it("point at headings by Jupyter's anchors and at ids authors wrote, in any cell", () => {
    const list = renderer.renderCells(
      notebook([
        markdown('[Wald](#Inference---Wald) [results](#results) [nowhere](#nowhere) [third](#cell-3)'),
        markdown('<a id="results"></a>Results'),
        markdown('## Inference - Wald')
      ])
    );
    const [heading] = elementsOf(list, 'h2');
    expect(heading.properties.id).toBe('user-content-cell-3-Inference---Wald');
    const [anchor] = elementsOf(list, 'a').filter(a => a.properties.id !== undefined);
    expect(anchor.properties.id).toBe('user-content-cell-2-results');
    const [first] = elementsOf(list, 'li', 'nb-cell');
    expect(elementsOf(first, 'a').map(a => a.properties.href)).toEqual([
      '#cell-1',
      '#user-content-cell-3-Inference---Wald',
      '#user-content-cell-2-results',
      '#nowhere',
      '#cell-3'
    ]);
  });

  it('gives each cell its own footnotes: links and back links stay in their cell, ids are unique', () => {
    const list = renderer.renderCells(
      notebook([markdown('One[^1]\n\n[^1]: first'), markdown('Two[^1]\n\n[^1]: second')])
    );
    const ids = allElements(list).flatMap(e => (e.properties.id === undefined ? [] : [String(e.properties.id)]));
    expect(new Set(ids).size).toBe(ids.length);
    for (const cell of elementsOf(list, 'li', 'nb-cell')) {
      const own = new Set(allElements(cell).map(e => e.properties.id));
      const links = elementsOf(cell, 'a').filter(a => a.properties.href !== `#${String(cell.properties.id)}`);
      expect(links.length).toBe(2);
      for (const link of links) {
        expect(own).toContain(String(link.properties.href).slice(1));
      }
      for (const described of allElements(cell).filter(e => e.properties.ariaDescribedBy !== undefined)) {
        expect(own).toContain((described.properties.ariaDescribedBy as string[])[0]);
      }
    }
  });

  it("cannot take over a cell number's link with an author's id", () => {
    const list = renderer.renderCells(notebook([markdown('<div id="cell-1">x</div>\n\n[to 1](#cell-1)')]));
    const [number, link] = elementsOf(list, 'a');
    expect(number.properties.href).toBe('#cell-1');
    expect(link.properties.href).toBe('#user-content-cell-1-cell-1');
    expect(
      elementsOf(list, 'div')
        .map(div => div.properties.id)
        .filter(Boolean)
    ).toEqual(['user-content-cell-1-cell-1']);
  });
});

describe('the render cache', () => {
  it('renders a revision once and shares the frozen result; another revision renders again', () => {
    const nb = notebook([markdown('# Title'), code('x = 1')]);
    const first = renderer.renderCellsCached('nb-1@abc', nb);
    expect(renderer.renderCellsCached('nb-1@abc', notebook([markdown('# Changed')]))).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(elementsOf(first, 'li')[0].properties)).toBe(true);
    const other = renderer.renderCellsCached('nb-1@def', notebook([markdown('# Changed')]));
    expect(other).not.toBe(first);
    expect(textOf(elementsOf(other, 'h1')[0])).toBe('Changed');
    expect(libraries.toHtml(first)).toBe(libraries.toHtml(renderer.renderCells(nb)));
  });

  it('keeps at most its budget of characters, dropping the least recently used', async () => {
    const small = await createNotebookRenderer({ cacheChars: 40 });
    const ten = (text: string): INotebook => notebook([markdown(text.padEnd(10, '.'))]);
    const a = small.renderCellsCached('a', ten('a'));
    small.renderCellsCached('b', ten('b'));
    small.renderCellsCached('c', ten('c'));
    small.renderCellsCached('d', ten('d'));
    expect(small.renderCellsCached('a', ten('a2'))).toBe(a);
    small.renderCellsCached('e', ten('e'));
    // 'b' was the least recently used when 'e' came in; 'a' had just been read.
    expect(small.renderCellsCached('a', ten('a3'))).toBe(a);
    expect(textOf(small.renderCellsCached('b', ten('b2')))).toContain('b2');
  });

  it('does not keep a notebook heavier than a quarter of its budget', async () => {
    const small = await createNotebookRenderer({ cacheChars: 40 });
    const heavy = notebook([markdown('x'.repeat(11))]);
    expect(small.renderCellsCached('heavy', heavy)).not.toBe(small.renderCellsCached('heavy', heavy));
  });
});
