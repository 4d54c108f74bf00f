import { indexTokens, tokenSpans } from '../../src/search/indexTokens';
import { plainMarkdown } from '../../src/search/markdownText';
import {
  searchSnippet,
  SNIPPET_LENGTH,
  SNIPPET_SOURCE_CHARS,
  type ISnippet,
  type ISnippetSources
} from '../../src/search/snippet';
import { seededRandom } from '../../bench/seededRandom';

/** The marked words of a snippet, as the sidebar shows them. */
function marked(snippet: ISnippet | undefined): string[] {
  return (snippet?.highlights ?? []).map(([start, end]) => snippet!.text.slice(start, end));
}

function sources(parts: Partial<ISnippetSources>): ISnippetSources {
  return { description: '', markdown: '', code: '', ...parts };
}

describe('plainMarkdown', () => {
  it('drops heading, emphasis, list, quote and table markers', () => {
    expect(plainMarkdown('# Plotting\n\nThe **quarterly sales**, _by region_ and ~~old~~ *new*.')).toBe(
      'Plotting The quarterly sales, by region and old new.'
    );
    expect(plainMarkdown('Intro\n=====\n- one\n* two\n1. three\n- [x] done\n> quoted\n---\nend')).toBe(
      'Intro one two three done quoted end'
    );
    expect(plainMarkdown('| city | sales |\n|---|:---:|\n| Oslo | 3 |')).toBe('city sales Oslo 3');
  });

  it('keeps the text of links and images, not their targets', () => {
    expect(
      plainMarkdown(
        'See [the docs](https://example.org/docs "Docs") and ![a map](map.png), [ref][1], <https://x.org>.\n\n[1]: https://example.org'
      )
    ).toBe('See the docs and a map, ref, https://x.org.');
  });

  it('removes code fences and backticks but keeps the code, as typed', () => {
    expect(plainMarkdown('Load it:\n```python\ndf = pd.read_csv("a.csv")  # **not bold**\n```\nwith `read_csv`.')).toBe(
      'Load it: df = pd.read_csv("a.csv") # **not bold** with read_csv.'
    );
    expect(plainMarkdown('~~~\nunclosed *fence*')).toBe('unclosed *fence*');
  });

  it('removes HTML tags and comments, keeping the text between them', () => {
    expect(
      plainMarkdown('<div align="center"><b>Bold</b> text<br/></div><!-- hidden -->\n<img src="x.png">end &amp; more')
    ).toBe('Bold text end & more');
  });

  it('leaves underscores inside words, escapes and arithmetic alone', () => {
    expect(plainMarkdown('snake_case_name and \\*literal\\* and 2 * 3 * 4')).toBe(
      'snake_case_name and *literal* and 2 * 3 * 4'
    );
  });
});

describe('tokenSpans', () => {
  it('finds the tokens indexTokens finds, with where each stands in the text', () => {
    const text = 'Économie_Über-Größe: read_csv(x2) 東京 café';
    const spans = tokenSpans(text);
    expect(spans.map(span => span.token)).toEqual(indexTokens(text));
    expect(spans.map(span => text.slice(span.start, span.end))).toEqual([
      'Économie',
      'Über',
      'Größe',
      'read',
      'csv',
      'x2',
      '東京',
      'café'
    ]);
  });
});

