import { firstHeading, notebookSearchText, parseNotebook, slugify } from '../src';
import type { INotebook } from '../src';
import { readFixture } from './fixtures';

const markdown = (source: string) => ({ cell_type: 'markdown' as const, source, metadata: {} });
const nbOf = (...cells: INotebook['cells']): INotebook => ({ nbformat: 4, nbformat_minor: 4, metadata: {}, cells });

describe('notebookSearchText', () => {
  it('separates prose from code and leaves outputs out', () => {
    const nb = parseNotebook(readFixture('nbformat/test4.5.ipynb'));
    const code = nb.cells.find(cell => cell.cell_type === 'code');
    if (code?.cell_type === 'code') {
      code.outputs = [{ output_type: 'stream', name: 'stdout', text: 'only-in-output' }];
    }
    const text = notebookSearchText(nb);
    expect(text.markdown).toMatch(/nbconvert/i);
    expect(text.code).toMatch(/from __future__ import annotations/);
    expect(text.code + text.markdown).not.toMatch(/only-in-output/);
  });

  it('drops inline base64 images so they do not pollute the index', () => {
    const text = notebookSearchText(nbOf(markdown('Chart: ![x](data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==) done')));
    expect(text.markdown).not.toMatch(/iVBOR/);
    expect(text.markdown).toMatch(/Chart:.*done/);
  });

  it('skips cell types from a newer nbformat minor version, which need not have a source', () => {
    const nb = parseNotebook(readFixture('nbformat/test4plus.ipynb'));
    const future = nb.cells.find(cell => (cell.cell_type as string) === 'future cell');
    expect(future).not.toHaveProperty('source');
    expect(notebookSearchText(nb).code).toMatch(/future_output\(\)/);
  });
});

describe('firstHeading', () => {
  it('finds the first ATX heading in the first markdown cell that has one', () => {
    expect(firstHeading(nbOf(markdown('intro text'), markdown('## Sales  report ##\nmore')))).toBe('Sales  report');
  });

  it('understands setext headings', () => {
    expect(firstHeading(nbOf(markdown('Quarterly numbers\n=====\n')))).toBe('Quarterly numbers');
  });

  it('is null without a heading', () => {
    expect(firstHeading(nbOf(markdown('just prose')))).toBeNull();
  });
});

describe('slugify', () => {
  it.each([
    ['Sales Report 2024!', 'sales-report-2024'],
    ['Café déjà vu', 'cafe-deja-vu'],
    ['  ../../etc/passwd  ', 'etc-passwd'],
    ['数据分析', '数据分析'],
    ['!!!', 'notebook']
  ])('%s -> %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('keeps names short', () => {
    expect(slugify('a '.repeat(200)).length).toBeLessThanOrEqual(80);
  });
});
