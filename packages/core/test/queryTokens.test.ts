import { filterToken, hasWord, queryWords, toggleWord, wordAt } from '../src/queryTokens';

describe('query words', () => {
  it('keeps quoted parts in their word', () => {
    expect(queryWords('plot tag:"time series" "a phrase" -noise')).toEqual([
      'plot',
      'tag:"time series"',
      '"a phrase"',
      '-noise'
    ]);
  });

  it('quotes a filter value with spaces, dropping quotes that would end it early', () => {
    expect(filterToken('tag', 'maps')).toBe('tag:maps');
    expect(filterToken('owner', 'data team')).toBe('owner:"data team"');
    expect(filterToken('tag', 'say "hi"')).toBe('tag:"say hi"');
  });

  it('finds a word whatever its case and quotes', () => {
    expect(hasWord('plot Tag:Maps', 'tag:maps')).toBe(true);
    expect(hasWord('plot tag:"maps"', 'tag:maps')).toBe(true);
    expect(hasWord('plot tag:mapsx', 'tag:maps')).toBe(false);
  });

  it('adds a word at the end, or takes it out when it is there, leaving the rest as typed', () => {
    expect(toggleWord('rain plot', 'tag:weather')).toBe('rain plot tag:weather');
    expect(toggleWord('rain TAG:Weather plot', 'tag:weather')).toBe('rain plot');
    expect(toggleWord('', 'lang:r')).toBe('lang:r');
    expect(toggleWord('lang:r', 'lang:r')).toBe('');
  });

  it('finds the word at the caret', () => {
    expect(wordAt('rain tag:we plot', 9)).toEqual({ word: 'tag:we', start: 5, end: 11 });
    expect(wordAt('rain ', 5)).toEqual({ word: '', start: 5, end: 5 });
  });
});