describe('searchSnippet', () => {
  it('quotes markdown as plain text with the highlights on the matched words', () => {
    const snippet = searchSnippet(
      sources({ markdown: '# Plotting\nThe **quarterly sales** by region, on a [map](https://maps.example.org).' }),
      '("quarterly" OR "sales" OR "sale"*)'
    );
    expect(snippet?.text).toBe('Plotting The quarterly sales by region, on a map.');
    expect(marked(snippet)).toEqual(['quarterly', 'sales']);
  });

  it('starts a few words before a word deep in the text and never cuts a marked word', () => {
    const before = Array.from({ length: 80 }, (_, i) => `filler${i}`).join(' ');
    const after = Array.from({ length: 80 }, (_, i) => `tail${i}`).join(' ');
    const snippet = searchSnippet(sources({ code: `${before} histograms ${after}` }), '"histo"*')!;
    expect(marked(snippet)).toEqual(['histograms']);
    expect(snippet.text.startsWith('…filler')).toBe(true);
    expect(snippet.text.endsWith('…')).toBe(true);
    // Two clamped lines of a narrow sidebar (about 70 characters) show the marked word.
    expect(snippet.highlights[0][1]).toBeLessThan(70);
    expect(snippet.text.length).toBeLessThanOrEqual(SNIPPET_LENGTH + 2);
    // Whole words at both ends.
    expect(snippet.text).toMatch(/^…filler\d+ .* tail\d+…$/);
  });

  it('cuts a long line without spaces at a word boundary after the marked word', () => {
    const code = `result=compute(${'alpha_beta_gamma,'.repeat(20)})`;
    const snippet = searchSnippet(sources({ code }), '"compute"')!;
    expect(marked(snippet)).toEqual(['compute']);
    expect(snippet.text).toMatch(/(gamma|beta|alpha),?…$/);
  });

  it('marks a phrase across the punctuation between its tokens, and a prefix as the whole word', () => {
    const snippet = searchSnippet(sources({ code: 'df = pd.read_csv("sales.csv")' }), '"read csv" AND "sal"*');
    expect(marked(snippet)).toEqual(['read_csv', 'sales']);
  });

  it('matches words without their accents and case, as the index does', () => {
    expect(marked(searchSnippet(sources({ description: 'Économie du Café' }), '"cafe"'))).toEqual(['Café']);
  });

  it('quotes the part holding the most of the words, the description on a tie', () => {
    const parts = sources({
      description: 'A map of sales',
      markdown: 'Sales by region on a map, per quarter',
      code: 'plot(sales)'
    });
    expect(searchSnippet(parts, '"sales" OR "region"')?.text).toBe('Sales by region on a map, per quarter');
    expect(searchSnippet(parts, '"sales"')?.text).toBe('A map of sales');
  });

  it('marks overlapping alternatives once and leaves out phrases of other columns', () => {
    const snippet = searchSnippet(
      sources({ markdown: 'It joins tables in python' }),
      '{language} : "python" AND ("joins" OR "join"*)'
    );
    expect(marked(snippet)).toEqual(['joins']);
    expect(snippet?.highlights).toEqual([[3, 8]]);
  });

  it('finds the same words in ASCII text as by tokenizing it, for random text and phrases', () => {
    // ASCII text is searched in place; other text is tokenized. A character past everything the snippet can show
    // makes the same text take the tokenizing way, so both must quote and mark the same.
    const next = seededRandom(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const words = ['plot', 'plots', 'Plotting', 'data', 'DataFrame', 'read_csv', 'csv', 'x2', '2x', 'sales', 'sal'];
    const gaps = [' ', ', ', '.', '_', '(', ') ', '\n', ' - ', '"', '=', ''];
    const phrases = ['"plot"', '"plot"*', '"data"*', '"read csv"', '"csv"', '"x2"', '"sal"*', '"data frame"', '"2"'];
    const tail = ` ${'zz '.repeat(SNIPPET_LENGTH)}é`;
    let compared = 0;
    for (let round = 0; round < 400; round++) {
      const text = Array.from({ length: 5 + Math.floor(next() * 60) }, () => pick(words) + pick(gaps)).join('');
      const expression = Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(phrases)).join(' OR ');
      const ascii = searchSnippet(sources({ code: `${text} ${'zz '.repeat(SNIPPET_LENGTH)}` }), expression);
      const tokenized = searchSnippet(sources({ code: text + tail }), expression);
      expect({ text, expression, snippet: ascii }).toEqual({ text, expression, snippet: tokenized });
      compared += ascii === undefined ? 0 : 1;
    }
    expect(compared).toBeGreaterThan(300);
  });

  it('gives no snippet when no quoted part holds a word, or only past what it reads', () => {
    expect(searchSnippet(sources({ description: 'Nothing here' }), '"title"')).toBeUndefined();
    const far = `${'x = 1\n'.repeat(SNIPPET_SOURCE_CHARS / 6 + 10)}needle`;
    expect(searchSnippet(sources({ code: far }), '"needle"')).toBeUndefined();
  });
});
