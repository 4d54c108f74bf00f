import { editDistance } from '../../src/search/editDistance';
import { wordRoot } from '../../src/search/ftsQuery';
import { indexTokens } from '../../src/search/indexTokens';
import { MAX_TERMS, parseSearchQuery } from '../../src/search/queryParser';
import { synonymsOf } from '../../src/search/synonyms';

describe('parseSearchQuery', () => {
  it('reads field filters, exclusions, phrases and words, the last word as a prefix', () => {
    expect(parseSearchQuery('tag:Geo owner:ann lang:R package:scikit-learn -slow "spatial join" plot sal')).toEqual({
      terms: [
        { tokens: ['plot'], prefix: false },
        { tokens: ['sal'], prefix: true }
      ],
      phrases: [{ tokens: ['spatial', 'join'], prefix: false }],
      excluded: [['slow']],
      tags: ['Geo'],
      owners: ['ann'],
      languages: [['r']],
      packages: [['scikit', 'learn']]
    });
  });

  it('drops stop words from natural-language queries but keeps a query made only of them', () => {
    expect(parseSearchQuery('how to show sales on a map').terms.map(term => term.tokens.join(' '))).toEqual([
      'show',
      'sales',
      'map'
    ]);
    expect(parseSearchQuery('the').terms).toEqual([{ tokens: ['the'], prefix: true }]);
  });

  it('keeps a word with punctuation inside as one term of several tokens', () => {
    expect(parseSearchQuery('pd.read_csv t-test').terms).toEqual([
      { tokens: ['pd', 'read', 'csv'], prefix: false },
      { tokens: ['t', 'test'], prefix: true }
    ]);
  });

  it('reads an unclosed quote as a phrase still being typed', () => {
    expect(parseSearchQuery('"spatial jo').phrases).toEqual([{ tokens: ['spatial', 'jo'], prefix: true }]);
  });

  it('does not make a prefix of a finished word or of a single letter', () => {
    expect(parseSearchQuery('pandas ').terms).toEqual([{ tokens: ['pandas'], prefix: false }]);
    expect(parseSearchQuery('plot in R').terms.at(-1)).toEqual({ tokens: ['r'], prefix: false });
  });

  it.each([
    ['"unbalanced'],
    ['AND OR NOT'],
    ['NEAR(a b, 3)'],
    ['title:csv'],
    ['{title}: x'],
    ['(x OR y'],
    ['a* ^b'],
    ['-'],
    ['- -'],
    ['tag:'],
    ['"'],
    ['-"'],
    [':::'],
    ['\u0001\u0002'],
    ["'; DROP TABLE notebooks;"]
  ])('turns %j into plain tokens, never FTS5 syntax', text => {
    const parsed = parseSearchQuery(text);
    const tokens = [
      ...parsed.terms.flatMap(term => term.tokens),
      ...parsed.phrases.flatMap(phrase => phrase.tokens),
      ...parsed.excluded.flat(),
      ...parsed.languages.flat(),
      ...parsed.packages.flat()
    ];
    for (const token of tokens) {
      expect(token).toMatch(/^[\p{L}\p{N}]+$/u);
    }
  });

  it('keeps at most a dozen words of a long query', () => {
    const words = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    expect(parseSearchQuery(words).terms).toHaveLength(MAX_TERMS);
  });

  it('reads an unknown field as words, and operators as the words they spell', () => {
    expect(parseSearchQuery('title:csv').terms.map(term => term.tokens)).toEqual([['title', 'csv']]);
    expect(parseSearchQuery('cats AND dogs').terms.map(term => term.tokens[0])).toEqual(['cats', 'dogs']);
  });
});

describe('the pieces of a search', () => {
  it('tokenizes like the index: lower case, accents dropped', () => {
    expect(indexTokens('Économie_Über-Größe')).toEqual(['economie', 'uber', 'große']);
  });

  it('finds the root of a word so other forms match by prefix', () => {
    expect(['joins', 'plotting', 'studies', 'smoothed', 'statistically', 'boxes', 'analysis'].map(wordRoot)).toEqual([
      'join',
      'plot',
      'study',
      'smooth',
      'statistical',
      'box',
      'analysis'
    ]);
  });

  it('counts typos, swapped neighbours as one, and stops early past the limit', () => {
    expect(editDistance('matplotlb', 'matplotlib', 2)).toBe(1);
    expect(editDistance('geopandsa', 'geopandas', 2)).toBe(1);
    expect(editDistance('kernal', 'kernel', 1)).toBe(1);
    expect(editDistance('pandas', 'polars', 1)).toBe(2);
  });

  it('knows data-science synonyms in both directions', () => {
    expect(synonymsOf(['chart'])).toContainEqual(['plot']);
    expect(synonymsOf(['geopandas'])).toContainEqual(['map']);
    expect(synonymsOf(['t', 'test'])).toContainEqual(['ttest']);
    expect(synonymsOf(['zebra'])).toEqual([]);
  });
});
