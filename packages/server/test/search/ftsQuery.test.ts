import { toFtsQuery } from '../../src/search/ftsQuery';

describe('toFtsQuery', () => {
  it('quotes every word and makes the last one a prefix', () => {
    expect(toFtsQuery('  pandas   read_csv ')).toBe('"pandas" "read_csv"*');
  });

  it('turns FTS operators and quotes into plain words', () => {
    expect(toFtsQuery('"a" OR NEAR(b')).toBe('"a" "OR" "NEAR(b"*');
  });

  it('returns null when nothing searchable is left', () => {
    expect(toFtsQuery(' * - "" ')).toBeNull();
  });
});
